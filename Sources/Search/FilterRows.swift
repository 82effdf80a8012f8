extension Columns {
    /// The photo numbers passing every filter, in order: a capture-time range (the filter that leaves few photos:
    /// `park 2003`) reads its column straight through, the other filters are asked only of the photos it left.
    func photos(passing filters: [CompiledFilter]) -> [Int] {
        guard !filters.isEmpty else { return Array(0..<count) }
        let first = filters.firstIndex(where: \.readsTakenColumn) ?? 0
        var rest = filters
        let leading = rest.remove(at: first)
        return photos(passing: leading).filter { passes(rest, $0) }
    }

    private func photos(passing filter: CompiledFilter) -> [Int] {
        guard case .taken = filter.filter else { return (0..<count).filter { passes(filter, $0) } }
        let (from, to) = (filter.from, filter.to)
        return takenKeys.withUnsafeBufferPointer { keys in
            var photos = [Int]()
            for photo in 0..<keys.count where keys[photo] != 0 && keys[photo] >= from && keys[photo] < to { photos.append(photo) }
            return photos
        }
    }
}

extension CompiledFilter {
    /// A capture-time range: listed from one column read straight through.
    var readsTakenColumn: Bool { if case .taken = filter { true } else { false } }
}
