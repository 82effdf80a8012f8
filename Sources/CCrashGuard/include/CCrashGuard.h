#pragma once
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// On a fatal signal, appends the id of the job the crashing thread was running to a file, so the next run
// knows which photo crashed the process. A crash on a thread that holds no job (a server request, the
// scan) blames nothing. A kill -9 leaves no mark: those jobs are simply redone.
int vf_crash_guard_install(const char *path);
// Called by an indexing thread around each job; job 0 releases it. Also gives the thread an alternate
// signal stack, so a stack overflow in a decoder still reaches the handler.
void vf_crash_guard_hold(int64_t job);

#ifdef __cplusplus
}
#endif
