/// A filter with its values turned into what the columns hold (capture times as numbers), once per search.
struct CompiledFilter {
    let filter: Filter
    let from: UInt64
    let to: UInt64

    init(_ filter: Filter) {
        self.filter = filter
        if case let .taken(from, to) = filter {
            self.from = Columns.timeKey(from)
            self.to = to == "~" ? UInt64.max : Columns.timeKey(to)
        } else {
            from = 0
            to = 0
        }
    }
}
