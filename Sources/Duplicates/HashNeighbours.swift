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

    /// The inner loop reads every bucket near each band value (thousands a query): plain buffers, one popcount a
    /// candidate, and the check for an earlier band only for the few within `distance`.
    private func neighbours(of hash: UInt64, within distance: Int, flips: [Int],
                            where wanted: (Int) -> Bool) -> [(index: Int, distance: Int)] {
        let radius = distance / Self.bands
        var found = [(index: Int, distance: Int)]()
        hashes.withUnsafeBufferPointer { hashes in
            for band in 0..<Self.bands {
                let value = Self.value(hash, band)
                starts[band].withUnsafeBufferPointer { starts in
                    members[band].withUnsafeBufferPointer { members in
                        for flip in flips {
                            let bucket = value ^ flip
                            for slot in Int(starts[bucket])..<Int(starts[bucket + 1]) {
                                let index = Int(members[slot])
                                let apart = (hash ^ hashes[index]).nonzeroBitCount
                                guard apart <= distance, wanted(index),
                                      Self.firstCloseBand(hash, hashes[index], radius: radius) == band else { continue }
                                found.append((index, apart))
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    /// The first band in which two hashes agree to within `radius` bits: the one pair is reported from.
    static func firstCloseBand(_ a: UInt64, _ b: UInt64, radius: Int) -> Int {
        (0..<bands).first { (value(a, $0) ^ value(b, $0)).nonzeroBitCount <= radius } ?? bands
    }
}
