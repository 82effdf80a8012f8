/// How a query word matched a word of the index.
public enum MatchKind: String, Sendable, Codable {
    case exact, prefix, typo, singular, plural
}

/// One index word a query word stands for, and how much a match through it counts.
struct Expansion {
    var term: Int
    var quality: Float
    var kind: MatchKind
    /// How many photos hold the word.
    var postings: Int
}

/// Turns a typed word into the index words it matches, in tiers: itself with its singular or plural; when the
/// library holds none of those, the words it begins (when it is the word being typed); when none either, those
/// one typo away from 5 letters, two from 9. Typos are never looked for in the first letter: people rarely miss
/// it, and it bounds the search to one letter's share of the vocabulary.
struct TermMatcher {
    let index: TextIndex

    func expand(_ word: String, asPrefix: Bool, typos: Bool = true) -> [Expansion] {
        let bytes = Array(word.utf8)
        guard !bytes.isEmpty else { return [] }
        var found = [Int: Expansion]()
        if let exact = index.exact(bytes) {
            found[exact] = Expansion(term: exact, quality: 1, kind: .exact, postings: index.documentFrequency(exact))
        }
        // "kites", "galaxies", "leaves": labels and captions often name one of a thing.
        for singular in Self.singulars(word) {
            guard let term = index.exact(Array(singular.utf8)), found[term] == nil else { continue }
            found[term] = Expansion(term: term, quality: 0.9, kind: .singular, postings: index.documentFrequency(term))
        }
        // "car" also finds "cars": a label names a plural as often as a query does.
        for plural in Self.plurals(word) {
            guard let term = index.exact(Array(plural.utf8)), found[term] == nil else { continue }
            found[term] = Expansion(term: term, quality: 0.9, kind: .plural, postings: index.documentFrequency(term))
        }
        // The word itself is in the library: completions and typos would only add photos of other words
        // ("rocket" is not "racket", "text" not "textures").
        if !found.isEmpty { return Array(found.values) }
        if asPrefix {
            for term in index.prefixRange(bytes) where found[term] == nil {
                // A longer completion is a weaker guess at what is being typed.
                let completion = Float(bytes.count) / Float(index.termBytes[term].count)
                found[term] = Expansion(term: term, quality: 0.6 + 0.3 * completion, kind: .prefix,
                                        postings: index.documentFrequency(term))
            }
        }
        // A word being typed that begins library words is not a typo yet.
        if !found.isEmpty { return Array(found.values) }
        let allowed = !typos ? 0 : bytes.count >= 9 ? 2 : bytes.count >= 5 ? 1 : 0
        if allowed > 0 {
            var rows = DistanceRows(width: bytes.count + allowed + 1)
            for term in index.prefixRange([bytes[0]]) where index.lettersOnly[term] && found[term] == nil {
                let candidate = index.termBytes[term]
                guard let distance = Self.distance(bytes, candidate, limit: allowed, prefix: asPrefix, rows: &rows) else { continue }
                found[term] = Expansion(term: term, quality: distance == 1 ? 0.55 : 0.4, kind: .typo,
                                        postings: index.documentFrequency(term))
            }
        }
        return Array(found.values)
    }

    /// English singulars a plural may stand for ("galaxies" → "galaxy", "leaves" → "leaf", "boxes" → "box").
    static func singulars(_ word: String) -> [String] {
        guard word.count >= 4, word.hasSuffix("s"), !word.hasSuffix("ss") else { return [] }
        var forms = [String(word.dropLast())]
        if word.hasSuffix("es") { forms.append(String(word.dropLast(2))) }
        if word.hasSuffix("ies") { forms.append(String(word.dropLast(3)) + "y") }
        if word.hasSuffix("ves") { forms += [String(word.dropLast(3)) + "f", String(word.dropLast(3)) + "fe"] }
        return forms
    }

    /// English plurals of a word ("car" → "cars", "box" → "boxes", "galaxy" → "galaxies").
    static func plurals(_ word: String) -> [String] {
        guard word.count >= 3, !(word.hasSuffix("s") && !word.hasSuffix("ss")) else { return [] }
        var forms = [word + "s", word + "es"]
        if word.hasSuffix("y") { forms.append(String(word.dropLast()) + "ies") }
        return forms
    }

    /// Optimal-string-alignment distance (a swap of neighbours is one typo) when at most `limit`, else nil. With
    /// `prefix`, the distance from `word` to the closest beginning of `candidate`. Only a band of `limit` cells
    /// either side of the diagonal is computed.
    static func distance(_ word: [UInt8], _ candidate: [UInt8], limit: Int, prefix: Bool, rows: inout DistanceRows) -> Int? {
        let n = word.count, m = candidate.count
        if !prefix && abs(n - m) > limit { return nil }
        if prefix && m < n - limit { return nil }
        let columns = min(m, n + limit)
        let infinity = limit + 1
        rows.reset(columns + 1, to: infinity)
        var previous2 = rows.a, previous = rows.b, current = rows.c
        defer { rows.a = previous2; rows.b = previous; rows.c = current }
        for j in 0...min(columns, limit) { previous[j] = j }
        for i in 1...n {
            let low = max(1, i - limit), high = min(columns, i + limit)
            current[0] = i <= limit ? i : infinity
            if low > 1 { current[low - 1] = infinity }
            var rowBest = current[0]
            if low <= high {
                for j in low...high {
                    let cost = word[i - 1] == candidate[j - 1] ? 0 : 1
                    var value = min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
                    if i > 1, j > 1, word[i - 1] == candidate[j - 2], word[i - 2] == candidate[j - 1] {
                        value = min(value, previous2[j - 2] + 1)
                    }
                    current[j] = min(value, infinity)
                    rowBest = min(rowBest, current[j])
                }
            }
            if high < columns { current[high + 1] = infinity }
            if rowBest > limit { return nil }
            (previous2, previous, current) = (previous, current, previous2)
        }
        // `previous` now holds the last row.
        if prefix {
            let best = previous[max(0, n - limit)...min(columns, n + limit)].min() ?? infinity
            return best <= limit ? best : nil
        }
        return previous[m] <= limit ? previous[m] : nil
    }
}

/// Three rows of the distance table, reused for every candidate word of one query word.
struct DistanceRows {
    var a: [Int], b: [Int], c: [Int]

    init(width: Int) {
        a = [Int](repeating: 0, count: width)
        b = a
        c = a
    }

    mutating func reset(_ width: Int, to value: Int) {
        if a.count < width { self = DistanceRows(width: width) }
        for index in 0..<width {
            a[index] = value
            b[index] = value
            c[index] = value
        }
    }
}
