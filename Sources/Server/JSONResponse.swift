import Foundation
import Hummingbird

extension Response {
    /// A JSON answer; the API never caches (the catalogue changes under it).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// An integer query parameter, clamped; absent or unreadable gives the default.
    func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        guard let text = uri.queryParameters.get(name), let number = Int(text) else { return value }
        return min(max(number, range.lowerBound), range.upperBound)
    }
}
