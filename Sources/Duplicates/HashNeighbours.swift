import ViewfinderCore

/// Perceptual hashes indexed for "which are within d bits of this one" without comparing every pair
/// (multi-index hashing): the 64 bits are cut into four 16-bit bands, each a table from band value to hashes.
/// Two hashes at most d bits apart agree to within d/4 bits in at least one band (pigeonhole), so only the
/// buckets that near a band value are read.
public struct HashNeighbours: Sendable {
    static let bands = 4
    static let bandBits = 16

    let hashes: [UInt64]
    /// Per band, bucket `v`'s hash indices are `members[band][starts[band][v] ..< starts[band][v + 1]]`.
    let starts: [[Int32]]
    let members: [[Int32]]

    public init(_ hashes: [PerceptualHash]) {
        self.hashes = hashes.map(\.bits)
        var starts = [[Int32]](), members = [[Int32]]()
        for band in 0..<Self.bands {
            var start = [Int32](repeating: 0, count: (1 << Self.bandBits) + 1)
            for hash in self.hashes { start[Self.value(hash, band) + 1] += 1 }
            for v in 0..<(1 << Self.bandBits) { start[v + 1] += start[v] }
            var filled = start, member = [Int32](repeating: 0, count: hashes.count)
            for (index, hash) in self.hashes.enumerated() {
                let v = Self.value(hash, band)
                member[Int(filled[v])] = Int32(index)
                filled[v] += 1
            }
            starts.append(start)
            members.append(member)
        }
        self.starts = starts
        self.members = members
    }

    static func value(_ hash: UInt64, _ band: Int) -> Int { Int((hash >> UInt64(band * bandBits)) & 0xFFFF) }

    /// Every 16-bit flip of at most `radius` bits.
    static func flips(radius: Int) -> [Int] {
        (0..<(1 << bandBits)).filter { $0.nonzeroBitCount <= radius }
    }

    /// The hashes within `distance` bits of `hash` (their indices and distances), each once, in no set order.
    public func neighbours(of hash: PerceptualHash, within distance: Int) -> [(index: Int, distance: Int)] {
        neighbours(of: hash.bits, within: distance, flips: Self.flips(radius: distance / Self.bands)) { _ in true }
    }

    /// Every pair of hashes within `distance` bits of each other, the lower index first.
    public func pairs(within distance: Int) -> [(first: Int, second: Int, distance: Int)] {
        let flips = Self.flips(radius: distance / Self.bands)
        var pairs = [(first: Int, second: Int, distance: Int)]()
        for (first, hash) in hashes.enumerated() {
            for found in neighbours(of: hash, within: distance, flips: flips, where: { $0 > first }) {
                pairs.append((first, found.index, found.distance))
            }
        }
        return pairs
    }

    private func neighbours(of hash: UInt64, within distance: Int, flips: [Int],
                            where wanted: (Int) -> Bool) -> [(index: Int, distance: Int)] {
        let radius = distance / Self.bands
        var found = [(index: Int, distance: Int)]()
        for band in 0..<Self.bands {
            let value = Self.value(hash, band)
            for flip in flips {
                let bucket = value ^ flip
                for slot in Int(starts[band][bucket])..<Int(starts[band][bucket + 1]) {
                    let index = Int(members[band][slot])
                    guard wanted(index) else { continue }
                    let other = hashes[index]
                    // Found once: in the first band where the two agree to within the radius.
                    guard (0..<band).allSatisfy({ (Self.value(hash, $0) ^ Self.value(other, $0)).nonzeroBitCount > radius })
                    else { continue }
                    let apart = (hash ^ other).nonzeroBitCount
                    if apart <= distance { found.append((index, apart)) }
                }
            }
        }
        return found
    }
}
