import Foundation

/// The text index's largest arrays, written once by a build, backed by 2 MiB pages where the kernel allows it
/// (Linux, transparent huge pages in `madvise` mode, Debian's default): at a million photos a quarter of the
/// index's layout went to faulting in 4 KiB pages one at a time. Elsewhere, or where the kernel declines, they are
/// ordinary pages.
enum HugePages {
    static let size = 2 << 20
    /// Arrays this large get a mapping of their own from glibc (its threshold for one stops at 32 MiB), so the
    /// advice goes when they are freed and never reaches the heap's later small allocations.
    static let smallest = 32 << 20

    /// `count` elements, every one left for the caller to write.
    static func uninitialized<Element: BitwiseCopyable>(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            if let base = bytes.baseAddress, let pages = pages(inside: UInt(bitPattern: base), bytes.count) {
                advise(pages)
            }
            initialized = count
        }
    }

    /// The whole huge pages inside `count` bytes from `base`; nil for a buffer below `smallest`.
    static func pages(inside base: UInt, _ count: Int) -> Range<UInt>? {
        guard count >= smallest else { return nil }
        let mask = UInt(size - 1)
        let start = (base &+ mask) & ~mask
        let end = (base &+ UInt(count)) & ~mask
        return start < end ? start..<end : nil
    }

    private static func advise(_ pages: Range<UInt>) {
        #if os(Linux)
        // Only advice: an error leaves ordinary pages, nothing else.
        _ = madvise(UnsafeMutableRawPointer(bitPattern: pages.lowerBound), Int(pages.upperBound - pages.lowerBound), MADV_HUGEPAGE)
        #endif
    }
}
