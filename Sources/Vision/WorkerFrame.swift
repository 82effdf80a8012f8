import Foundation

/// Protocol v1's frame (docs/WORKER-PROTOCOL.md): a 4-byte big-endian length, a 4-byte big-endian header
/// length, a JSON header and a binary payload.
public enum WorkerFrame {
    public static let version = 1
    public static let maxBytes = 256 << 20

    public static func encode(_ header: [String: Any], payload: [UInt8] = []) throws -> [UInt8] {
        var header = header
        header["v"] = version
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header))
        var frame = [UInt8]()
        frame.reserveCapacity(8 + json.count + payload.count)
        append(UInt32(4 + json.count + payload.count), to: &frame)
        append(UInt32(json.count), to: &frame)
        frame += json
        frame += payload
        return frame
    }

    /// The header of a frame body (the bytes after the outer length).
    public static func header(of body: [UInt8]) throws(VisionError) -> [String: Any] {
        guard body.count >= 4 else { throw VisionError("worker sent a frame shorter than its header length", workerFailed: true) }
        let length = Int(readUInt32(body, at: 0))
        guard length <= body.count - 4,
              let header = try? JSONSerialization.jsonObject(with: Data(body[4..<(4 + length)])) as? [String: Any]
        else { throw VisionError("worker sent a frame whose header is not JSON", workerFailed: true) }
        guard header["v"] as? Int == version else {
            throw VisionError("worker speaks protocol \(header["v"] ?? "?"), this indexer \(version)", workerFailed: true)
        }
        return header
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
