/// Every present photo by its stacking bucket: each folder's photos one run of a flat array, gathered by folder
/// code (an array and a dictionary entry a folder cost a million-photo build and restart 120,000 allocations and
/// about 15 MB), identifiers and every bucket changed since in a dictionary that takes precedence.
struct BucketMembers: Sendable {
    /// Where each folder's run starts in `folderPhotos`, by folder code, and where the last one ends.
    private var folderStarts = [0]
    private var folderPhotos = [Int]()
    private var changed = [Stacks.Bucket: [Int]]()

    init() {}

    init(_ columns: Columns, present: (Int) -> Bool) {
        let folders = columns.folders.names.count
        // Counted by folder, then each photo placed at its folder's next slot: photo numbers rise within a run.
        var starts = [Int](repeating: 0, count: folders + 1)
        for number in 0..<columns.count where present(number) {
            if columns.stackHints.range(number).isEmpty {
                starts[Int(columns.folders.codes[number]) + 1] += 1
            } else {
                changed[.identifier(columns.stackHints[number]), default: []].append(number)
            }
        }
        for code in 0..<folders { starts[code + 1] += starts[code] }
        var next = starts
        var photos = [Int](repeating: 0, count: starts[folders])
        for number in 0..<columns.count where present(number) && columns.stackHints.range(number).isEmpty {
            let code = Int(columns.folders.codes[number])
            photos[next[code]] = number
            next[code] += 1
        }
        (folderStarts, folderPhotos) = (starts, photos)
    }

    /// The bucket's photos.
    subscript(bucket: Stacks.Bucket) -> ArraySlice<Int> {
        changed[bucket].map { $0[...] } ?? run(bucket)
    }

    /// A photo added to its bucket: the bucket's run copied out once, then changed in place.
    mutating func add(_ number: Int, to bucket: Stacks.Bucket) {
        let built = changed[bucket] == nil ? Array(run(bucket)) : []
        changed[bucket, default: built].append(number)
    }

    /// A photo taken out of its bucket; an emptied bucket is forgotten, unless its run still holds photos (then it
    /// stays, empty, over the run).
    mutating func remove(_ number: Int, from bucket: Stacks.Bucket) {
        let built = run(bucket)
        changed[bucket, default: Array(built)].removeAll { $0 == number }
        if changed[bucket]?.isEmpty == true, built.isEmpty { changed[bucket] = nil }
    }

    /// Every bucket of two photos or more (only these can hold a stack), with its photos.
    var crowded: [(bucket: Stacks.Bucket, photos: ArraySlice<Int>)] {
        var found = [(bucket: Stacks.Bucket, photos: ArraySlice<Int>)]()
        for code in 0..<folderStarts.count - 1 where folderStarts[code + 1] - folderStarts[code] > 1 {
            let bucket = Stacks.Bucket.folder(UInt32(code))
            if changed[bucket] == nil { found.append((bucket, run(bucket))) }
        }
        for (bucket, photos) in changed where photos.count > 1 { found.append((bucket, photos[...])) }
        return found
    }

    /// Every bucket that holds a photo, with its photos (for tests).
    var all: [(bucket: Stacks.Bucket, photos: ArraySlice<Int>)] {
        let folders = (0..<folderStarts.count - 1).map { Stacks.Bucket.folder(UInt32($0)) }.filter { changed[$0] == nil }
        return folders.map { ($0, run($0)) }.filter { !$0.photos.isEmpty } + changed.filter { !$0.value.isEmpty }.map { ($0.key, $0.value[...]) }
    }

    /// A folder's run as built (a folder coded since has none).
    private func run(_ bucket: Stacks.Bucket) -> ArraySlice<Int> {
        guard case let .folder(code) = bucket, Int(code) + 1 < folderStarts.count else { return [] }
        return folderPhotos[folderStarts[Int(code)]..<folderStarts[Int(code) + 1]]
    }
}
