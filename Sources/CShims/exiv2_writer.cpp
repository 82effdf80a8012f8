#include "CShims.h"
#include "exiv2_lock.hpp"
#include <exiv2/exiv2.hpp>
#include <string>
#include <cstring>
#include <cstdlib>
#include <algorithm>
#include <vector>

void vf_replace_face_regions(Exiv2::XmpData &xmp, const vf_xmp_edit *edit);  // exiv2_regions.cpp

namespace {
void copyMessage(const std::string &text, char *message, size_t length) {
    if (message == nullptr || length == 0) return;
    std::strncpy(message, text.c_str(), length - 1);
    message[length - 1] = 0;
}

// The caption as dc:description's default language; the tags merged into digiKam's list, keeping the user's.
void describe(Exiv2::XmpData &xmp, const vf_xmp_edit *edit) {
    if (edit->caption != nullptr) {
        Exiv2::LangAltValue description;
        description.read(std::string("lang=x-default ") + edit->caption);
        xmp["Xmp.dc.description"] = description;
    }
    if (edit->region_count >= 0) vf_replace_face_regions(xmp, edit);
    if (edit->tag_count == 0) return;
    std::vector<std::string> merged;
    auto existing = xmp.findKey(Exiv2::XmpKey("Xmp.digiKam.TagsList"));
    if (existing != xmp.end()) {
        for (long i = 0; i < existing->count(); i++) merged.push_back(existing->toString(i));
        xmp.erase(existing);
    }
    for (int i = 0; i < edit->tag_count; i++) {
        if (std::find(merged.begin(), merged.end(), edit->tags[i]) == merged.end()) merged.push_back(edit->tags[i]);
    }
    auto seq = Exiv2::Value::create(Exiv2::xmpSeq);
    for (const auto &tag : merged) seq->read(tag);
    xmp.add(Exiv2::XmpKey("Xmp.digiKam.TagsList"), seq.get());
}
}  // namespace

extern "C" int vf_exiv2_write_sidecar(const char *existing, const char *target, const vf_xmp_edit *edit,
                                      char *message, size_t message_length) {
    vf_exiv2_start();
    Exiv2Turn turn;
    try {
        Exiv2::XmpData xmp;
        if (existing != nullptr) {
            auto source = Exiv2::ImageFactory::open(existing);
            source->readMetadata();
            xmp = source->xmpData();
        }
        describe(xmp, edit);
        auto sidecar = Exiv2::ImageFactory::create(Exiv2::ImageType::xmp, target);
        sidecar->setXmpData(xmp);
        sidecar->writeMetadata();
        return 0;
    } catch (const std::exception &error) {
        copyMessage(error.what(), message, message_length);
        return -1;
    }
}

extern "C" int vf_exiv2_xmp_packet(const char *path, const vf_xmp_edit *edit, char **packet, size_t *packet_length,
                                   char *message, size_t message_length) {
    vf_exiv2_start();
    Exiv2Turn turn;
    try {
        auto image = Exiv2::ImageFactory::open(path);
        image->readMetadata();
        Exiv2::XmpData xmp = image->xmpData();
        describe(xmp, edit);
        std::string text;
        // Compact and without the packet wrapper: the smallest packet that fits one JPEG segment.
        if (Exiv2::XmpParser::encode(text, xmp, Exiv2::XmpParser::useCompactFormat | Exiv2::XmpParser::omitPacketWrapper) != 0) {
            copyMessage("exiv2 could not serialise the XMP", message, message_length);
            return -1;
        }
        *packet = static_cast<char *>(std::malloc(text.size()));
        if (*packet == nullptr) return -1;
        std::memcpy(*packet, text.data(), text.size());
        *packet_length = text.size();
        return 0;
    } catch (const std::exception &error) {
        copyMessage(error.what(), message, message_length);
        return -1;
    }
}

extern "C" int vf_exiv2_write_xmp_in_file(const char *path, const vf_xmp_edit *edit, char *message, size_t message_length) {
    vf_exiv2_start();
    Exiv2Turn turn;
    try {
        auto image = Exiv2::ImageFactory::open(path);
        image->readMetadata();
        describe(image->xmpData(), edit);
        image->writeMetadata();
        return 0;
    } catch (const std::exception &error) {
        copyMessage(error.what(), message, message_length);
        return -1;
    }
}
