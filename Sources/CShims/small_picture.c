#include "CShims.h"
#include <stdlib.h>
#include <string.h>
#include <webp/encode.h>

// Turns an RGB picture upright for EXIF orientation 1-8 (the same mapping as libvips' autorot).
int vf_rgb_orient(const uint8_t *src, int width, int height, int orientation, uint8_t *dst,
                  int *out_width, int *out_height) {
    int swap = orientation >= 5 && orientation <= 8;
    int w = swap ? height : width, h = swap ? width : height;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int sx, sy;  // where the displayed pixel (x, y) is stored
            switch (orientation) {
            case 2: sx = width - 1 - x; sy = y; break;
            case 3: sx = width - 1 - x; sy = height - 1 - y; break;
            case 4: sx = x; sy = height - 1 - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = height - 1 - x; break;
            case 7: sx = width - 1 - y; sy = height - 1 - x; break;
            case 8: sx = width - 1 - y; sy = x; break;
            default: sx = x; sy = y; break;
            }
            memcpy(dst + ((size_t)y * w + x) * 3, src + ((size_t)sy * width + sx) * 3, 3);
        }
    }
    *out_width = w;
    *out_height = h;
    return 0;
}

// One axis of an area-average resample: output i covers input [i*scale, (i+1)*scale), partial pixels weighted.
typedef struct { int first; int count; uint32_t weights[64]; } vf_span;

static int make_spans(int in, int out, vf_span *spans) {
    double scale = (double)in / out;
    if (scale > 63) return -1;
    for (int i = 0; i < out; i++) {
        double start = i * scale, end = (i + 1) * scale;
        int first = (int)start, last = (int)end;
        if (last >= in) last = in - 1;
        spans[i].first = first;
        spans[i].count = last - first + 1;
        double total = 0, raw[64];
        for (int k = 0; k < spans[i].count; k++) {
            double lo = first + k > start ? first + k : start, hi = first + k + 1 < end ? first + k + 1 : end;
            raw[k] = hi > lo ? hi - lo : 0;
            total += raw[k];
        }
        for (int k = 0; k < spans[i].count; k++) spans[i].weights[k] = (uint32_t)(raw[k] / total * 65536 + 0.5);
    }
    return 0;
}

// Area-average downscale of interleaved RGB, separable, 16-bit fixed-point weights.
int vf_rgb_downscale(const uint8_t *src, int width, int height, uint8_t *dst, int out_width, int out_height) {
    if (out_width > width || out_height > height || out_width < 1 || out_height < 1) return -1;
    vf_span *columns = malloc(sizeof(vf_span) * out_width), *rows = malloc(sizeof(vf_span) * out_height);
    uint32_t *across = malloc(sizeof(uint32_t) * (size_t)out_width * height * 3);
    int status = -1;
    if (columns && rows && across && make_spans(width, out_width, columns) == 0 && make_spans(height, out_height, rows) == 0) {
        for (int y = 0; y < height; y++) {
            const uint8_t *line = src + (size_t)y * width * 3;
            for (int x = 0; x < out_width; x++) {
                uint32_t r = 0, g = 0, b = 0;
                for (int k = 0; k < columns[x].count; k++) {
                    const uint8_t *p = line + (size_t)(columns[x].first + k) * 3;
                    uint32_t w = columns[x].weights[k];
                    r += p[0] * w; g += p[1] * w; b += p[2] * w;
                }
                uint32_t *o = across + ((size_t)y * out_width + x) * 3;
                o[0] = r >> 8; o[1] = g >> 8; o[2] = b >> 8;  // keep 8 fractional bits
            }
        }
        for (int y = 0; y < out_height; y++) {
            for (int x = 0; x < out_width; x++) {
                uint64_t sum[3] = {0, 0, 0};
                for (int k = 0; k < rows[y].count; k++) {
                    const uint32_t *p = across + ((size_t)(rows[y].first + k) * out_width + x) * 3;
                    uint64_t w = rows[y].weights[k];
                    sum[0] += p[0] * w; sum[1] += p[1] * w; sum[2] += p[2] * w;
                }
                for (int c = 0; c < 3; c++) {
                    uint64_t value = (sum[c] + (1u << 23)) >> 24;
                    dst[((size_t)y * out_width + x) * 3 + c] = (uint8_t)(value > 255 ? 255 : value);
                }
            }
        }
        status = 0;
    }
    free(columns); free(rows); free(across);
    return status;
}

int vf_webp_encode_rgb(const uint8_t *rgb, int width, int height, float quality, int method,
                       uint8_t **out, size_t *out_length) {
    WebPConfig config;
    WebPPicture picture;
    WebPMemoryWriter writer;
    if (!WebPConfigPreset(&config, WEBP_PRESET_PHOTO, quality) || !WebPPictureInit(&picture)) return -1;
    config.method = method;
    picture.width = width;
    picture.height = height;
    if (!WebPPictureImportRGB(&picture, rgb, width * 3)) return -1;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    int ok = WebPEncode(&config, &picture);
    WebPPictureFree(&picture);
    if (!ok) { WebPMemoryWriterClear(&writer); return -1; }
    *out = writer.mem;  // released with vf_webp_free
    *out_length = writer.size;
    return 0;
}

void vf_webp_free(uint8_t *buffer) { WebPFree(buffer); }
