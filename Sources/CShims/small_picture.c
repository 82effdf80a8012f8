#include "CShims.h"
#include <stdlib.h>
#include <string.h>
#include <webp/encode.h>

// Turns an RGB picture upright for EXIF orientation 1-8 (the same mapping as libvips' autorot). The displayed
// pixel (x, y) is stored at origin + x * across + y * down: one walk per row, no decision per pixel.
int vf_rgb_orient(const uint8_t *src, int width, int height, int orientation, uint8_t *dst,
                  int *out_width, int *out_height) {
    int swap = orientation >= 5 && orientation <= 8;
    int w = swap ? height : width, h = swap ? width : height;
    ptrdiff_t last_row = (ptrdiff_t)(height - 1) * width, W = width;
    ptrdiff_t origin, across, down;
    switch (orientation) {
    case 2: origin = W - 1; across = -1; down = W; break;
    case 3: origin = last_row + W - 1; across = -1; down = -W; break;
    case 4: origin = last_row; across = 1; down = -W; break;
    case 5: origin = 0; across = W; down = 1; break;
    case 6: origin = last_row; across = -W; down = 1; break;
    case 7: origin = last_row + W - 1; across = -W; down = -1; break;
    case 8: origin = W - 1; across = W; down = -1; break;
    default: origin = 0; across = 1; down = W; break;
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *from = src + (origin + y * down) * 3;
        uint8_t *to = dst + (size_t)y * w * 3;
        for (int x = 0; x < w; x++, from += across * 3, to += 3) {
            to[0] = from[0]; to[1] = from[1]; to[2] = from[2];
        }
    }
    *out_width = w;
    *out_height = h;
    return 0;
}

// One axis of an area-average resample: output i covers input [i*scale, (i+1)*scale), partial pixels weighted.
// Weights lie packed in one array: a span a few bytes long keeps every span of a row in the core's cache.
typedef struct { int first; int count; const uint32_t *weights; } vf_span;

// The spans' weights (malloc'd, for the caller to free), or NULL past 63 input pixels an output pixel.
static uint32_t *make_spans(int in, int out, vf_span *spans) {
    double scale = (double)in / out;
    if (scale > 63) return NULL;
    uint32_t *storage = malloc(sizeof(uint32_t) * (size_t)out * ((size_t)scale + 2)), *next = storage;
    if (storage == NULL) return NULL;
    for (int i = 0; i < out; i++) {
        double start = i * scale, end = (i + 1) * scale;
        int first = (int)start, last = (int)end;
        if (last >= in) last = in - 1;
        int count = last - first + 1;
        double total = 0, raw[66];
        for (int k = 0; k < count; k++) {
            double lo = first + k > start ? first + k : start, hi = first + k + 1 < end ? first + k + 1 : end;
            raw[k] = hi > lo ? hi - lo : 0;
            total += raw[k];
        }
        // Exactly 65536 in all (the remainder to the largest), so sums of 8-bit values never pass 32 bits.
        uint32_t sum = 0;
        int largest = 0;
        for (int k = 0; k < count; k++) {
            next[k] = (uint32_t)(raw[k] / total * 65536 + 0.5);
            sum += next[k];
            if (next[k] > next[largest]) largest = k;
        }
        next[largest] += 65536 - sum;
        spans[i] = (vf_span){first, count, next};
        next += count;
    }
    return storage;
}

// Area-average downscale of interleaved RGB, separable, 16-bit fixed-point weights. Rows first: each output row
// is a weighted sum of whole input rows (loops the compiler vectorises); then columns on the fewer rows left.
int vf_rgb_downscale(const uint8_t *src, int width, int height, uint8_t *dst, int out_width, int out_height) {
    if (out_width > width || out_height > height || out_width < 1 || out_height < 1) return -1;
    vf_span *columns = malloc(sizeof(vf_span) * out_width), *rows = malloc(sizeof(vf_span) * out_height);
    uint32_t *column_weights = columns ? make_spans(width, out_width, columns) : NULL;
    uint32_t *row_weights = rows ? make_spans(height, out_height, rows) : NULL;
    size_t line = (size_t)width * 3;
    uint32_t *sum = malloc(sizeof(uint32_t) * line);
    uint16_t *down = malloc(sizeof(uint16_t) * line);  // one output row before its columns: 8 fractional bits
    int status = -1;
    if (column_weights && row_weights && sum && down) {
        for (int y = 0; y < out_height; y++) {
            memset(sum, 0, sizeof(uint32_t) * line);
            for (int k = 0; k < rows[y].count; k++) {
                const uint8_t *input = src + (size_t)(rows[y].first + k) * line;
                uint32_t w = rows[y].weights[k];
                for (size_t i = 0; i < line; i++) sum[i] += input[i] * w;
            }
            for (size_t i = 0; i < line; i++) down[i] = (uint16_t)((sum[i] + 128) >> 8);
            uint8_t *output = dst + (size_t)y * out_width * 3;
            for (int x = 0; x < out_width; x++) {
                const vf_span *span = &columns[x];
                const uint16_t *p = down + (size_t)span->first * 3;
                uint32_t r = 0, g = 0, b = 0;
                for (int k = 0; k < span->count; k++, p += 3) {
                    uint32_t w = span->weights[k];
                    r += p[0] * w; g += p[1] * w; b += p[2] * w;
                }
                output[x * 3] = (uint8_t)((r + (1u << 23)) >> 24);
                output[x * 3 + 1] = (uint8_t)((g + (1u << 23)) >> 24);
                output[x * 3 + 2] = (uint8_t)((b + (1u << 23)) >> 24);
            }
        }
        status = 0;
    }
    free(columns); free(rows); free(column_weights); free(row_weights); free(sum); free(down);
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
