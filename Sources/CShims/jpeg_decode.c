#include "CShims.h"
#include <jpeglib.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libjpeg reports fatal errors through longjmp; warnings (truncation, corrupt data) are counted.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    vf_jpeg_image *image;
} vf_error_manager;

static void vf_error_exit(j_common_ptr info) {
    vf_error_manager *manager = (vf_error_manager *)info->err;
    info->err->format_message(info, manager->image->message);
    longjmp(manager->escape, 1);
}

static void vf_emit_message(j_common_ptr info, int level) {
    if (level >= 0) return;  // trace messages
    vf_error_manager *manager = (vf_error_manager *)info->err;
    manager->image->warnings += 1;
    info->err->num_warnings += 1;
    info->err->format_message(info, manager->image->message);
}

int vf_jpeg_decode_scaled(const uint8_t *data, size_t length, int min_long_edge, uint64_t max_pixels,
                          vf_jpeg_image *out) {
    memset(out, 0, sizeof(*out));
    struct jpeg_decompress_struct info;
    vf_error_manager errors;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = vf_error_exit;
    errors.base.emit_message = vf_emit_message;
    errors.image = out;
    JSAMPROW row = NULL;
    if (setjmp(errors.escape)) {
        jpeg_destroy_decompress(&info);
        free(out->pixels); out->pixels = NULL;
        free(out->icc); out->icc = NULL;
        return VF_JPEG_ERROR;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_save_markers(&info, JPEG_APP0 + 2, 0xFFFF);  // ICC profile chunks
    jpeg_read_header(&info, TRUE);
    out->full_width = (int)info.image_width;
    out->full_height = (int)info.image_height;
    if (info.image_width == 0 || info.image_height == 0) {
        snprintf(out->message, sizeof(out->message), "JPEG declares an empty image (%ux%u)",
                 info.image_width, info.image_height);
        jpeg_destroy_decompress(&info);
        return VF_JPEG_ERROR;
    }
    if ((uint64_t)info.image_width * info.image_height > max_pixels) {
        snprintf(out->message, sizeof(out->message), "JPEG declares %ux%u pixels, over the limit",
                 info.image_width, info.image_height);
        jpeg_destroy_decompress(&info);
        return VF_JPEG_TOO_LARGE;
    }
    if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&info);
        return VF_JPEG_UNSUPPORTED;
    }
    unsigned int long_edge = info.image_width > info.image_height ? info.image_width : info.image_height;
    unsigned int numerator = 8;
    for (unsigned int n = 1; n <= 8; n++) {
        if ((long_edge * n + 7) / 8 >= (unsigned int)min_long_edge) { numerator = n; break; }
    }
    info.scale_num = numerator;
    info.scale_denom = 8;
    info.out_color_space = JCS_RGB;
    JOCTET *icc = NULL;
    unsigned int icc_length = 0;
    if (jpeg_read_icc_profile(&info, &icc, &icc_length)) {
        out->icc = icc;
        out->icc_length = icc_length;
    }
    jpeg_start_decompress(&info);
    out->width = (int)info.output_width;
    out->height = (int)info.output_height;
    size_t stride = (size_t)info.output_width * 3;
    out->pixels = malloc(stride * info.output_height);
    if (out->pixels == NULL) {
        snprintf(out->message, sizeof(out->message), "out of memory");
        jpeg_destroy_decompress(&info);
        return VF_JPEG_ERROR;
    }
    while (info.output_scanline < info.output_height) {
        row = out->pixels + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    return VF_JPEG_OK;
}

void vf_jpeg_image_free(vf_jpeg_image *image) {
    free(image->pixels); image->pixels = NULL;
    free(image->icc); image->icc = NULL;
}
