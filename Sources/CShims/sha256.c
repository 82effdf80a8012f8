#include "CShims.h"
#include <openssl/evp.h>

void vf_sha256(const void *data, size_t length, uint8_t out[32]) {
    unsigned int written = 0;
    EVP_Digest(data, length, out, &written, EVP_sha256(), NULL);
}

vf_sha256_state *vf_sha256_begin(void) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context && EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) { EVP_MD_CTX_free(context); return NULL; }
    return (vf_sha256_state *)context;
}

void vf_sha256_add(vf_sha256_state *state, const void *data, size_t length) {
    EVP_DigestUpdate((EVP_MD_CTX *)state, data, length);
}

void vf_sha256_finish(vf_sha256_state *state, uint8_t out[32]) {
    unsigned int written = 0;
    EVP_DigestFinal_ex((EVP_MD_CTX *)state, out, &written);
    EVP_MD_CTX_free((EVP_MD_CTX *)state);
}
