/// Thumbnails and previews, keyed by content hash: never loose files.
public protocol RenditionStore: Sendable {
    func put(_ bytes: [UInt8], hash: String, kind: RenditionKind) throws
    func get(hash: String, kind: RenditionKind) throws -> [UInt8]?
    func contains(hash: String, kind: RenditionKind) throws -> Bool
    func remove(hashes: [String]) throws
}

public enum RenditionKind: String, Sendable, CaseIterable {
    /// 256 px WebP.
    case thumbnail
    /// 1440 px JPEG.
    case preview
}
