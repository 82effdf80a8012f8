/// Where each photo id is (its photo number, or its row): the ids a build or load saw as two sorted arrays searched
/// by halving (a million load by copying, where a dictionary took half a second to fill), and ids changed since in a
/// small dictionary that wins over them.
public struct NumbersByID: Sendable {
    private(set) var sortedIDs: [Int64] = []
    /// 4 bytes a photo, not 8: a number is a row, and rows stay far below 2³².
    private(set) var sortedNumbers: [UInt32] = []
    /// Changes since: a number, or -1 for an id taken out.
    private(set) var changed: [Int64: Int] = [:]
    public private(set) var count = 0

    public init() {}

    /// From ids and their numbers, in any order (the later of a repeated id wins).
    public init<S: Sequence>(_ pairs: S) where S.Element == (Int64, Int) {
        var list = Array(pairs)
        if !zip(list, list.dropFirst()).allSatisfy({ $0.0 < $1.0 }) {
            list = list.enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }.map(\.element)
            list = zip(list, list.dropFirst().map(Optional.some) + [nil]).filter { $0.1?.0 != $0.0.0 }.map(\.0)
        }
        sortedIDs = list.map(\.0)
        sortedNumbers = list.map { UInt32($0.1) }
        count = list.count
    }

    /// From each photo number's id: ids in rising order (a build's, from the catalogue) taken as they are, without
    /// pairs made and sorted; any others as pairs.
    public init(ids: [Int64]) {
        guard zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) else {
            self = NumbersByID(zip(ids, ids.indices))
            return
        }
        // A copy of its own: sharing the column's storage would move the copy to the first photo added.
        sortedIDs = ids.withUnsafeBufferPointer { Array($0) }
        sortedNumbers = (0..<UInt32(ids.count)).map { $0 }
        count = ids.count
    }

    public subscript(_ id: Int64) -> Int? {
        if let number = changed[id] { return number >= 0 ? number : nil }
        return base(id)
    }

    /// Sets (nil: takes out) where an id is; returns where it was.
    @discardableResult
    public mutating func set(_ id: Int64, _ number: Int?) -> Int? {
        let old = self[id]
        changed[id] = number ?? -1
        count += (number == nil ? 0 : 1) - (old == nil ? 0 : 1)
        return old
    }

    /// Every id present with its number, in no particular order.
    public var all: [(id: Int64, number: Int)] {
        zip(sortedIDs, sortedNumbers).filter { changed[$0.0] == nil }.map { ($0.0, Int($0.1)) }
            + changed.filter { $0.value >= 0 }.map { ($0.key, $0.value) }
    }

    public func save(_ file: inout SnapshotWriter, _ name: String) throws {
        try file.array(name + ".sortedIDs", sortedIDs)
        try file.array(name + ".sortedNumbers", sortedNumbers)
        try file.array(name + ".changedIDs", Array(changed.keys))
        try file.array(name + ".changedNumbers", Array(changed.values))
    }

    /// - Parameter below: every number must be below this.
    public init(_ file: inout SnapshotReader, _ name: String, below limit: Int) throws {
        sortedIDs = try file.array(name + ".sortedIDs")
        sortedNumbers = try file.array(name + ".sortedNumbers")
        let ids = try file.array(name + ".changedIDs", of: Int64.self)
        let numbers = try file.array(name + ".changedNumbers", of: Int.self)
        guard sortedNumbers.count == sortedIDs.count, numbers.count == ids.count, zip(sortedIDs, sortedIDs.dropFirst()).allSatisfy({ $0 < $1 }),
              sortedNumbers.allSatisfy({ Int($0) < limit }), numbers.allSatisfy({ $0 >= -1 && $0 < limit }) else {
            throw SnapshotError(description: "the saved \(name) are damaged")
        }
        changed = Dictionary(zip(ids, numbers)) { _, last in last }
        count = sortedIDs.count + changed.reduce(0) { total, entry in
            let wasBase = self.base(entry.key) != nil
            return total + (entry.value >= 0 ? 1 : 0) - (wasBase ? 1 : 0)
        }
    }

    private func base(_ id: Int64) -> Int? {
        var low = 0, high = sortedIDs.count
        while low < high {
            let middle = (low + high) / 2
            if sortedIDs[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < sortedIDs.count && sortedIDs[low] == id ? Int(sortedNumbers[low]) : nil
    }
}
