#include "CShims.h"
#include "exiv2_lock.hpp"
#include <exiv2/exiv2.hpp>
#include <string>
#include <vector>
#include <cstring>
#include <cstdlib>

// Organise's --fix-dates: a capture date added to a photo's EXIF block, which the caller splices back into the file
// in place of the old one (every other segment is copied byte for byte).
namespace {
void copyMessage(const std::string &text, char *message, size_t length) {
    if (message == nullptr || length == 0) return;
    std::strncpy(message, text.c_str(), length - 1);
    message[length - 1] = 0;
}

// Adds the tag only where the photo has none: a date the camera wrote is never replaced.
void addIfMissing(Exiv2::ExifData &exif, const char *key, const char *value) {
    if (exif.findKey(Exiv2::ExifKey(key)) == exif.end()) exif[key] = std::string(value);
}
}  // namespace

extern "C" int vf_exiv2_exif_with_capture_date(const unsigned char *tiff, size_t tiff_length, const char *date,
                                               const char *offset, unsigned char **result, size_t *result_length,
                                               char *message, size_t message_length) {
    vf_exiv2_start();
    Exiv2Turn turn;
    try {
        Exiv2::ExifData exif;
        // exiv2 may update the block it is given in place: it gets its own copy, never the caller's bytes.
        std::vector<Exiv2::byte> block;
        if (tiff != nullptr) block.assign(tiff, tiff + tiff_length);
        Exiv2::ByteOrder order = Exiv2::littleEndian;
        if (!block.empty()) {
            order = Exiv2::ExifParser::decode(exif, block.data(), static_cast<uint32_t>(block.size()));
            if (order == Exiv2::invalidByteOrder) {
                copyMessage("exiv2 cannot read the photo's EXIF block", message, message_length);
                return -1;
            }
        }
        addIfMissing(exif, "Exif.Photo.DateTimeOriginal", date);
        addIfMissing(exif, "Exif.Photo.DateTimeDigitized", date);
        if (offset != nullptr) {
            addIfMissing(exif, "Exif.Photo.OffsetTimeOriginal", offset);
            addIfMissing(exif, "Exif.Photo.OffsetTimeDigitized", offset);
        }
        Exiv2::Blob blob;
        // Given the old block, exiv2 keeps its layout where the new tags allow (maker notes stay where they were);
        // written in place ("non-intrusive") the result is the updated copy and the blob stays empty.
        Exiv2::WriteMethod method = Exiv2::ExifParser::encode(blob, block.empty() ? nullptr : block.data(),
                                                              static_cast<uint32_t>(block.size()), order, exif);
        const std::vector<Exiv2::byte> &written = method == Exiv2::wmNonIntrusive ? block : blob;
        if (written.empty()) {
            copyMessage("exiv2 encoded an empty EXIF block", message, message_length);
            return -1;
        }
        *result = static_cast<unsigned char *>(std::malloc(written.size()));
        if (*result == nullptr) return -1;
        std::memcpy(*result, written.data(), written.size());
        *result_length = written.size();
        return 0;
    } catch (const std::exception &error) {
        copyMessage(error.what(), message, message_length);
        return -1;
    }
}
