/// A camera whose clock was wrong and by how much: `--shift-camera "Canon EOS 5D=+1h"`.
public struct CameraShift: Sendable, Equatable {
    /// The camera as written, matched against "make model" and the model alone, ignoring case and spacing.
    public var camera: String
    public var seconds: Int
    /// As written after the "=" ("+1h30m"), for the plan.
    public var written: String

    /// Parses "MAKE MODEL=±N[dhms]…"; throws a specific reason for anything else.
    public init(parsing text: String) throws(OrganiseError) {
        guard let equals = text.lastIndex(of: "=") else {
            throw OrganiseError("--shift-camera \"\(text)\": expected CAMERA=+1h (or -30m, +1d2h, +90s)")
        }
        camera = Self.normalised(String(text[..<equals]))
        written = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        guard !camera.isEmpty else { throw OrganiseError("--shift-camera \"\(text)\": the camera's make and model are missing") }
        var sign = 1
        var body = Substring(written)
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        var total = 0, number = "", units = 0
        for character in body {
            if character.isASCIIDigit {
                number.append(character)
            } else if let unit = ["d": 86_400, "h": 3_600, "m": 60, "s": 1][character.lowercased()], let value = Int(number) {
                total += value * unit
                number = ""
                units += 1
            } else {
                throw OrganiseError("--shift-camera \"\(text)\": \"\(written)\" is not a shift like +1h, -30m or +1d2h")
            }
        }
        guard number.isEmpty, units > 0 else {
            throw OrganiseError("--shift-camera \"\(text)\": \"\(written)\" needs a unit (d, h, m or s) after each number")
        }
        seconds = sign * total
    }

    /// Whether a photo's make and model name this camera (Canon writes "Canon" and "Canon EOS 5D").
    public func matches(make: String?, model: String?) -> Bool {
        guard let model else { return false }
        let names = [model, (make ?? "") + " " + model].map(Self.normalised)
        return names.contains(camera)
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
