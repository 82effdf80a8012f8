import Foundation
import Search

/// The shared search workload (../shared/bench): documents as JSON lines, read into search documents.
public enum Workload {
    public static func documents(_ path: String) throws -> [SearchDocument] {
        var documents = [SearchDocument]()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else { continue }
            let place = object["place"] as? [String: String]
            let camera = object["camera"] as? [String: String]
            var path = object["path"] as? String ?? ""
            // Relative to the library root: the shared /photos/ would match every query for "photos".
            if path.hasPrefix("/photos/") { path.removeFirst("/photos/".count) }
            let width = object["width"] as? Int ?? 0, height = object["height"] as? Int ?? 0
            documents.append(SearchDocument(
                id: Int64(object["id"] as? Int ?? documents.count + 1), path: path, caption: object["caption"] as? String ?? "",
                labels: (object["labels"] as? [String] ?? []).map { ($0, Float(1)) }, text: object["text"] as? String ?? "",
                city: place?["city"], country: place?["country"], make: camera?["make"], model: camera?["model"],
                taken: object["taken"] as? String, width: width, height: height, faces: object["faces"] as? Int ?? 0))
        }
        return documents
    }

    public static func queries(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
