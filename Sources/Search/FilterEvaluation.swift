import Foundation

extension Columns {
    /// Whether photo `document` passes every filter.
    func passes(_ filters: [CompiledFilter], _ document: Int) -> Bool {
        for filter in filters where !passes(filter, document) { return false }
        return true
    }

    func passes(_ compiled: CompiledFilter, _ document: Int) -> Bool {
        switch compiled.filter {
        case let .camera(value): return make[document].contains(value) || model[document].contains(value)
        case let .make(value): return make[document].contains(value)
        case let .lens(value): return lens[document].contains(value)
        case .taken:
            let time = takenKeys[document]
            return time != 0 && time >= compiled.from && time < compiled.to
        case let .month(month):
            let time = takenKeys[document]
            return time != 0 && Int(time / 100_000_000 % 100) == month
        case let .iso(range): return range.contains(Double(iso[document]))
        case let .aperture(range): return range.contains(Double(aperture[document]))
        case let .focalLength(range): return range.contains(Double(focal[document]))
        case let .duration(range): return range.contains(Double(duration[document]))
        case let .place(value):
            return city[document] == value || country[document] == value || region[document] == value
                || city[document].hasPrefix(value + " ")
        case let .city(value): return city[document] == value
        case let .country(value): return country[document] == value
        case let .near(latitude, longitude, kilometres):
            guard !self.latitude[document].isNaN else { return false }
            return Self.kilometres(Double(self.latitude[document]), Double(self.longitude[document]), latitude, longitude) <= kilometres
        case let .folder(pattern): return Self.matches(pattern, folders[document]) || folders[document].contains(pattern)
        case let .name(pattern): return Self.matches(pattern, names[document])
        case let .type(types): return types.contains(format[document])
        case let .orientation(value): return orientation[document] == value
        case let .rating(range): return rating[document] >= 0 && range.contains(Int(rating[document]))
        case let .faces(range): return range.contains(Int(faces[document]))
        case let .person(name):
            return (people.starts[document]..<people.starts[document + 1]).contains { foldedPeople[Int(people.words.codes[$0])] == name }
        case let .people(range): return range.contains(Int(peopleCount[document]))
        case let .has(what):
            switch what {
            case "gps": return !latitude[document].isNaN
            case "text": return hasText[document]
            case "faces": return faces[document] > 0
            default: return !captions[document].isEmpty
            }
        }
    }

    /// Shell-style glob, case already folded: * any run, ? one character.
    static func matches(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }

    static func kilometres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let radians = Double.pi / 180
        let a = pow(sin((lat2 - lat1) * radians / 2), 2)
            + cos(lat1 * radians) * cos(lat2 * radians) * pow(sin((lon2 - lon1) * radians / 2), 2)
        return 6371 * 2 * asin(min(1, sqrt(a)))
    }
}
