#include "CShims.h"
#include "exiv2_lock.hpp"
#include <exiv2/exiv2.hpp>
#include <mutex>
#include <string>
#include <cstring>
#include <cstdlib>

namespace {
// exiv2 logs through one global handler; each thread collects its own warnings.
thread_local std::string collectedWarnings;

void collectWarning(int, const char *message) {
    if (!collectedWarnings.empty()) collectedWarnings += "\n";
    collectedWarnings += message;
}

void copyMessage(const std::string &text, char *message, size_t length) {
    if (message == nullptr || length == 0) return;
    std::strncpy(message, text.c_str(), length - 1);
    message[length - 1] = 0;
}

void reportWarnings(void *context, vf_metadata_visitor visit) {
    size_t start = 0;
    while (start < collectedWarnings.size()) {
        size_t end = collectedWarnings.find('\n', start);
        if (end == std::string::npos) end = collectedWarnings.size();
        std::string line = collectedWarnings.substr(start, end - start);
        // exiv2 ends many messages with a newline of its own
        while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) visit(context, "warning", "", line.c_str());
        start = end + 1;
    }
    collectedWarnings.clear();
}

// XMP arrays and language alternatives become one visit per item, so commas inside items survive.
void visitXmp(const Exiv2::Xmpdatum &datum, void *context, vf_metadata_visitor visit) {
    const std::string key = datum.key();
    const Exiv2::Value &value = datum.value();
    const char *type = datum.typeName() ? datum.typeName() : "";
    if (value.typeId() == Exiv2::langAlt) {
        const auto &alternatives = static_cast<const Exiv2::LangAltValue &>(value).value_;
        auto preferred = alternatives.find("x-default");
        if (preferred == alternatives.end()) preferred = alternatives.begin();
        if (preferred != alternatives.end()) visit(context, key.c_str(), type, preferred->second.c_str());
        return;
    }
    if (value.typeId() == Exiv2::xmpBag || value.typeId() == Exiv2::xmpSeq || value.typeId() == Exiv2::xmpAlt) {
        for (long i = 0; i < value.count(); i++) visit(context, key.c_str(), type, value.toString(i).c_str());
        return;
    }
    visit(context, key.c_str(), type, value.toString().c_str());
}
}  // namespace

extern "C" void vf_exiv2_start(void) {
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::XmpParser::initialize();  // must precede any use from several threads
        Exiv2::enableBMFF(true);
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
        Exiv2::LogMsg::setHandler(collectWarning);
    });
}

extern "C" int vf_exiv2_read(const uint8_t *data, size_t length, void *context, vf_metadata_visitor visit,
                             char *message, size_t message_length) {
    Exiv2Turn turn;
    collectedWarnings.clear();
    try {
        auto image = Exiv2::ImageFactory::open(data, static_cast<long>(length));
        if (image.get() == nullptr) {
            copyMessage("exiv2 does not know this format", message, message_length);
            return -1;
        }
        image->readMetadata();
        for (const auto &datum : image->exifData()) {
            // Maker-note groups run to hundreds of tags per file; nothing reads them as text.
            const std::string group = datum.groupName();
            if (group != "Image" && group != "Photo" && group != "GPSInfo") continue;
            visit(context, datum.key().c_str(), datum.typeName() ? datum.typeName() : "",
                  datum.value().toString().c_str());
        }
        for (const auto &datum : image->iptcData()) {
            visit(context, datum.key().c_str(), datum.typeName() ? datum.typeName() : "",
                  datum.value().toString().c_str());
        }
        for (const auto &datum : image->xmpData()) visitXmp(datum, context, visit);
        reportWarnings(context, visit);
        return 0;
    } catch (const std::exception &error) {
        reportWarnings(context, visit);
        copyMessage(error.what(), message, message_length);
        return -1;
    } catch (...) {
        collectedWarnings.clear();
        copyMessage("exiv2 failed on this file", message, message_length);
        return -1;
    }
}

extern "C" int vf_exiv2_largest_preview(const uint8_t *data, size_t length, uint8_t **out, size_t *out_length,
                                        char *message, size_t message_length) {
    Exiv2Turn turn;
    collectedWarnings.clear();
    try {
        auto image = Exiv2::ImageFactory::open(data, static_cast<long>(length));
        image->readMetadata();
        Exiv2::PreviewManager previews(*image);
        Exiv2::PreviewPropertiesList list = previews.getPreviewProperties();
        if (list.empty()) {
            copyMessage("no embedded preview", message, message_length);
            return -1;
        }
        // the list is sorted by size, smallest first
        Exiv2::PreviewImage preview = previews.getPreviewImage(list.back());
        *out_length = preview.size();
        *out = static_cast<uint8_t *>(std::malloc(preview.size()));
        if (*out == nullptr) return -1;
        std::memcpy(*out, preview.pData(), preview.size());
        collectedWarnings.clear();
        return 0;
    } catch (const std::exception &error) {
        collectedWarnings.clear();
        copyMessage(error.what(), message, message_length);
        return -1;
    }
}
