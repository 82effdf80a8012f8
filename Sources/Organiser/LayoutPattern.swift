import Foundation
import ViewfinderCore

/// Where a photo goes below the destination: `{year}/{month}/{name}.{ext}` and the like.
public struct LayoutPattern: Sendable {
    public static let `default` = "{year}/{month}/{name}.{ext}"
    static let fields: Set<String> = ["year", "month", "day", "camera", "place", "name", "ext"]

    public let text: String

    /// A pattern whose last part names no file (`{year}/{month}`) is a folder: `{name}.{ext}` goes below it.
    public init(_ written: String) throws(OrganiseError) {
        var text = written.trimmingCharacters(in: .whitespaces)
        while text.hasPrefix("/") { text.removeFirst() }
        guard !text.isEmpty else { throw OrganiseError("--pattern is empty") }
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { throw OrganiseError("--pattern \"\(written)\": a { is never closed") }
            let field = String(rest[rest.index(after: open)..<close])
            guard Self.fields.contains(field) else {
                throw OrganiseError("--pattern \"\(written)\": {\(field)} is not one of {year} {month} {day} {camera} {place} {name} {ext}")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard !text.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            throw OrganiseError("--pattern \"\(written)\": . and .. would leave the destination")
        }
        let last = text.split(separator: "/").last.map(String.init) ?? ""
        if text.hasSuffix("/") || !(last.contains("{name}") || last.contains("{ext}")) {
            text = (text.hasSuffix("/") ? text : text + "/") + "{name}.{ext}"
        }
        self.text = text
    }

    /// The path below the destination for a photo's name (without its extension) and extension.
    func path(name: String, ext: String, date: CaptureDate, camera: String?, place: GPSPosition?) -> String {
        let values = [
            "year": String(format: "%04d", date.year), "month": String(format: "%02d", date.month),
            "day": String(format: "%02d", date.day),
            "camera": camera.map(Self.folderName) ?? "unknown camera",
            "place": place.map(Self.coordinates) ?? "unknown place",
            "name": name, "ext": ext,
        ]
        // One pass, left to right: a name or camera that itself holds "{year}" stays as it is written.
        var result = "", rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}"),
              let value = values[String(rest[rest.index(after: open)..<close])] {
            result += rest[..<open] + value
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        // `{name}.{ext}` for a file without an extension would end in a dot.
        if ext.isEmpty, result.hasSuffix(".") { result.removeLast() }
        return result
    }

    /// A camera or place as one folder name: no slashes, no leading dots, no control characters.
    static func folderName(_ text: String) -> String {
        let cleaned = String(text.map { $0 == "/" || $0 == "\\" || $0.isNewline || $0 == "\0" ? "-" : $0 })
            .trimmingCharacters(in: .whitespaces)
        let visible = String(cleaned.drop { $0 == "." })
        return visible.isEmpty ? "unknown camera" : visible
    }

    /// GPS as a folder name to a tenth of a degree (about 11 km): no place names without the models' gazetteer.
    static func coordinates(_ position: GPSPosition) -> String {
        String(format: "%.1f%@ %.1f%@", abs(position.lat), position.lat < 0 ? "S" : "N", abs(position.lon), position.lon < 0 ? "W" : "E")
    }
}
