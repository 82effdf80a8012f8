import Foundation

/// The text index's word lists and postings, and the room a build reserves for its text columns and word lists, of
/// 32 MiB and more, asked to be backed by 2 MiB pages (Linux, transparent huge pages in `madvise` or `always` mode):
/// at a million photos a quarter of the index's layout went to faulting in 4 KiB pages one at a time. Only their
/// 2 MiB-aligned middle is asked for; elsewhere, or where the kernel declines, they are ordinary pages. With THP
/// defrag at `madvise` (the default) a fault there may compact memory first, which on a long-running, fragmented
/// box can slow a build.
enum HugePages {
    static let size = 2 << 20
    /// glibc's threshold for a mapping of its own never rises above 32 MiB, so arrays this large usually get one and
    /// the advice goes with them when they are freed; where glibc serves one from a free heap chunk instead, the
    /// advice stays on that part of the heap (more memory for later allocations there, nothing else).
    static let smallest = 32 << 20

    /// `count` elements, every one left for the caller to write.
    static func uninitialized<Element: BitwiseCopyable>(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let pages = pages(of: buffer) { advise(pages) }
            initialized = count
        }
    }

    /// Room for `capacity` elements in `array`, its whole huge pages asked for as in `uninitialized`: a build's
    /// text columns and word lists fill their room front to back (a fault a 4 KiB page was a fifth of their writing).
    static func reserve<Element>(_ array: inout [Element], _ capacity: Int) {
        array.reserveCapacity(capacity)
        let base = array.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        if let pages = pages(inside: base, array.capacity * MemoryLayout<Element>.stride) { advise(pages) }
    }

    /// The whole huge pages inside a buffer's bytes; nil below `smallest` bytes.
    static func pages<Element>(of buffer: UnsafeMutableBufferPointer<Element>) -> Range<UInt>? {
        let bytes = UnsafeMutableRawBufferPointer(buffer)
        return bytes.baseAddress.flatMap { pages(inside: UInt(bitPattern: $0), bytes.count) }
    }

    /// The whole huge pages inside `count` bytes from `base`; nil for fewer than `smallest` bytes.
    static func pages(inside base: UInt, _ count: Int) -> Range<UInt>? {
        guard count >= smallest else { return nil }
        let mask = UInt(size - 1)
        let (end, over) = base.addingReportingOverflow(UInt(count))
        let (rounded, beyond) = base.addingReportingOverflow(mask)
        guard !over, !beyond else { return nil }
        let (start, last) = (rounded & ~mask, end & ~mask)
        return start < last ? start..<last : nil
    }

    private static func advise(_ pages: Range<UInt>) {
        #if os(Linux)
        // Only advice: an error leaves ordinary pages, nothing else.
        _ = madvise(UnsafeMutableRawPointer(bitPattern: pages.lowerBound), Int(pages.upperBound - pages.lowerBound), MADV_HUGEPAGE)
        #endif
    }
}
