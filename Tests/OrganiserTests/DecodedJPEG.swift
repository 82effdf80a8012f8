import Foundation
import TestSupport

/// A JPEG's pixels as libjpeg-turbo's djpeg decodes them (float IDCT, no fancy upsampling, so that a turned
/// photo's decode is the original's turned, to the IDCT's last rounding), for comparing a turn with the original.
struct DecodedJPEG: Equatable {
    var width, height, channels: Int
    var samples: [UInt8]

    init(_ path: String) throws {
        guard let djpeg = programPath("djpeg") else {
            throw OrganiseTestError("djpeg is not installed (Debian: libjpeg-turbo-progs); a turn's pixels cannot be checked")
        }
        let output = NSTemporaryDirectory() + "/decoded-\(UUID().uuidString).ppm"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let decoded = try runProgram(djpeg, ["-dct", "float", "-nosmooth", "-pnm", "-outfile", output, path])
        guard decoded.status == 0 else { throw OrganiseTestError("djpeg could not decode \(path): \(decoded.stderr)") }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        // "P6\n<w> <h>\n255\n" then the samples.
        var fields = [String](), index = 0
        while fields.count < 4 {
            while bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            var field = ""
            while bytes[index] != 0x20 && bytes[index] != 0x0A { field.append(Character(UnicodeScalar(bytes[index]))); index += 1 }
            fields.append(field)
        }
        (width, height, channels) = (Int(fields[1])!, Int(fields[2])!, fields[0] == "P6" ? 3 : 1)
        samples = Array(bytes[(index + 1)...])
    }

    /// The pixels as EXIF orientation `orientation` says they are shown (2: mirrored, 6: turned 90° clockwise, …).
    func upright(_ orientation: Int) -> DecodedJPEG {
        let swaps = orientation >= 5
        let (outWidth, outHeight) = swaps ? (height, width) : (width, height)
        var result = DecodedJPEG(width: outWidth, height: outHeight, channels: channels, samples: samples)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                let (sx, sy): (Int, Int) = switch orientation {
                case 2: (width - 1 - x, y)
                case 3: (width - 1 - x, height - 1 - y)
                case 4: (x, height - 1 - y)
                case 5: (y, x)
                case 6: (y, height - 1 - x)
                case 7: (width - 1 - y, height - 1 - x)
                case 8: (width - 1 - y, x)
                default: (x, y)
                }
                for c in 0..<channels { result.samples[(y * outWidth + x) * channels + c] = samples[(sy * width + sx) * channels + c] }
            }
        }
        return result
    }

    /// The largest difference of one sample from `other`'s, nil when the sizes differ.
    func largestDifference(from other: DecodedJPEG) -> Int? {
        guard (width, height, channels) == (other.width, other.height, other.channels) else { return nil }
        return zip(samples, other.samples).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    private init(width: Int, height: Int, channels: Int, samples: [UInt8]) {
        (self.width, self.height, self.channels, self.samples) = (width, height, channels, samples)
    }
}

struct OrganiseTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
