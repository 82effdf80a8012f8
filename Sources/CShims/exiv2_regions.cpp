// MWG face regions written back: named faces join mwg-rs:Regions, replacing only the faces they cover.
#include "CShims.h"
#include <algorithm>
#include <exiv2/exiv2.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {
const std::string regionsKey = "Xmp.mwg-rs.Regions";
const std::string listKey = regionsKey + "/mwg-rs:RegionList";

using Field = std::pair<std::string, std::unique_ptr<Exiv2::Value>>;  // the key below the item, its value

struct Item {
    std::vector<Field> fields;
    std::string type;  // empty when the region says none: the reader takes it for a face
    double area[4] = {0, 0, 0, 0};  // stArea x, y (centre), w, h
    int areaFields = 0;
    bool normalized = true;
};

// Intersection over union of two boxes given by centre and size.
double overlap(const double a[4], const vf_face_region &b) {
    const double width = std::min(a[0] + a[2] / 2, b.x + b.w / 2) - std::max(a[0] - a[2] / 2, b.x - b.w / 2);
    const double height = std::min(a[1] + a[3] / 2, b.y + b.h / 2) - std::max(a[1] - a[3] / 2, b.y - b.h / 2);
    if (width <= 0 || height <= 0) return 0;
    const double shared = width * height;
    return shared / (a[2] * a[3] + b.w * b.h - shared);
}

// The items of the list to keep, each as its fields, in order: every one but the faces a region being written
// covers (intersection over union 0.3 or more, as faces and regions are matched when read). Write-back adds
// names and never takes one away: unnamed faces, faces not detected here, focus points and pets all stay.
std::vector<std::vector<Field>> keptRegions(const Exiv2::XmpData &xmp, const vf_xmp_edit *edit) {
    std::map<long, Item> items;
    const std::string opening = listKey + "[";
    const char *const areaNames[4] = {"/mwg-rs:Area/stArea:x", "/mwg-rs:Area/stArea:y", "/mwg-rs:Area/stArea:w", "/mwg-rs:Area/stArea:h"};
    for (const auto &datum : xmp) {
        const std::string key = datum.key();
        if (key.compare(0, opening.size(), opening) != 0) continue;
        const size_t close = key.find(']', opening.size());
        if (close == std::string::npos) continue;
        Item &item = items[std::strtol(key.c_str() + opening.size(), nullptr, 10)];
        const std::string below = key.substr(close + 1);
        if (below == "/mwg-rs:Type") item.type = datum.toString();
        if (below == "/mwg-rs:Area/stArea:unit") item.normalized = datum.toString() == "normalized";
        for (int i = 0; i < 4; i++) {
            if (below == areaNames[i]) {
                item.area[i] = std::strtod(datum.toString().c_str(), nullptr);
                item.areaFields |= 1 << i;
            }
        }
        item.fields.emplace_back(below, datum.value().clone());
    }
    std::vector<std::vector<Field>> kept;
    for (auto &entry : items) {
        Item &item = entry.second;
        bool covered = false;
        if ((item.type.empty() || item.type == "Face") && item.normalized && item.areaFields == 15) {
            for (int i = 0; i < edit->region_count && !covered; i++) covered = overlap(item.area, edit->regions[i]) >= 0.3;
        }
        if (!covered) kept.push_back(std::move(item.fields));
    }
    return kept;
}

void addText(Exiv2::XmpData &xmp, const std::string &key, const std::string &text) {
    Exiv2::XmpTextValue value(text);
    xmp.add(Exiv2::XmpKey(key), &value);
}

std::string fraction(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}
}  // namespace

void vf_replace_face_regions(Exiv2::XmpData &xmp, const vf_xmp_edit *edit) {
    auto others = keptRegions(xmp, edit);
    for (auto datum = xmp.begin(); datum != xmp.end();) {
        if (datum->key().compare(0, regionsKey.size(), regionsKey) == 0) datum = xmp.erase(datum); else ++datum;
    }
    if (others.empty() && edit->region_count <= 0) return;
    Exiv2::XmpTextValue structure;
    structure.setXmpStruct();
    xmp.add(Exiv2::XmpKey(regionsKey), &structure);
    const std::string dimensions = regionsKey + "/mwg-rs:AppliedToDimensions";
    xmp.add(Exiv2::XmpKey(dimensions), &structure);
    addText(xmp, dimensions + "/stDim:w", std::to_string(edit->stored_width));
    addText(xmp, dimensions + "/stDim:h", std::to_string(edit->stored_height));
    addText(xmp, dimensions + "/stDim:unit", "pixel");
    Exiv2::XmpTextValue bag;
    bag.setXmpArrayType(Exiv2::XmpValue::xaBag);
    xmp.add(Exiv2::XmpKey(listKey), &bag);
    long index = 0;
    for (const auto &fields : others) {
        const std::string item = listKey + "[" + std::to_string(++index) + "]";
        for (const auto &field : fields) xmp.add(Exiv2::XmpKey(item + field.first), field.second.get());
    }
    for (int i = 0; i < edit->region_count; i++) {
        const vf_face_region &region = edit->regions[i];
        const std::string item = listKey + "[" + std::to_string(++index) + "]";
        xmp.add(Exiv2::XmpKey(item), &structure);
        xmp.add(Exiv2::XmpKey(item + "/mwg-rs:Area"), &structure);
        addText(xmp, item + "/mwg-rs:Area/stArea:x", fraction(region.x));
        addText(xmp, item + "/mwg-rs:Area/stArea:y", fraction(region.y));
        addText(xmp, item + "/mwg-rs:Area/stArea:w", fraction(region.w));
        addText(xmp, item + "/mwg-rs:Area/stArea:h", fraction(region.h));
        addText(xmp, item + "/mwg-rs:Area/stArea:unit", "normalized");
        addText(xmp, item + "/mwg-rs:Name", region.name);
        addText(xmp, item + "/mwg-rs:Type", "Face");
    }
}
