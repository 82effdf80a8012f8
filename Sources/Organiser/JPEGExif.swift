import Foundation
import Indexer
import ViewfinderCore

#if canImport(Glibc)
import Glibc
#endif

/// A JPEG's EXIF block (the APP1 segment after "Exif\0\0"), changed without touching any other byte of the file:
/// IPTC, XMP, ICC and the scan data are copied as they are, and a value patched in place moves nothing.
struct JPEGExif {
    private(set) var bytes: [UInt8]
    /// Where the TIFF block lies in `bytes`; nil when the JPEG has no EXIF.
    private(set) var tiff: Range<Int>?
    /// The frame's size as its header says, in stored pixels.
    private(set) var size: (width: Int, height: Int)?
    /// Where a new EXIF segment goes when there is none: after SOI and a JFIF segment.
    private var insertion = 2
    static let signature = Array("Exif\0\0".utf8)

    init(path: String) throws(OrganiseError) {
        do throws(IndexProblem) { bytes = try FileReading.read(path, limit: 1 << 30) } catch {
            throw OrganiseError("cannot read \(path): \(error.reason)")
        }
        guard bytes.starts(with: [0xFF, 0xD8, 0xFF]) else { throw OrganiseError("\(path) is not a JPEG") }
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xDA || !(0xC0...0xFE).contains(marker) || (0xD0...0xD9).contains(marker) { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { throw OrganiseError("\(path): a JPEG segment at offset \(offset) is damaged") }
            let body = (offset + 4)..<end
            if marker == 0xE1, tiff == nil, bytes[body].starts(with: Self.signature) { tiff = (body.lowerBound + 6)..<end }
            if marker == 0xE0, offset == 2 { insertion = end }
            if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker), length >= 7 {
                size = (Int(bytes[offset + 7]) << 8 | Int(bytes[offset + 8]), Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]))
            }
            offset = end
        }
    }

    /// The TIFF block's bytes, empty when there is none.
    var block: [UInt8] { tiff.map { Array(bytes[$0]) } ?? [] }

    /// The file with `block` as its EXIF: the old segment's place, or a new one after SOI (and JFIF).
    func replacing(with block: [UInt8]) throws(OrganiseError) -> [UInt8] {
        let length = 2 + Self.signature.count + block.count
        guard length <= 65_535 else { throw OrganiseError("the new EXIF (\(block.count) bytes) does not fit one JPEG segment") }
        let segment = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + Self.signature + block
        guard let tiff else { return Array(bytes[..<insertion]) + segment + bytes[insertion...] }
        let start = tiff.lowerBound - 6 - 4
        return Array(bytes[..<start]) + segment + bytes[tiff.upperBound...]
    }

    /// Sets a one-value SHORT or LONG tag of IFD0 (or, `inExifIFD`, of the EXIF sub-IFD) where the block has it;
    /// the value is written over the old one, so nothing else moves. False when the tag is not there.
    @discardableResult
    mutating func patch(tag: UInt16, inExifIFD: Bool = false, to value: Int) -> Bool {
        guard let tiff, tiff.count >= 8 else { return false }
        let base = tiff.lowerBound
        let little = bytes[base] == 0x49
        func read(_ at: Int, _ width: Int) -> Int? {
            guard at >= base, at + width <= tiff.upperBound else { return nil }
            let slice = bytes[at..<at + width]
            return (little ? slice.reversed() : Array(slice)).reduce(0) { $0 << 8 | Int($1) }
        }
        func entry(_ wanted: UInt16, inIFDAt ifd: Int) -> Int? {
            guard let count = read(base + ifd, 2) else { return nil }
            return (0..<count).map { base + ifd + 2 + $0 * 12 }.first { read($0, 2) == Int(wanted) }
        }
        guard var ifd = read(base + 4, 4) else { return false }
        if inExifIFD {
            guard let pointer = entry(0x8769, inIFDAt: ifd), let sub = read(pointer + 8, 4) else { return false }
            ifd = sub
        }
        guard let at = entry(tag, inIFDAt: ifd), let type = read(at + 2, 2), read(at + 4, 4) == 1,
              let width = [3: 2, 4: 4][type], read(at + 8, width) != nil else { return false }
        for index in 0..<width {
            let shift = 8 * (little ? index : width - 1 - index)
            bytes[at + 8 + index] = UInt8((value >> shift) & 0xFF)
        }
        return true
    }

    /// Where the new bytes are written before they replace the copy (a kill may leave it; a rerun removes it).
    static func scratch(for path: String) -> String { path + ".exif" }

    /// Replaces the file at `path` (organise's own copy) with `bytes`: written beside it, fsynced, renamed over it.
    static func write(_ bytes: [UInt8], over path: String) throws(OrganiseError) {
        let scratch = Self.scratch(for: path)
        let descriptor = try FileDigest.open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { break }
            done += written
        }
        let synced = done == bytes.count && fsync(descriptor) == 0
        close(descriptor)
        guard synced, FileSystemPath.withCString(scratch, { from in FileSystemPath.withCString(path) { rename(from, $0) } }) == 0 else {
            FileSystemPath.withCString(scratch) { _ = unlink($0) }
            throw OrganiseError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
