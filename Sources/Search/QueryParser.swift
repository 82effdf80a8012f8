import Foundation

/// Reads the one search box: free text, "quoted phrases", -negation, a | b, key:value filters, and dates and
/// places written as words ("beach summer 2019", "cats in Lisbon", "June 2021").
public struct QueryParser: Sendable {
    /// Folded place names in the library, for recognising "lisbon" as a place.
    var places: Set<String>

    public init(places: Set<String> = []) { self.places = places }

    public static let keys = ["camera", "make", "lens", "year", "month", "taken", "after", "before", "iso", "f", "mm",
                              "place", "city", "country", "near", "label", "text", "folder", "name", "type", "orientation",
                              "rating", "has", "faces", "person", "people", "duration"]

    public func parse(_ input: String) throws(QueryError) -> Query {
        var query = Query()
        // Free words; `a | b` makes one entry of several alternatives.
        var free = [[String]]()
        var joinNext = false
        let tokens = Self.tokens(input)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if token.hasPrefix("\"") {
                let words = Folding.words(String(token.dropFirst().dropLast(token.hasSuffix("\"") && token.count > 1 ? 1 : 0)))
                guard !words.isEmpty else { continue }
                query.phrases.append(words)
                for word in words { query.words.append(.init(alternatives: [word], prefix: false, excluded: false)) }
                appendUnderstood(&query, "phrase", words.joined(separator: " "))
                continue
            }
            if token == "|" {
                guard !free.isEmpty, index < tokens.count else {
                    throw QueryError(message: "'|' needs a word on each side, as in 'cat | dog'")
                }
                joinNext = true
                continue
            }
            if let filter = try filter(token, into: &query) {
                if let filter { query.filters.append(filter) }
                continue
            }
            if token.hasPrefix("-"), token.count > 1 {
                let words = Folding.words(String(token.dropFirst()))
                if words.count == 1 {
                    query.words.append(.init(alternatives: words, prefix: false, excluded: true))
                } else if words.count > 1 {
                    query.excludedPhrases.append(words)
                }
                if !words.isEmpty { appendUnderstood(&query, "without", words.joined(separator: " ")) }
                continue
            }
            for word in Folding.words(token) {
                if joinNext, !free.isEmpty { free[free.count - 1].append(word) } else { free.append([word]) }
                joinNext = false
            }
        }
        let endsInSpace = input.last.map { $0 == " " } ?? false
        // Dates and places are recognised among single words; alternatives stay words.
        var singles = [String](), groups = [[String]]()
        func settle(atEnd: Bool) {
            groups += recognisePlaces(recogniseDates(singles, into: &query), complete: !atEnd || endsInSpace, into: &query)
                .map { [$0] }
            singles.removeAll()
        }
        for entry in free {
            if entry.count == 1 { singles.append(entry[0]) } else { settle(atEnd: false); groups.append(entry) }
        }
        settle(atEnd: true)
        // "cats in lisbon": little words are not indexed, so they are not looked for (unless being typed).
        groups = groups.enumerated().filter { position, entry in
            entry.count > 1 || !TextIndex.stopWords.contains(entry[0]) || (position == groups.count - 1 && !endsInSpace)
        }.map(\.element)
        for (position, entry) in groups.enumerated() {
            let last = position == groups.count - 1 && !endsInSpace
            query.words.append(.init(alternatives: entry, prefix: last, excluded: false))
        }
        if !groups.isEmpty { query.understood["text"] = groups.map { $0.joined(separator: " | ") }.joined(separator: " ") }
        return query
    }

    /// Splits on spaces, keeping "quoted phrases" whole and `|` apart.
    static func tokens(_ input: String) -> [String] {
        var tokens = [String]()
        var current = ""
        var quoted = false
        for character in input {
            if character == "\"", !quoted, current.hasSuffix(":") {
                quoted = true  // key:"two words": the value keeps its spaces
                continue
            }
            if character == "\"", quoted, current.contains(":"), !current.hasPrefix("\"") {
                quoted = false
                continue
            }
            if character == "\"" {
                if quoted {
                    tokens.append(current + "\"")
                    current = ""
                } else {
                    if !current.isEmpty { tokens.append(current) }
                    current = "\""
                }
                quoted.toggle()
            } else if !quoted, character == " " || character == "|" {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character == "|" { tokens.append("|") }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private func appendUnderstood(_ query: inout Query, _ key: String, _ value: String) {
        query.understood[key] = query.understood[key].map { $0 + ", " + value } ?? value
    }

    /// nil: not a filter; .some(nil): a filter that became words (`label:`, `text:`).
    private func filter(_ token: String, into query: inout Query) throws(QueryError) -> Filter?? {
        let comparison = token.firstRange(of: ">=") ?? token.firstRange(of: "<=")
            ?? token.firstRange(of: ">") ?? token.firstRange(of: "<")
        if let comparison, token[..<comparison.lowerBound].lowercased() == "duration" {
            let op = String(token[comparison])
            let seconds = try Self.seconds(String(token[comparison.upperBound...]), token)
            // Strict bounds move by the smallest step: a 30.0 s clip is not longer than 30 s.
            let range: ClosedRange<Double> = switch op {
            case ">=": seconds...Double.infinity
            case "<=": 0...seconds
            case ">": seconds.nextUp...Double.infinity
            default: 0...max(0, seconds.nextDown)
            }
            appendUnderstood(&query, "duration", op + Self.spoken(seconds))
            return .duration(range)
        }
        if let comparison, ["rating", "faces", "people"].contains(token[..<comparison.lowerBound].lowercased()) {
            let key = token[..<comparison.lowerBound].lowercased()
            let op = String(token[comparison])
            guard let number = Double(token[comparison.upperBound...]), !number.isNaN else {
                throw QueryError(message: "'\(token)': \(key) takes a whole number, as in \(key)>=3")
            }
            // Clamped first, so a bound of any size neither traps nor overflows when moved by one.
            let value = Self.clampedWhole(number)
            let range: ClosedRange<Int> = switch op {
            case ">=": value...Self.wholeBound
            case "<=": -Self.wholeBound...value
            case ">": min(value + 1, Self.wholeBound)...Self.wholeBound
            default: -Self.wholeBound...max(value - 1, -Self.wholeBound)
            }
            appendUnderstood(&query, key, op + String(value))
            return key == "rating" ? .rating(range) : key == "faces" ? .faces(range) : .people(range)
        }
        guard let colon = token.firstIndex(of: ":"), colon != token.startIndex else { return nil }
        let key = token[..<colon].lowercased()
        let value = String(token[token.index(after: colon)...])
        // Words with a colon that are not keys (a time, a URL) stay text only when the key is not a word.
        guard Self.keys.contains(key) else {
            if key.allSatisfy(\.isLetter) {
                throw QueryError(message: "unknown filter '\(key):' — known filters: \(Self.keys.map { $0 + ":" }.joined(separator: " "))")
            }
            return nil
        }
        guard !value.isEmpty else { throw QueryError(message: "'\(key):' needs a value, as in \(Self.example(key))") }
        appendUnderstood(&query, key, value)
        let folded = Folding.fold(value)
        switch key {
        case "camera": return .camera(folded)
        case "make": return .make(folded)
        case "lens": return .lens(folded)
        case "place": return .place(folded)
        case "city": return .city(folded)
        case "country": return .country(folded)
        case "folder": return .folder(folded)
        case "name": return .name(folded)
        case "person":
            let name = Folding.name(value)
            guard !name.isEmpty else { throw QueryError(message: "'\(token)': person: takes a name, as in person:\"Ada Lovelace\"") }
            return .person(name)
        case "label", "text":
            for word in Folding.words(value) {
                query.words.append(.init(alternatives: [word], prefix: false, excluded: false,
                                         field: key == "label" ? .labels : .text))
            }
            return .some(nil)
        case "year":
            let (from, to) = try yearRange(value, token)
            return .taken(from: from, to: to)
        case "month":
            guard let month = Int(value) ?? Self.monthNames[folded], (1...12).contains(month) else {
                throw QueryError(message: "'\(token)': month: takes 1-12 or a month's name")
            }
            return .month(month)
        case "taken":
            let parts = value.split(separator: "..", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 {
                return .taken(from: try dateBound(parts[0], token, end: false) ?? "",
                              to: try dateBound(parts[1], token, end: true) ?? "~")
            }
            return .taken(from: try dateBound(value, token, end: false)!, to: try dateBound(value, token, end: true)!)
        case "after": return .taken(from: try dateBound(value, token, end: true)!, to: "~")
        case "before": return .taken(from: "", to: try dateBound(value, token, end: false)!)
        case "iso": return .iso(try range(value, token))
        case "f": return .aperture(try range(value, token))
        case "mm": return .focalLength(try range(value, token))
        case "duration":
            let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else { throw QueryError(message: "'\(token)': takes a length or a range, as in duration:10s-2m") }
            let low = parts[0].isEmpty ? 0 : try Self.seconds(parts[0], token)
            let high = parts.count == 1 ? low : parts[1].isEmpty ? Double.infinity : try Self.seconds(parts[1], token)
            guard low <= high else { throw QueryError(message: "'\(token)': the shorter length comes first, as in duration:10s-2m") }
            appendUnderstood(&query, "duration", parts.count == 1 ? Self.spoken(low) : Self.spoken(low) + "–" + (high.isFinite ? Self.spoken(high) : ""))
            return .duration(low...high)
        case "near":
            let parts = value.split(separator: ",").map(String.init)
            guard parts.count == 3 || parts.count == 2, let latitude = Double(parts[0]), let longitude = Double(parts[1]),
                  (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                throw QueryError(message: "'\(token)': near: takes latitude,longitude,distance as in near:38.72,-9.14,5km")
            }
            var kilometres = 5.0
            if parts.count == 3 {
                let distance = parts[2].lowercased()
                if distance.hasSuffix("km"), let value = Double(distance.dropLast(2)) { kilometres = value }
                else if distance.hasSuffix("m"), let value = Double(distance.dropLast()) { kilometres = value / 1000 }
                else if let value = Double(distance) { kilometres = value }
                else { throw QueryError(message: "'\(token)': the distance is a number with km or m, as in 5km") }
                guard kilometres.isFinite, kilometres >= 0 else {
                    throw QueryError(message: "'\(token)': the distance is a positive number, as in 5km")
                }
            }
            return .near(latitude: latitude, longitude: longitude, kilometres: kilometres)
        case "type":
            let types = Self.types[folded] ?? []
            guard !types.isEmpty else {
                throw QueryError(message: "'\(token)': unknown type; known: \(Self.types.keys.sorted().joined(separator: ", "))")
            }
            return .type(types)
        case "orientation":
            guard ["portrait", "landscape", "square"].contains(folded) else {
                throw QueryError(message: "'\(token)': orientation: is portrait, landscape or square")
            }
            return .orientation(folded)
        case "has":
            guard ["gps", "text", "faces", "caption"].contains(folded) else {
                throw QueryError(message: "'\(token)': has: is gps, text, faces or caption")
            }
            return .has(folded)
        case "faces":
            return .faces(try wholeRange(value, token))
        case "people":
            return .people(try wholeRange(value, token))
        case "rating":
            return .rating(try wholeRange(value, token))
        default:
            return nil
        }
    }

    static let types: [String: [String]] = [
        "jpeg": ["jpeg", "mpo"], "jpg": ["jpeg", "mpo"], "heic": ["heic"], "heif": ["heic"], "avif": ["avif"], "png": ["png"],
        "webp": ["webp"], "tiff": ["tiff"], "tif": ["tiff"], "gif": ["gif"], "raw": ["raw"], "mpo": ["mpo"],
        "jpeg2000": ["jpeg2000"], "jp2": ["jpeg2000"],
        "video": videoFormats, "videos": videoFormats, "photo": photoFormats, "photos": photoFormats, "mp4": ["mp4"], "m4v": ["mp4"], "mov": ["quicktime"], "quicktime": ["quicktime"],
        "3gp": ["3gpp"], "mkv": ["matroska"], "matroska": ["matroska"], "avi": ["avi"], "mts": ["mpegts"],
    ]

    /// The catalogue's format names (`MediaFormat`'s raw values; Search depends on nothing, a test holds them equal).
    static let videoFormats = ["mp4", "quicktime", "3gpp", "matroska", "avi", "mpegts"]
    static let photoFormats = ["jpeg", "mpo", "heic", "avif", "png", "webp", "tiff", "gif", "jpeg2000", "raw"]

    /// "30s", "2m", "1h", "1m30s", "90" (seconds), "1.5m" as seconds.
    static func seconds(_ text: String, _ token: String) throws(QueryError) -> Double {
        var total = 0.0, number = ""
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        for character in text.lowercased() {
            if character.isNumber || character == "." { number.append(character); continue }
            guard let unit = units[character], let value = Double(number) else {
                throw QueryError(message: "'\(token)': takes a length such as 30s, 2m or 1h30m")
            }
            total += value * unit
            number = ""
        }
        if !number.isEmpty {
            guard let value = Double(number) else { throw QueryError(message: "'\(token)': takes a length such as 30s, 2m or 1h30m") }
            total += value
        }
        guard !text.isEmpty, total.isFinite else { throw QueryError(message: "'\(token)': takes a length such as 30s, 2m or 1h30m") }
        // Longer than any video (31 years) means the same as any longer length, and stays a whole number of seconds.
        return min(total, longestLength)
    }

    static let longestLength = 1e9

    /// A length said back the way it is typed: 90 → "1m30s".
    static func spoken(_ seconds: Double) -> String {
        let whole = Int(min(max(seconds, 0), longestLength).rounded())
        guard abs(seconds - Double(whole)) < 0.001, whole >= 60 else { return String(format: "%g", seconds) + "s" }
        let (h, m, s) = (whole / 3600, whole % 3600 / 60, whole % 60)
        return (h > 0 ? "\(h)h" : "") + (m > 0 ? "\(m)m" : "") + (s > 0 ? "\(s)s" : "")
    }

    static let monthNames: [String: Int] = {
        var names = [String: Int]()
        let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                      "november", "december"]
        for (index, month) in months.enumerated() {
            names[month] = index + 1
            names[String(month.prefix(3))] = index + 1
        }
        names["sept"] = 9
        return names
    }()

    static func example(_ key: String) -> String {
        switch key {
        case "taken": "taken:2021-06"
        case "near": "near:38.72,-9.14,5km"
        case "iso": "iso:100-400"
        case "f": "f:1.8-4"
        case "mm": "mm:24-70"
        case "duration": "duration:10s-2m"
        case "person": "person:\"Ada Lovelace\""
        case "people": "people:2"
        default: "\(key):something"
        }
    }

    /// "100-400", "400", "1.8-4", "-400", "100-".
    private func range(_ value: String, _ token: String) throws(QueryError) -> ClosedRange<Double> {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let low = parts[0].isEmpty ? -Double.infinity : Double(parts[0])
        let high = parts.count == 1 ? low : parts[1].isEmpty ? Double.infinity : Double(parts[1])
        guard parts.count <= 2, let low, let high, !low.isNaN, !high.isNaN, low <= high else {
            throw QueryError(message: "'\(token)': takes a number or a range, as in \(Self.example(String(token.prefix { $0 != ":" })))")
        }
        return low...high
    }

    /// Counts and ratings never come near this; open ends (±∞) and huge numbers are clamped to it.
    static let wholeBound = 1 << 40

    static func clampedWhole(_ value: Double) -> Int {
        Int(min(max(value.rounded(), -Double(wholeBound)), Double(wholeBound)))
    }

    /// A range of whole numbers (`faces:1-3`, `rating:3-`): fractions round inwards, open ends become the bound.
    private func wholeRange(_ value: String, _ token: String) throws(QueryError) -> ClosedRange<Int> {
        let bounds = try range(value, token)
        let low = Self.clampedWhole(bounds.lowerBound.rounded(.up)), high = Self.clampedWhole(bounds.upperBound.rounded(.down))
        guard low <= high else { throw QueryError(message: "'\(token)': no whole number lies in that range") }
        return low...high
    }

    private func yearRange(_ value: String, _ token: String) throws(QueryError) -> (String, String) {
        let parts = value.split(separator: "-").map(String.init)
        guard (1...2).contains(parts.count), let first = Int(parts[0]), let last = Int(parts.last!),
              (1800...2200).contains(first), (1800...2200).contains(last), first <= last else {
            throw QueryError(message: "'\(token)': year: takes a year or a range, as in year:2019 or year:2015-2019")
        }
        return (String(format: "%04d", first), String(format: "%04d", last + 1))
    }

    /// The first moment of a date written as YYYY, YYYY-MM or YYYY-MM-DD, or (end) the first moment after it.
    private func dateBound(_ value: String, _ token: String, end: Bool) throws(QueryError) -> String? {
        if value.isEmpty { return nil }
        let parts = value.split(separator: "-").compactMap { Int($0) }
        guard (1...3).contains(parts.count), parts.count == value.split(separator: "-").count, (1800...2200).contains(parts[0]),
              parts.count < 2 || (1...12).contains(parts[1]), parts.count < 3 || (1...31).contains(parts[2]) else {
            throw QueryError(message: "'\(token)': dates are written YYYY, YYYY-MM or YYYY-MM-DD, as in taken:2021-06")
        }
        var components = DateComponents(year: parts[0], month: parts.count > 1 ? parts[1] : 1, day: parts.count > 2 ? parts[2] : 1)
        if end {
            switch parts.count {
            case 1: components.year! += 1
            case 2: components.month! += 1
            default: components.day! += 1
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components) else { throw QueryError(message: "'\(token)': not a date") }
        let normal = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", normal.year!, normal.month!, normal.day!)
    }

    /// Years and "June 2021" in the free words become date filters; the rest stays text.
    private func recogniseDates(_ words: [String], into query: inout Query) -> [String] {
        var rest = [String]()
        var index = 0
        while index < words.count {
            let word = words[index]
            if let month = Self.monthNames[word], word.count >= 3, index + 1 < words.count, let year = Int(words[index + 1]),
               (1900...2100).contains(year) {
                let from = String(format: "%04d-%02d", year, month)
                let to = month == 12 ? String(format: "%04d-01", year + 1) : String(format: "%04d-%02d", year, month + 1)
                query.filters.append(.taken(from: from, to: to))
                appendUnderstood(&query, "taken", from)
                index += 2
                continue
            }
            if word.count == 4, let year = Int(word), (1900...2100).contains(year) {
                query.filters.append(.taken(from: word, to: String(year + 1)))
                appendUnderstood(&query, "year", word)
                index += 1
                continue
            }
            if word.count > 3, let month = Self.monthNames[word] {  // "june"; not "may" or "mar", which are words too
                query.filters.append(.month(month))
                appendUnderstood(&query, "month", word)
                index += 1
                continue
            }
            rest.append(word)
            index += 1
        }
        return rest
    }

    /// A complete free word (or two) naming a place in the library becomes a place filter: "cats in lisbon ".
    /// The word still being typed stays text ("lis" finds Lisbon as a prefix meanwhile).
    private func recognisePlaces(_ words: [String], complete: Bool, into query: inout Query) -> [String] {
        guard !places.isEmpty else { return words }
        var rest = [String]()
        var index = 0
        while index < words.count {
            let typedLast = !complete
            if index + 1 < words.count, !(typedLast && index + 1 == words.count - 1),
               places.contains(words[index] + " " + words[index + 1]) {
                query.filters.append(.place(words[index] + " " + words[index + 1]))
                appendUnderstood(&query, "place", words[index] + " " + words[index + 1])
                index += 2
                continue
            }
            if !(typedLast && index == words.count - 1), places.contains(words[index]), words.count > 1 || complete {
                query.filters.append(.place(words[index]))
                appendUnderstood(&query, "place", words[index])
                index += 1
                continue
            }
            rest.append(words[index])
            index += 1
        }
        return rest
    }
}
