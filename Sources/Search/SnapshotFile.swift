import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a saved engine cannot be used (the caller builds from the catalogue instead).
public struct SnapshotError: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}

/// Writes a saved engine: named sections of plain arrays, streamed to a temporary file beside the target, synced
/// and renamed over it, so a crash while saving leaves the previous file whole. A trailer holds the length and a
/// checksum: a torn or damaged file is refused, never half-read.
public struct SnapshotWriter {
    static let magic = Array("VFSNAP01".utf8)
    private let target: String
    private let temporary: String
    private let descriptor: Int32
    private var written: UInt64 = 0
    private var checksum = SnapshotChecksum()

    public init(path: String) throws {
        target = path
        temporary = path + ".partial-\(getpid())"
        Self.removeAbandoned(beside: path)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SnapshotError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        try raw(Self.magic)
    }

    /// Removes temporary files that writers killed mid-save left (a million photos' is most of a gigabyte): those
    /// whose process id no process here holds now, untouched for a minute (a live writer on another machine sharing
    /// the folder keeps writing to its own). One whose id a new process took stays until that process ends.
    static func removeAbandoned(beside path: String) {
        let url = URL(fileURLWithPath: path)
        let prefix = url.lastPathComponent + ".partial-"
        let folder = url.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let leftover = folder.appendingPathComponent(name).path
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: leftover))?[.modificationDate] as? Date,
                  Date().timeIntervalSince(modified) > 60 else { continue }
            unlink(leftover)
        }
    }

    private mutating func raw(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                unlink(temporary)
                throw SnapshotError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            offset += count
        }
        checksum.add(bytes)
        written += UInt64(bytes.count)
    }

    private mutating func raw(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try raw($0) } }

    private mutating func pad() throws {
        let extra = Int((8 - written % 8) % 8)
        if extra > 0 { try raw([UInt8](repeating: 0, count: extra)) }
    }

    private mutating func header(_ name: String, elementSize: Int, count: Int) throws {
        try raw(withUnsafeBytes(of: UInt32(name.utf8.count).littleEndian) { Array($0) } + Array(name.utf8))
        try raw(withUnsafeBytes(of: UInt32(elementSize).littleEndian) { Array($0) })
        try raw(withUnsafeBytes(of: UInt64(count).littleEndian) { Array($0) })
        try pad()
    }

    public mutating func array<T: BitwiseCopyable>(_ name: String, _ values: [T]) throws {
        try header(name, elementSize: MemoryLayout<T>.stride, count: values.count)
        try values.withUnsafeBytes { try raw($0) }
        try pad()
    }

    /// Several arrays as one section, one after the other (a reader splits it again at their starts): written
    /// from where they are, never joined into one array first.
    public mutating func arrays<T: BitwiseCopyable>(_ name: String, _ parts: [[T]]) throws {
        try header(name, elementSize: MemoryLayout<T>.stride, count: parts.reduce(0) { $0 + $1.count })
        for part in parts { try part.withUnsafeBytes { try raw($0) } }
        try pad()
    }

    /// Strings as a table of the distinct ones and a number per entry: repeated values (cameras, places) are
    /// stored, and later loaded, once.
    public mutating func strings(_ name: String, _ values: [String]) throws {
        var numbers = [String: UInt32](), distinct = [String](), codes = [UInt32]()
        codes.reserveCapacity(values.count)
        for value in values {
            if let known = numbers[value] { codes.append(known); continue }
            numbers[value] = UInt32(distinct.count)
            codes.append(UInt32(distinct.count))
            distinct.append(value)
        }
        var ends = [UInt64](), bytes = [UInt8]()
        for value in distinct {
            bytes += value.utf8
            ends.append(UInt64(bytes.count))
        }
        try array(name + ".ends", ends)
        try array(name + ".bytes", bytes)
        try array(name + ".codes", codes)
    }

    /// Syncs the file, puts it in place and syncs the folder, so what is there after a crash is whole.
    public mutating func finish() throws {
        // The checksum covers everything before it, the length included.
        try raw(withUnsafeBytes(of: (written + 24).littleEndian) { Array($0) })
        let sum = checksum.value
        try raw(withUnsafeBytes(of: sum.littleEndian) { Array($0) })
        try raw(Array("VFSNAPOK".utf8))
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw SnapshotError(description: "cannot sync \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, target) == 0 else {
            unlink(temporary)
            throw SnapshotError(description: "cannot put \(target) in place: \(String(cString: strerror(errno)))")
        }
        let folder = open((target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent,
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}

/// Four lanes of 64 bits, each mixed from every fourth 8-byte word (the lanes run side by side in the CPU): cheap
/// enough to check a gigabyte at start-up. Sections are padded to 8 bytes, so only the file's head is unaligned.
struct SnapshotChecksum {
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 0x9e37_79b9_7f4a_7c15, 0xc2b2_ae3d_27d4_eb4f, 0x1656_67b1_9e37_79f9)
    private var pending = [UInt8]()
    private var lane = 0

    var value: UInt64 {
        var last = self
        if !pending.isEmpty {
            last.mix((pending + [UInt8](repeating: 0, count: 8 - pending.count)).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        }
        return Self.fold(last.lanes.0, Self.fold(last.lanes.1, Self.fold(last.lanes.2, last.lanes.3)))
    }

    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var mixed = (a ^ (b &* 0x100_0000_01b3)) &* 0x9e37_79b9_7f4a_7c15
        mixed ^= mixed >> 31
        return mixed
    }

    private static func step(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (state ^ word) &* 0x100_0000_01b3
        return mixed ^ (mixed >> 29)
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var start = 0
        while !pending.isEmpty || (bytes.count - start < 8 && start < bytes.count) {
            guard start < bytes.count else { return }
            pending.append(bytes[start])
            start += 1
            if pending.count == 8 {
                mix(pending.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                pending.removeAll()
            }
        }
        var words = (bytes.count - start) / 8
        var offset = start
        // Whole rounds of four words go to the four lanes in step.
        while lane != 0 && words > 0 {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            words -= 1
        }
        var (a, b, c, d) = lanes
        while words >= 4 {
            a = Self.step(a, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            b = Self.step(b, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
            c = Self.step(c, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
            d = Self.step(d, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
            offset += 32
            words -= 4
        }
        lanes = (a, b, c, d)
        while words > 0 {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            words -= 1
        }
        pending.append(contentsOf: bytes[offset...])
    }

    private mutating func mix(_ word: UInt64) {
        switch lane {
        case 0: lanes.0 = Self.step(lanes.0, word)
        case 1: lanes.1 = Self.step(lanes.1, word)
        case 2: lanes.2 = Self.step(lanes.2, word)
        default: lanes.3 = Self.step(lanes.3, word)
        }
        lane = (lane + 1) % 4
    }
}

/// Reads a saved engine back: the file is mapped, checked whole (length, checksum, end mark) before anything in it
/// is parsed, and each section copied out in the order it was written.
public struct SnapshotReader {
    private let base: UnsafeRawPointer
    private let length: Int
    private var offset: Int

    public init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SnapshotError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 32 else { throw SnapshotError(description: "\(path) is too short to be a saved engine") }
        length = Int(status.st_size)
        // Populated at once: the whole file is read anyway, and one fault per page cost more than the copying.
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), mapped != MAP_FAILED else {
            throw SnapshotError(description: "cannot map \(path)")
        }
        base = UnsafeRawPointer(mapped)
        offset = 8
        let bytes = UnsafeRawBufferPointer(start: base, count: length)
        guard Array(bytes[0..<8]) == SnapshotWriter.magic, Array(bytes[(length - 8)...]) == Array("VFSNAPOK".utf8),
              bytes.loadUnaligned(fromByteOffset: length - 24, as: UInt64.self) == UInt64(length) else {
            munmap(mapped, length)
            throw SnapshotError(description: "\(path) is not a whole saved engine (a save was cut short?)")
        }
        // Checked whole before anything in it is parsed: a damaged number must never be followed.
        var sum = SnapshotChecksum()
        sum.add(UnsafeRawBufferPointer(rebasing: bytes[0..<(length - 16)]))
        guard sum.value == bytes.loadUnaligned(fromByteOffset: length - 16, as: UInt64.self) else {
            munmap(mapped, length)
            throw SnapshotError(description: "\(path) is damaged (its checksum does not match)")
        }
    }

    /// Unmaps the file; nothing may be read after.
    public func unmap() { munmap(UnsafeMutableRawPointer(mutating: base), length) }

    private mutating func header(_ name: String, elementSize: Int) throws -> Int {
        func read<T: BitwiseCopyable>(_ type: T.Type) throws -> T {
            guard offset + MemoryLayout<T>.size <= length - 24 else { throw SnapshotError(description: "the saved engine ends inside \(name)") }
            defer { offset += MemoryLayout<T>.size }
            return base.loadUnaligned(fromByteOffset: offset, as: T.self)
        }
        let nameLength = Int(UInt32(littleEndian: try read(UInt32.self)))
        guard nameLength < 256, offset + nameLength <= length else { throw SnapshotError(description: "the saved engine is damaged before \(name)") }
        let found = String(decoding: UnsafeRawBufferPointer(start: base + offset, count: nameLength), as: UTF8.self)
        offset += nameLength
        guard found == name else { throw SnapshotError(description: "the saved engine holds \(found) where \(name) belongs (another version?)") }
        let size = Int(UInt32(littleEndian: try read(UInt32.self)))
        let count = Int(truncatingIfNeeded: UInt64(littleEndian: try read(UInt64.self)))
        offset = (offset + 7) & ~7
        guard size == elementSize, count >= 0, offset <= length - 24, count <= (length - 24 - offset) / max(1, size) else {
            throw SnapshotError(description: "the saved engine's \(name) does not fit the file")
        }
        return count
    }

    public mutating func array<T: BitwiseCopyable>(_ name: String, of type: T.Type = T.self) throws -> [T] {
        let count = try header(name, elementSize: MemoryLayout<T>.stride)
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialised in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(start: base + offset, count: count * MemoryLayout<T>.stride))
            initialised = count
        }
        offset = (offset + count * MemoryLayout<T>.stride + 7) & ~7
        return values
    }

    /// A section written by `SnapshotWriter.arrays`, copied straight out of the file into one array per part.
    /// - Parameter starts: where each part begins, and the end of the last (what the section must hold).
    public mutating func arrays<T: BitwiseCopyable>(_ name: String, splitAt starts: [Int], of type: T.Type = T.self) throws -> [[T]] {
        let count = try header(name, elementSize: MemoryLayout<T>.stride)
        guard starts.first == 0, starts.last == count, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw SnapshotError(description: "the saved engine's \(name) does not match its parts")
        }
        let parts = zip(starts, starts.dropFirst()).map { start, end in
            [T](unsafeUninitializedCapacity: end - start) { buffer, initialised in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(
                    start: base + offset + start * MemoryLayout<T>.stride, count: (end - start) * MemoryLayout<T>.stride))
                initialised = end - start
            }
        }
        offset = (offset + count * MemoryLayout<T>.stride + 7) & ~7
        return parts
    }

    public mutating func strings(_ name: String) throws -> [String] {
        let ends = try array(name + ".ends", of: UInt64.self)
        let bytes = try array(name + ".bytes", of: UInt8.self)
        let codes = try array(name + ".codes", of: UInt32.self)
        var start = 0
        let distinct = try ends.map { end in
            guard end >= UInt64(start), end <= UInt64(bytes.count) else { throw SnapshotError(description: "the saved engine's \(name) is damaged") }
            defer { start = Int(end) }
            return String(decoding: bytes[start..<Int(end)], as: UTF8.self)
        }
        return try codes.map { code in
            guard Int(code) < distinct.count else { throw SnapshotError(description: "the saved engine's \(name) is damaged") }
            return distinct[Int(code)]
        }
    }
}

