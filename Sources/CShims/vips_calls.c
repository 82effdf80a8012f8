#include "CShims.h"
#include <string.h>

int vf_vips_start(void) {
    if (VIPS_INIT("viewfinder")) return -1;
    vips_cache_set_max(0);      // every photo is seen once: caching only costs memory
    vips_concurrency_set(1);    // the indexer runs one photo per core instead
    return 0;
}

VipsImage *vf_vips_header_from_buffer(const void *data, size_t length) {
    return vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

VipsImage *vf_vips_thumbnail_buffer(const void *data, size_t length, int long_edge, int fail_on_error) {
    VipsImage *out = NULL;
    const char *options = fail_on_error ? "fail_on=error" : "";
    if (vips_thumbnail_buffer((void *)data, length, &out, long_edge, "height", long_edge,
                              "size", VIPS_SIZE_DOWN, "export_profile", "srgb",
                              "option_string", options, NULL))
        return NULL;
    // libvips before 8.14.6 frees heifload's metadata blobs with the loader while the thumbnail still points at
    // them (libvips#3725), and the WebP save reads the EXIF one: a use-after-free on every HEIC or AVIF with EXIF,
    // found by MetadataFuzz. The saves strip metadata anyway and exiv2 reads it from the file's bytes.
    vips_image_remove(out, VIPS_META_EXIF_NAME);
    vips_image_remove(out, VIPS_META_XMP_NAME);
    vips_image_remove(out, VIPS_META_IPTC_NAME);
    return out;
}

int vf_vips_autorotate(VipsImage *in, int orientation, VipsImage **out) {
    vips_image_set_int(in, VIPS_META_ORIENTATION, orientation);
    return vips_autorot(in, out, NULL);
}

// True when an ICC profile describes sRGB (its 'desc' tag says so, in ASCII or UTF-16): most camera files.
int vf_icc_is_srgb(const unsigned char *profile, size_t length) {
    if (length < 132) return 0;
    unsigned count = (unsigned)profile[128] << 24 | profile[129] << 16 | profile[130] << 8 | profile[131];
    for (unsigned tag = 0; tag < count && 132 + tag * 12 + 12 <= length; tag++) {
        const unsigned char *entry = profile + 132 + tag * 12;
        if (memcmp(entry, "desc", 4) != 0) continue;
        size_t offset = (size_t)entry[4] << 24 | entry[5] << 16 | entry[6] << 8 | entry[7];
        size_t size = (size_t)entry[8] << 24 | entry[9] << 16 | entry[10] << 8 | entry[11];
        if (offset > length || size > length - offset) return 0;
        for (size_t i = offset; i + 4 <= offset + size; i++) {
            if (memcmp(profile + i, "sRGB", 4) == 0) return 1;
            if (i + 8 <= offset + size && memcmp(profile + i, "\0s\0R\0G\0B", 8) == 0) return 1;
        }
    }
    return 0;
}

// Any band layout and colour space to 8-bit sRGB without alpha (flattened on white). The result carries
// no profile, so converting it again costs nothing.
int vf_vips_to_srgb(VipsImage *in, VipsImage **out) {
    VipsImage *step = NULL;
    if (vips_copy(in, &step, NULL)) return -1;
    VipsImage *next = NULL;
    if (vips_image_get_typeof(step, VIPS_META_ICC_NAME) && step->Type != VIPS_INTERPRETATION_CMYK) {
        const void *profile = NULL;
        size_t length = 0;
        int srgb = vips_image_get_blob(step, VIPS_META_ICC_NAME, &profile, &length) == 0 && vf_icc_is_srgb(profile, length);
        if (!srgb) {
            if (vips_icc_transform(step, &next, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL) == 0) {
                g_object_unref(step); step = next;
            } else {
                vips_error_clear();  // a broken profile is not worth losing the photo over
            }
        }
        vips_image_remove(step, VIPS_META_ICC_NAME);
    }
    if (vips_image_hasalpha(step)) {
        double white[] = {255, 255, 255, 255};
        VipsArrayDouble *background = vips_array_double_new(white, 1);
        int failed = vips_flatten(step, &next, "background", background, NULL);
        vips_area_unref(VIPS_AREA(background));
        if (failed) { g_object_unref(step); return -1; }
        g_object_unref(step); step = next;
    }
    if (vips_colourspace(step, &next, VIPS_INTERPRETATION_sRGB, NULL)) { g_object_unref(step); return -1; }
    g_object_unref(step); step = next;
    if (vips_cast_uchar(step, &next, NULL)) { g_object_unref(step); return -1; }
    g_object_unref(step);
    *out = next;
    return 0;
}

int vf_vips_resize_to(VipsImage *in, int long_edge, VipsImage **out) {
    int current = in->Xsize > in->Ysize ? in->Xsize : in->Ysize;
    if (current <= long_edge) { g_object_ref(in); *out = in; return 0; }
    return vips_resize(in, out, (double)long_edge / current, NULL);
}

int vf_vips_save_webp(VipsImage *in, int quality, void **buffer, size_t *length) {
    // effort 0 of 6: at 256 px a slower search saves a few hundred bytes and costs milliseconds
    return vips_webpsave_buffer(in, buffer, length, "Q", quality, "strip", TRUE, "effort", 0, NULL);
}

int vf_vips_save_jpeg(VipsImage *in, int quality, void **buffer, size_t *length) {
    // Like the previews made from a thumbnail's decode: baseline, standard tables (progressive and optimized
    // tables cost 2.5 and 2.4 times as much to encode for 4% and 1.7% fewer bytes)
    return vips_jpegsave_buffer(in, buffer, length, "Q", quality, "strip", TRUE, NULL);
}

int vf_vips_string_field(VipsImage *image, const char *name, const char **out) {
    if (!vips_image_get_typeof(image, name)) return -1;
    return vips_image_get_string(image, name, out);
}

int vf_vips_int_field(VipsImage *image, const char *name, int *out) {
    if (!vips_image_get_typeof(image, name)) return -1;
    return vips_image_get_int(image, name, out);
}

void vf_vips_unref(VipsImage *image) { if (image) g_object_unref(image); }

const char *vf_vips_last_error(void) { return vips_error_buffer(); }
