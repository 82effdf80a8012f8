/// Stacks saved with the engine: each stack's kind and members, a few photos of the library. At load each photo's
/// bucket is read from the columns again (a hash a photo), never the million names parsed and compared again,
/// which took seconds of every restart.
extension Stacks {
    func save(_ file: inout SnapshotWriter) throws {
        let all = stacks.values.flatMap { $0 }.sorted { $0.members[0] < $1.members[0] }
        try file.strings("stacks.kinds", all.map(\.kind.rawValue))
        try file.array("stacks.starts", all.reduce(into: [0]) { $0.append($0.last! + $1.members.count) })
        try file.array("stacks.members", all.flatMap { $0.members.map(UInt32.init) })
    }

    init(_ file: inout SnapshotReader, _ columns: Columns, present: (Int) -> Bool) throws {
        self.init()
        let damaged = SnapshotError(description: "the saved engine's stacks are damaged")
        members = BucketMembers(columns, present: present)
        let kinds = try file.strings("stacks.kinds"), starts = try file.array("stacks.starts", of: Int.self)
        let saved = try file.array("stacks.members", of: UInt32.self)
        guard starts.count == kinds.count + 1, starts.first == 0, starts.last == saved.count,
              zip(starts, starts.dropFirst()).allSatisfy({ $1 - $0 >= 2 }) else { throw damaged }
        for (place, name) in kinds.enumerated() {
            guard let kind = StackKind(rawValue: name) else { throw damaged }
            let stack = saved[starts[place]..<starts[place + 1]].map(Int.init)
            guard stack.allSatisfy({ $0 < columns.count && present($0) && placeOf[$0] == nil }), Set(stack).count == stack.count else { throw damaged }
            let bucket = Self.bucket(columns, stack[0])
            guard stack.allSatisfy({ Self.bucket(columns, $0) == bucket }) else { throw damaged }
            for number in stack { placeOf[number] = (bucket, stacks[bucket]?.count ?? 0) }
            stacks[bucket, default: []].append((kind, stack))
        }
    }
}
