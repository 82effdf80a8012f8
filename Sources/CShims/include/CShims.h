// Tiny C surface over libraries Swift cannot call directly (variadic C, C++, setjmp error handling).
#ifndef VF_CSHIMS_H
#define VF_CSHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <vips/vips.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- SHA-256 (OpenSSL libcrypto)
void vf_sha256(const void *data, size_t length, uint8_t out[32]);
// The same digest fed piece by piece, so a file is hashed while each piece is still in the cache.
typedef struct vf_sha256_state vf_sha256_state;
vf_sha256_state *vf_sha256_begin(void);  // NULL when OpenSSL cannot make a context
void vf_sha256_add(vf_sha256_state *state, const void *data, size_t length);
void vf_sha256_finish(vf_sha256_state *state, uint8_t out[32]);  // frees the state

// ---- JPEG scaled decode (libjpeg-turbo): DCT-domain downscale, the fastest way to a small picture.
typedef struct {
    uint8_t *pixels;          // interleaved RGB, width * height * 3 bytes, malloc'd
    int width, height;        // decoded (scaled) size
    int full_width, full_height;
    uint8_t *icc;             // embedded ICC profile or NULL, malloc'd
    unsigned int icc_length;
    int warnings;             // count of libjpeg warnings (corrupt or truncated data)
    char message[200];        // the error, or the last warning
} vf_jpeg_image;

enum { VF_JPEG_OK = 0, VF_JPEG_ERROR = -1, VF_JPEG_UNSUPPORTED = 1, VF_JPEG_TOO_LARGE = 2 };

// Decodes at the smallest n/8 scale whose long edge is at least min_long_edge; refuses images
// declaring more than max_pixels before any scan data is read. CMYK/YCCK return VF_JPEG_UNSUPPORTED.
int vf_jpeg_decode_scaled(const uint8_t *data, size_t length, int min_long_edge, uint64_t max_pixels,
                          vf_jpeg_image *out);
void vf_jpeg_image_free(vf_jpeg_image *image);
// Baseline JPEG with standard Huffman tables from interleaved RGB (the 1440 px preview); 0, or -1.
int vf_jpeg_encode_rgb(const uint8_t *rgb, int width, int height, int quality, uint8_t **out, size_t *out_length);
void vf_jpeg_free(uint8_t *buffer);

// ---- Small pictures without libvips: the common JPEG thumbnail costs less than libvips' operation machinery.
int vf_rgb_orient(const uint8_t *src, int width, int height, int orientation, uint8_t *dst,
                  int *out_width, int *out_height);
int vf_rgb_downscale(const uint8_t *src, int width, int height, uint8_t *dst, int out_width, int out_height);
int vf_webp_encode_rgb(const uint8_t *rgb, int width, int height, float quality, int method,
                       uint8_t **out, size_t *out_length);
void vf_webp_free(uint8_t *buffer);

// ---- libvips (variadic calls wrapped with fixed arguments)
int vf_vips_start(void);
int vf_icc_is_srgb(const unsigned char *profile, size_t length);
VipsImage *vf_vips_header_from_buffer(const void *data, size_t length);
VipsImage *vf_vips_thumbnail_buffer(const void *data, size_t length, int long_edge, int fail_on_error);
int vf_vips_autorotate(VipsImage *in, int orientation, VipsImage **out);
int vf_vips_to_srgb(VipsImage *in, VipsImage **out);
int vf_vips_resize_to(VipsImage *in, int long_edge, VipsImage **out);
int vf_vips_save_webp(VipsImage *in, int quality, void **buffer, size_t *length);
int vf_vips_save_jpeg(VipsImage *in, int quality, void **buffer, size_t *length);
int vf_vips_string_field(VipsImage *image, const char *name, const char **out);
int vf_vips_int_field(VipsImage *image, const char *name, int *out);
void vf_vips_unref(VipsImage *image);
const char *vf_vips_last_error(void);

// ---- exiv2 (C++): every Exif, IPTC and XMP value as text, plus warnings and embedded previews.
typedef void (*vf_metadata_visitor)(void *context, const char *key, const char *type_name, const char *value);
// Visits every datum; warnings arrive with key "warning". Returns 0, or -1 with message filled.
int vf_exiv2_read(const uint8_t *data, size_t length, void *context, vf_metadata_visitor visit,
                  char *message, size_t message_length);
// The largest embedded preview (RAW files): a malloc'd JPEG or TIFF; returns 0, or -1 with message.
int vf_exiv2_largest_preview(const uint8_t *data, size_t length, uint8_t **out, size_t *out_length,
                             char *message, size_t message_length);
void vf_exiv2_start(void);
// A named face as MWG writes it: the box's centre and size in fractions of the stored (unrotated) pixels.
typedef struct {
    const char *name;
    double x, y, w, h;
} vf_face_region;
// What write-back changes in a photo's XMP, everything else kept.
typedef struct {
    const char *caption;               // dc:description; NULL leaves the description alone
    const char *const *tags;           // merged into digiKam:TagsList
    int tag_count;
    const vf_face_region *regions;     // added to mwg-rs:Regions, replacing the faces they cover (all else stays)
    int region_count;                  // < 0 leaves the regions alone
    int stored_width, stored_height;   // mwg-rs:AppliedToDimensions, in pixels
} vf_xmp_edit;
// Write-back into a sidecar. `existing` may be NULL for a new sidecar. 0, or -1 with a message.
int vf_exiv2_write_sidecar(const char *existing, const char *target, const vf_xmp_edit *edit,
                           char *message, size_t message_length);
// The file's XMP packet with the edit made (malloc'd, no packet wrapper), for a JPEG whose other segments are
// copied byte for byte.
int vf_exiv2_xmp_packet(const char *path, const vf_xmp_edit *edit, char **packet, size_t *packet_length,
                        char *message, size_t message_length);
// Other formats: exiv2 rewrites the file with only its XMP changed.
int vf_exiv2_write_xmp_in_file(const char *path, const vf_xmp_edit *edit, char *message, size_t message_length);
// Organise: an EXIF block (TIFF bytes, as in a JPEG's APP1 after "Exif\0\0"; NULL and 0 for none) with
// DateTimeOriginal and DateTimeDigitized ("YYYY:MM:DD HH:MM:SS") and their offsets ("+02:00") unless NULL, each
// added only where the block has none. The result is malloc'd. 0, or -1 with a message.
int vf_exiv2_exif_with_capture_date(const unsigned char *tiff, size_t tiff_length, const char *date, const char *offset,
                                    unsigned char **result, size_t *result_length, char *message, size_t message_length);

#ifdef __cplusplus
}
#endif
#endif
