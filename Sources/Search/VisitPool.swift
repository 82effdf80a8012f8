import Foundation

/// Which graph nodes one search has seen: a mark per node, stamped with the search's number, so the marks
/// are cleared by counting on rather than by writing a million of them.
final class VisitMarks {
    // A raw buffer: an array in a class would be checked for exclusive access at every mark.
    private var marks: UnsafeMutableBufferPointer<UInt32>
    private var stamp: UInt32 = 0

    init(count: Int) {
        marks = .allocate(capacity: count)
        marks.initialize(repeating: 0)
    }

    deinit { marks.deallocate() }

    /// Starts a new search over `count` nodes.
    func begin(_ count: Int) {
        if marks.count < count {
            marks.deallocate()
            marks = .allocate(capacity: count)
            marks.initialize(repeating: 0)
            stamp = 0
        }
        stamp &+= 1
        if stamp == 0 {
            marks.update(repeating: 0)
            stamp = 1
        }
    }

    /// Marks the node; false if this search had marked it already.
    @inline(__always)
    func visit(_ node: UInt32) -> Bool {
        if marks[Int(node)] == stamp { return false }
        marks[Int(node)] = stamp
        return true
    }
}

/// Visit marks reused across searches (a million-node array is not allocated per query), one per thread at work.
final class VisitPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free = [VisitMarks]()

    init() {}

    func take(_ count: Int) -> VisitMarks {
        let marks = lock.withLock { free.popLast() } ?? VisitMarks(count: count)
        marks.begin(count)
        return marks
    }

    func give(_ marks: VisitMarks) { lock.withLock { free.append(marks) } }
}
