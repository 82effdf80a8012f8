import CShims
import ViewfinderCore

/// Reads Exif, IPTC and XMP through exiv2, which keeps maker notes and knows every container format.
public enum MetadataReader {
    private final class Collector {
        var metadata = RawMetadata()
    }

    /// Reads everything exiv2 can see in a file's bytes (a photo or an XMP sidecar).
    public static func read(_ bytes: [UInt8]) throws(IndexProblem) -> RawMetadata {
        vf_exiv2_start()
        let collector = Collector()
        var message = [CChar](repeating: 0, count: 512)
        let status = withExtendedLifetime(collector) {
            bytes.withUnsafeBufferPointer { buffer in
                vf_exiv2_read(
                    buffer.baseAddress, buffer.count, Unmanaged.passUnretained(collector).toOpaque(),
                    { context, key, _, value in
                        guard let context, let key, let value else { return }
                        let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
                        let name = String(cString: key)
                        if name == "warning" {
                            collector.metadata.warnings.append(String(cString: value))
                        } else {
                            collector.metadata.append(name, String(cString: value))
                        }
                    }, &message, message.count)
            }
        }
        if status != 0 {
            let reason = String(nulTerminated: message)
            throw IndexProblem(.metadata, .warning, "unreadable metadata: \(reason.isEmpty ? "exiv2 gave up" : reason)")
        }
        return collector.metadata
    }

    /// The largest preview image a RAW file embeds (usually a full-size JPEG).
    public static func largestPreview(_ bytes: [UInt8]) throws(IndexProblem) -> [UInt8] {
        vf_exiv2_start()
        var message = [CChar](repeating: 0, count: 512)
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = bytes.withUnsafeBufferPointer {
            vf_exiv2_largest_preview($0.baseAddress, $0.count, &output, &length, &message, message.count)
        }
        guard status == 0, let output else {
            throw IndexProblem(.decode, "RAW file has no usable embedded preview: \(String(nulTerminated: message))")
        }
        defer { free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}

extension String {
    /// Text from a fixed C buffer that a shim filled and NUL-terminated.
    public init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
