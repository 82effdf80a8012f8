// dlib's 5-point face landmarks, for bench/faces.py to compare its alignment with BlazeFace's key points.
//   face_landmarks shape_predictor_5_face_landmarks.dat PICTURE.rgb WIDTH HEIGHT LEFT TOP RIGHT BOTTOM ...
// prints one line of 10 numbers (x0 y0 ... x4 y4, pixels) per box. Build: g++ -O2 -std=c++17 ... -ldlib
#include <dlib/image_processing.h>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 5 || (argc - 5) % 4) {
        std::fprintf(stderr, "usage: face_landmarks MODEL.dat PICTURE.rgb WIDTH HEIGHT [LEFT TOP RIGHT BOTTOM]...\n");
        return 2;
    }
    dlib::shape_predictor predictor;
    dlib::deserialize(argv[1]) >> predictor;
    long width = std::stol(argv[3]), height = std::stol(argv[4]);
    std::vector<unsigned char> bytes(width * height * 3);
    std::ifstream(argv[2], std::ios::binary).read(reinterpret_cast<char*>(bytes.data()), bytes.size());
    dlib::matrix<dlib::rgb_pixel> picture(height, width);
    for (long r = 0; r < height; ++r)
        for (long c = 0; c < width; ++c) {
            const unsigned char* p = &bytes[(r * width + c) * 3];
            picture(r, c) = dlib::rgb_pixel(p[0], p[1], p[2]);
        }
    for (int i = 5; i + 3 < argc; i += 4) {
        dlib::rectangle box(std::stol(argv[i]), std::stol(argv[i + 1]), std::stol(argv[i + 2]), std::stol(argv[i + 3]));
        auto shape = predictor(picture, box);
        for (unsigned long k = 0; k < shape.num_parts(); ++k)
            std::printf(k ? " %ld %ld" : "%ld %ld", shape.part(k).x(), shape.part(k).y());
        std::printf("\n");
    }
    return 0;
}
