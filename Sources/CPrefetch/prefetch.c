// The shim is the inline function in the header; a C target needs one source file.
#include "CPrefetch.h"
