/// Photo numbers as one bit each: a million photos in 125 KB, which stays in cache where the column a filter
/// reads (8 MB of capture times) would be read out of order, a miss per photo asked.
struct PhotoSet {
    private var words: [UInt64]

    init(_ photos: [Int], count: Int) {
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
        for photo in photos { words[photo >> 6] |= 1 << UInt64(photo & 63) }
    }

    func contains(_ photo: Int) -> Bool { photo >> 6 < words.count && words[photo >> 6] & 1 << UInt64(photo & 63) != 0 }
}
