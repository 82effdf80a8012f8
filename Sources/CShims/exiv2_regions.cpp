// MWG face regions written back: the named faces replace the faces of mwg-rs:Regions; other regions stay.
#include "CShims.h"
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

// The items of the list that are not faces (focus points, pets, bar codes), each as its fields, in order.
std::vector<std::vector<Field>> otherRegions(const Exiv2::XmpData &xmp) {
    std::map<long, std::vector<Field>> items;
    std::map<long, bool> faces;
    const std::string opening = listKey + "[";
    for (const auto &datum : xmp) {
        const std::string key = datum.key();
        if (key.compare(0, opening.size(), opening) != 0) continue;
        const size_t close = key.find(']', opening.size());
        if (close == std::string::npos) continue;
        const long index = std::strtol(key.c_str() + opening.size(), nullptr, 10);
        const std::string below = key.substr(close + 1);
        if (below == "/mwg-rs:Type" && datum.toString() == "Face") faces[index] = true;
        items[index].emplace_back(below, datum.value().clone());
    }
    std::vector<std::vector<Field>> kept;
    for (auto &item : items) {
        if (!faces[item.first]) kept.push_back(std::move(item.second));
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
    auto others = otherRegions(xmp);
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
