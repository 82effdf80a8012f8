// Reads dlib's face descriptor (the ResNet of dlib's dnn_face_recognition_ex) and writes what the ONNX export
// needs: its layers' parameters, and reference descriptors of given 150x150 chips to check the export against.
//   face_export MODEL.dat params PARAMS.bin          one "kind dims... count" line, then count float32s, per layer
//   face_export MODEL.dat describe CHIPS.rgb COUNT   COUNT chips of 150*150*3 bytes (RGB) -> one descriptor a line
// Debian's libdlib-dev: g++ -O2 -std=c++17 face_export.cpp -o face_export -ldlib
#include <dlib/dnn.h>
#include <cstdio>
#include <fstream>
#include <iostream>

using namespace dlib;

template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = add_prev1<block<N, BN, 1, tag1<SUBNET>>>;
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<block<N, BN, 2, tag1<SUBNET>>>>>>;
template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, stride, stride, SUBNET>>>>>;
template <int N, typename SUBNET> using ares = relu<residual<block, N, affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block, N, affine, SUBNET>>;
template <typename SUBNET> using alevel0 = ares_down<256, SUBNET>;
template <typename SUBNET> using alevel1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32, ares<32, ares<32, SUBNET>>>;
using anet_type = loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<alevel1<alevel2<alevel3<alevel4<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

struct parameter_writer {
    std::ofstream& out;
    void write(const std::string& header, const tensor& params) {
        out << header << " " << params.size() << "\n";
        out.write(reinterpret_cast<const char*>(params.host()), params.size() * sizeof(float));
    }
    void write(const std::string& header, const float* values, size_t count) {
        out << header << " " << count << "\n";
        out.write(reinterpret_cast<const char*>(values), count * sizeof(float));
    }
    template <long N, long R, long C, int SY, int SX, int PY, int PX>
    void operator()(size_t, con_<N, R, C, SY, SX, PY, PX>& layer) {
        // Filters (N, K, R, C) then N biases; K is what is left over.
        write("con " + std::to_string(N) + " " + std::to_string(R) + " " + std::to_string(C) + " " +
              std::to_string(SY) + " " + std::to_string(layer.padding_y()) + " " +
              std::to_string(layer.bias_is_disabled() ? 0 : 1), layer.get_layer_params());
    }
    void operator()(size_t, affine_& layer) {
        // gamma then beta, one of each per channel (the layer keeps them out of get_layer_params).
        auto gamma = layer.get_gamma(), beta = layer.get_beta();
        std::vector<float> values(gamma.host(), gamma.host() + gamma.size());
        values.insert(values.end(), beta.host(), beta.host() + beta.size());
        write("affine", values.data(), values.size());
    }
    template <unsigned long N, fc_bias_mode M>
    void operator()(size_t, fc_<N, M>& layer) {
        // (inputs, outputs), the output is input times this matrix.
        write("fc " + std::to_string(N), layer.get_layer_params());
    }
    template <typename L> void operator()(size_t, L&) {}
};

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: face_export MODEL.dat params OUT.bin | describe CHIPS.rgb COUNT\n";
        return 2;
    }
    anet_type net;
    deserialize(argv[1]) >> net;
    std::string mode = argv[2];
    if (mode == "params") {
        std::ofstream out(argv[3], std::ios::binary);
        const auto& input = net.input_layer();
        out << "input " << input.get_avg_red() << " " << input.get_avg_green() << " " << input.get_avg_blue() << "\n";
        parameter_writer writer{out};
        visit_computational_layers(net, [&](size_t i, auto& layer) { writer(i, layer); });
        return out ? 0 : 1;
    }
    if (mode == "describe" && argc == 5) {
        long count = std::stol(argv[4]);
        std::ifstream in(argv[3], std::ios::binary);
        std::vector<matrix<rgb_pixel>> chips(count);
        std::vector<unsigned char> bytes(150 * 150 * 3);
        for (auto& chip : chips) {
            in.read(reinterpret_cast<char*>(bytes.data()), bytes.size());
            if (!in) { std::cerr << "face_export: fewer chips than " << count << "\n"; return 1; }
            chip.set_size(150, 150);
            for (long r = 0; r < 150; ++r)
                for (long c = 0; c < 150; ++c) {
                    const unsigned char* p = &bytes[(r * 150 + c) * 3];
                    chip(r, c) = rgb_pixel(p[0], p[1], p[2]);
                }
        }
        for (const auto& descriptor : net(chips)) {
            for (long i = 0; i < descriptor.size(); ++i) std::printf(i ? " %.7g" : "%.7g", descriptor(i));
            std::printf("\n");
        }
        return 0;
    }
    std::cerr << "face_export: unknown mode " << mode << "\n";
    return 2;
}
