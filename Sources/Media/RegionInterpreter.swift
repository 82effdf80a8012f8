import ViewfinderCore

/// Named face regions as digiKam, Lightroom, Picasa and phones write them: MWG's `mwg-rs:Regions` (a box's centre
/// and size in fractions of the stored pixels), else Microsoft's `MP:RegionInfo` (top-left corner and size).
public enum RegionInterpreter {
    static let mwgList = "Xmp.mwg-rs.Regions/mwg-rs:RegionList"
    static let microsoftList = "Xmp.MP.RegionInfo/MPRI:Regions"

    /// - Parameters:
    ///   - sidecar: a sidecar with regions replaces the photo's regions whole, as its keywords do.
    ///   - orientation, width, height: the photo as displayed (EXIF orientation, upright pixels).
    public static func regions(embedded: RawMetadata, sidecar: RawMetadata?, orientation: Int,
                               width: Int, height: Int) -> [NamedRegion] {
        for source in [sidecar, embedded].compactMap({ $0 }) {
            let found = mwg(source, orientation: orientation, width: width, height: height)
            if !found.isEmpty { return found }
            let microsoft = self.microsoft(source, orientation: orientation)
            if !microsoft.isEmpty { return microsoft }
        }
        return []
    }

    static func mwg(_ raw: RawMetadata, orientation: Int, width: Int, height: Int) -> [NamedRegion] {
        // MWG gives regions on the stored pixels, but some writers used the displayed picture: AppliedToDimensions
        // shaped like the upright photo (and unlike the stored one) says the boxes are upright already.
        var turn = orientation
        if orientation >= 5, width != height,
           let appliedWidth = raw["Xmp.mwg-rs.Regions/mwg-rs:AppliedToDimensions/stDim:w"].flatMap(number),
           let appliedHeight = raw["Xmp.mwg-rs.Regions/mwg-rs:AppliedToDimensions/stDim:h"].flatMap(number),
           appliedWidth != appliedHeight, (appliedWidth > appliedHeight) == (width > height) {
            turn = 1
        }
        return items(raw, list: mwgList).compactMap { item in
            let field = { (name: String) in raw["\(item)/\(name)"] }
            guard let name = field("mwg-rs:Name")?.trimmed, !name.isEmpty,
                  (field("mwg-rs:Type")?.trimmed ?? "Face") == "Face",
                  (field("mwg-rs:Area/stArea:unit")?.trimmed ?? "normalized") == "normalized",
                  let centreX = field("mwg-rs:Area/stArea:x").flatMap(number),
                  let centreY = field("mwg-rs:Area/stArea:y").flatMap(number),
                  let w = field("mwg-rs:Area/stArea:w").flatMap(number),
                  let h = field("mwg-rs:Area/stArea:h").flatMap(number),
                  (0...1).contains(centreX), (0...1).contains(centreY)
            else { return nil }
            return box(name, left: centreX - w / 2, top: centreY - h / 2, w: w, h: h)?.upright(from: turn)
        }
    }

    // Windows Photo Gallery's regions: "x, y, w, h" from the top-left corner; taken, like MWG's, on the stored pixels.
    static func microsoft(_ raw: RawMetadata, orientation: Int) -> [NamedRegion] {
        items(raw, list: microsoftList).compactMap { item in
            guard let name = raw["\(item)/MPReg:PersonDisplayName"]?.trimmed, !name.isEmpty,
                  let parts = raw["\(item)/MPReg:Rectangle"]?.split(separator: ",").compactMap({ number(String($0)) }),
                  parts.count == 4
            else { return nil }
            return box(name, left: parts[0], top: parts[1], w: parts[2], h: parts[3])?.upright(from: orientation)
        }
    }

    /// A box of a positive size that lies in the picture; edges past it by rounding are clipped.
    static func box(_ name: String, left: Double, top: Double, w: Double, h: Double) -> NamedRegion? {
        guard w > 0, h > 0, w <= 1, h <= 1, left >= -0.01, top >= -0.01, left + w <= 1.01, top + h <= 1.01 else { return nil }
        let x = max(0, left), y = max(0, top)
        return NamedRegion(name: name, x: x, y: y, w: min(1, left + w) - x, h: min(1, top + h) - y)
    }

    /// The paths of a list's items in exiv2's order ("…/mwg-rs:RegionList[1]" …), in one pass over the keys.
    static func items(_ raw: RawMetadata, list: String) -> [String] {
        let opening = list + "["
        let numbers = Set(raw.values.keys.compactMap { key -> Int? in
            guard key.hasPrefix(opening) else { return nil }
            return Int(key.dropFirst(opening.count).prefix { $0 != "]" })
        })
        return numbers.sorted().map { "\(opening)\($0)]" }
    }

    /// XMP is text: "nan" and "inf" parse as numbers and are no place in a picture.
    static func number(_ text: String) -> Double? {
        Double(text.trimmed).flatMap { $0.isFinite ? $0 : nil }
    }
}
