#include "CShims.h"
#include <openssl/evp.h>

void vf_sha256(const void *data, size_t length, uint8_t out[32]) {
    unsigned int written = 0;
    EVP_Digest(data, length, out, &written, EVP_sha256(), NULL);
}
