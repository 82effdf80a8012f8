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
/// and renamed over it, so a crash while saving leaves the previous file whole. Each section ends with a checksum of
/// its own bytes, so a reader checks each one as it reads it (no pass over the whole file first); a trailer holds
/// the length and an end mark, so a torn file is refused before anything in it is read.
public struct SnapshotWriter {
    static let magic = Array("VFSNAP02".utf8)
    static let endMark = Array("VFSNAPOK".utf8)
    private let target: String
    private let temporary: String
    /// -1 once closed.
    private var descriptor: Int32
    private var written: UInt64 = 0
    /// The section being written's checksum.
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
                let reason = String(cString: strerror(errno))
                abandon()
                throw SnapshotError(description: "cannot write \(temporary): \(reason)")
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
        checksum = SnapshotChecksum()
        try raw(withUnsafeBytes(of: UInt32(name.utf8.count).littleEndian) { Array($0) } + Array(name.utf8))
        try raw(withUnsafeBytes(of: UInt32(elementSize).littleEndian) { Array($0) })
        try raw(withUnsafeBytes(of: UInt64(count).littleEndian) { Array($0) })
        try pad()
    }

    public mutating func array<T: BitwiseCopyable>(_ name: String, _ values: [T]) throws {
        try header(name, elementSize: MemoryLayout<T>.stride, count: values.count)
        try values.withUnsafeBytes { try raw($0) }
        try seal()
    }

    /// Several arrays as one section, one after the other (a reader splits it again at their starts): written
    /// from where they are, never joined into one array first.
    public mutating func arrays<T: BitwiseCopyable>(_ name: String, _ parts: [[T]]) throws {
        try header(name, elementSize: MemoryLayout<T>.stride, count: parts.reduce(0) { $0 + $1.count })
        for part in parts { try part.withUnsafeBytes { try raw($0) } }
        try seal()
    }

    /// Pads the section to 8 bytes and ends it with its checksum.
    private mutating func seal() throws {
        try pad()
        let sum = checksum.value
        try raw(withUnsafeBytes(of: sum.littleEndian) { Array($0) })
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

    /// Gives the save up: the temporary file is closed and removed, the previous file left as it was.
    public mutating func abandon() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }

    /// Syncs the file, puts it in place and syncs the folder, so what is there after a crash is whole.
    public mutating func finish() throws {
        try raw(withUnsafeBytes(of: (written + 16).littleEndian) { Array($0) })
        try raw(Self.endMark)
        let synced = fsync(descriptor) == 0, closed = close(descriptor) == 0
        descriptor = -1
        guard synced, closed else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SnapshotError(description: "cannot sync \(temporary): \(reason)")
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
/// enough to check a gigabyte at start-up. Sections are padded to 8 bytes, so only a section's tail is unaligned.
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

/// Reads a saved engine back: the length and end mark are checked first, then each section is read in the order
/// it was written straight into its array (one copy, from the page cache), and its checksum checked before the
/// array is returned; only the header's name, size and count are used before that, each checked against the file.
/// Reading with `pread` in large pieces lets the kernel read ahead while the last piece is checked: a file not yet
/// in memory costs little more than its reading.
public struct SnapshotReader: Sendable {
    private let path: String
    /// -1 once closed.
    private var descriptor: Int32
    private let length: Int
    private var offset: Int
    /// Bytes read at a time: the checksum runs over each piece while it is still in the CPU's cache.
    private static let piece = 1 << 20

    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SnapshotError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size >= 24 else {
            closeDescriptor(descriptor)
            throw SnapshotError(description: "\(path) is too short to be a saved engine")
        }
        length = Int(status.st_size)
        offset = 0
        posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        var head = [UInt8](repeating: 0, count: 8), tail = [UInt8](repeating: 0, count: 16)
        let whole = (try? readBytes(&head, at: 0)) != nil && (try? readBytes(&tail, at: length - 16)) != nil && head == SnapshotWriter.magic
            && Array(tail[8...]) == SnapshotWriter.endMark && UInt64(littleEndian: tail.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) == UInt64(length)
        guard whole else {
            closeDescriptor(descriptor)
            throw SnapshotError(description: "\(path) is not a whole saved engine (a save was cut short, or another version)")
        }
        offset = 8
    }

    /// Closes the file; nothing may be read after.
    public mutating func close() {
        guard descriptor >= 0 else { return }
        closeDescriptor(descriptor)
        descriptor = -1
    }

    /// Fills `buffer` from the file at `start`.
    private func read(_ buffer: UnsafeMutableRawBufferPointer, at start: Int) throws {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(start + done))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw SnapshotError(description: count == 0 ? "\(path) ends early" : "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            done += count
        }
    }

    private func readBytes(_ bytes: inout [UInt8], at start: Int) throws { try bytes.withUnsafeMutableBytes { try read($0, at: start) } }

    /// Reads the next `count` bytes of the section into `buffer` a piece at a time, adding each to the checksum.
    private mutating func section(into buffer: UnsafeMutableRawBufferPointer, _ checksum: inout SnapshotChecksum) throws {
        var done = 0
        while done < buffer.count {
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<min(buffer.count, done + Self.piece)])
            try read(piece, at: offset)
            checksum.add(UnsafeRawBufferPointer(piece))
            offset += piece.count
            done += piece.count
        }
    }

    /// Reads a section's header; returns its number of values, and the checksum so far.
    private mutating func header(_ name: String, elementSize: Int) throws -> (count: Int, checksum: SnapshotChecksum) {
        var checksum = SnapshotChecksum()
        func next(_ count: Int) throws -> [UInt8] {
            guard count <= length - 16 - offset else { throw SnapshotError(description: "the saved engine ends inside \(name)") }
            var bytes = [UInt8](repeating: 0, count: count)
            try bytes.withUnsafeMutableBytes { try section(into: $0, &checksum) }
            return bytes
        }
        let nameLength = Int(UInt32(littleEndian: try next(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        guard nameLength < 256 else { throw SnapshotError(description: "the saved engine is damaged before \(name)") }
        let rest = try next(nameLength + 12 + (8 - (4 + nameLength + 12) % 8) % 8)
        let found = String(decoding: rest[..<nameLength], as: UTF8.self)
        guard found == name else { throw SnapshotError(description: "the saved engine holds \(found) where \(name) belongs (another version?)") }
        let size = Int(UInt32(littleEndian: rest.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: nameLength, as: UInt32.self) }))
        let count = Int(truncatingIfNeeded: UInt64(littleEndian: rest.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: nameLength + 4, as: UInt64.self) }))
        // The values, their padding and the checksum must fit before the trailer.
        guard size == elementSize, count >= 0, count <= (length - 16 - 8 - offset) / max(1, size) else {
            throw SnapshotError(description: "the saved engine's \(name) does not fit the file")
        }
        return (count, checksum)
    }

    /// Reads the section's padding and checks its checksum.
    private mutating func seal(_ name: String, _ checksum: inout SnapshotChecksum) throws {
        var padding = [UInt8](repeating: 0, count: (8 - offset % 8) % 8), stored = [UInt8](repeating: 0, count: 8)
        try padding.withUnsafeMutableBytes { try section(into: $0, &checksum) }
        try readBytes(&stored, at: offset)
        offset += 8
        guard stored.withUnsafeBytes({ UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }) == checksum.value else {
            throw SnapshotError(description: "the saved engine's \(name) is damaged (its checksum does not match)")
        }
    }

    public mutating func array<T: BitwiseCopyable>(_ name: String, of type: T.Type = T.self) throws -> [T] {
        var (count, checksum) = try header(name, elementSize: MemoryLayout<T>.stride)
        let values = try [T](unsafeUninitializedCapacity: count) { buffer, initialised in
            try section(into: UnsafeMutableRawBufferPointer(buffer), &checksum)
            initialised = count
        }
        try seal(name, &checksum)
        return values
    }

    /// A section written by `SnapshotWriter.arrays`, read straight from the file into one array per part.
    /// - Parameter starts: where each part begins, and the end of the last (what the section must hold).
    public mutating func arrays<T: BitwiseCopyable>(_ name: String, splitAt starts: [Int], of type: T.Type = T.self) throws -> [[T]] {
        var (count, checksum) = try header(name, elementSize: MemoryLayout<T>.stride)
        guard starts.first == 0, starts.last == count, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw SnapshotError(description: "the saved engine's \(name) does not match its parts")
        }
        let parts = try zip(starts, starts.dropFirst()).map { start, end in
            try [T](unsafeUninitializedCapacity: end - start) { buffer, initialised in
                try section(into: UnsafeMutableRawBufferPointer(buffer), &checksum)
                initialised = end - start
            }
        }
        try seal(name, &checksum)
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

/// `close` for a type whose own `close()` hides the system's.
private func closeDescriptor(_ descriptor: Int32) { close(descriptor) }
