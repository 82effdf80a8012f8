/// A named face another program marked (XMP `mwg-rs:Regions`): the box's top-left corner and size in fractions
/// of the upright photo, as the worker's face boxes are.
public struct NamedRegion: Codable, Sendable, Equatable {
    public var name: String
    public var x, y, w, h: Double

    public init(name: String, x: Double, y: Double, w: Double, h: Double) {
        self.name = name
        self.x = x
        self.y = y
        self.w = w
        self.h = h
    }

    /// A box given on the stored pixels, turned the way EXIF orientation 1–8 turns the picture for display.
    public func upright(from orientation: Int) -> NamedRegion {
        let corners = [Self.turn(x, y, orientation), Self.turn(x + w, y + h, orientation)]
        let left = min(corners[0].0, corners[1].0), top = min(corners[0].1, corners[1].1)
        return NamedRegion(name: name, x: left, y: top, w: max(corners[0].0, corners[1].0) - left,
                           h: max(corners[0].1, corners[1].1) - top)
    }

    /// The inverse: an upright box on the stored pixels (6 and 8 undo each other, the other turns undo themselves).
    public func stored(for orientation: Int) -> NamedRegion {
        upright(from: orientation == 6 ? 8 : orientation == 8 ? 6 : orientation)
    }

    /// Where a point of the stored picture (fractions) lands once it is displayed upright.
    static func turn(_ u: Double, _ v: Double, _ orientation: Int) -> (Double, Double) {
        switch orientation {
        case 2: (1 - u, v)
        case 3: (1 - u, 1 - v)
        case 4: (u, 1 - v)
        case 5: (v, u)
        case 6: (1 - v, u)
        case 7: (1 - v, 1 - u)
        case 8: (v, 1 - u)
        default: (u, v)
        }
    }
}
