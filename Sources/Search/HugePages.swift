import Foundation

/// Large arrays a build writes once, backed by 2 MiB pages where the kernel allows it (transparent huge pages in
/// `madvise` mode, Debian's default): at a million photos a quarter of the text index's layout went to faulting
/// in 4 KiB pages one at a time.
enum HugePages {
    /// `count` elements, every one left for the caller to write.
    static func uninitialized<Element: BitwiseCopyable>(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// An empty array with room for `capacity` elements: appends up to it land on huge pages.
    static func reserved<Element: BitwiseCopyable>(_ capacity: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = 0
        }
    }

    /// Only whole 2 MiB pages inside the buffer: the rest of the allocator's pages are left as they are.
    private static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let huge = 2 << 20
        guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        // Only advice: where the kernel declines, the pages are ordinary ones.
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        #endif
    }
}
