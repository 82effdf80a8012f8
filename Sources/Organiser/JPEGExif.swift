import Foundation
import Indexer
import ViewfinderCore

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
        let header: JPEGHeader
        do throws(JPEGHeader.Damage) { header = try JPEGHeader(bytes) } catch { throw OrganiseError("\(path): \(error.reason)") }
        for part in header.segments {
            let body = part.body
            if part.marker == 0xE1, tiff == nil, bytes[body].starts(with: Self.signature) { tiff = (body.lowerBound + 6)..<body.upperBound }
            if part.marker == 0xE0, part.bytes.lowerBound == 2 { insertion = part.bytes.upperBound }
            if Self.frameMarkers.contains(part.marker), body.count >= 5 {
                let at = body.lowerBound
                size = (Int(bytes[at + 3]) << 8 | Int(bytes[at + 4]), Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]))
            }
        }
    }

    /// Start-of-frame markers: their segment holds the frame's height and width.
    static let frameMarkers: Set<UInt8> = [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF]

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
        do throws(IndexProblem) {
            try FileReplacement.replace(path, scratch: scratch(for: path)) { scratch throws(IndexProblem) in
                try FileReplacement.create(scratch, with: bytes, modeOf: path)
            }
        } catch {
            throw OrganiseError("cannot write \(path): \(error.reason)")
        }
    }
}
