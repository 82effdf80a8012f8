/// Parsers for the textual forms exiv2 gives EXIF and XMP values.
enum ExifValue {
    /// "28/10" → 2.8, "51/1 30/1 1234/100" → [51, 30, 12.34]; zero denominators are dropped.
    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { part -> Double? in
            let pieces = part.split(separator: "/")
            if pieces.count == 2 {
                guard let top = Double(pieces[0]), let bottom = Double(pieces[1]), bottom != 0 else { return nil }
                return top / bottom
            }
            return Double(part)
        }
    }

    /// EXIF "2008:05:08 14:08:47" plus an optional "+02:00" → "2008-05-08T14:08:47+02:00".
    static func dateTime(_ value: String?, offset: String?) -> String? {
        guard let value else { return nil }
        let digits = value.trimmed.map { $0 }
        guard digits.count >= 19 else { return nil }
        let text = String(digits.prefix(19))
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "-" || $0 == "T" })
        guard parts.count == 6, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Int(parts[5]),
              (1800...2200).contains(year), (1...12).contains(month), (1...31).contains(day),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let base = "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second))"
        return base + (offset.flatMap(timeZone) ?? "")
    }

    /// XMP and IPTC dates: "2019-07-14T18:34:12+02:00", "2019-07-14", "20190714T183412+0200".
    static func isoDateTime(_ value: String?) -> String? {
        guard var text = value?.trimmed, text.count >= 8 else { return nil }
        if text.count >= 8, !text.contains("-"), text.prefix(8).allSatisfy(\.isNumber) {
            let d = Array(text)
            text = String(d[0..<4]) + "-" + String(d[4..<6]) + "-" + String(d[6..<8]) + String(d[8...])
        }
        let dateTime = text.split(separator: "T", maxSplits: 1)
        let date = dateTime[0].split(separator: "-")
        guard date.count == 3, let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
              (1800...2200).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var time = "00:00:00"
        var zone = ""
        if dateTime.count == 2 {
            var clock = String(dateTime[1])
            if let split = clock.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) {
                zone = timeZone(String(clock[split...])) ?? ""
                clock = String(clock[..<split])
            }
            if !clock.contains(":"), clock.count >= 4 {
                let c = Array(clock)
                clock = String(c[0..<2]) + ":" + String(c[2..<4]) + (c.count >= 6 ? ":" + String(c[4..<6]) : "")
            }
            let fields = clock.split(separator: ":").compactMap { Int($0.prefix(2)) }
            guard fields.count >= 2 else { return nil }
            time = "\(pad(fields[0])):\(pad(fields[1])):\(pad(fields.count > 2 ? fields[2] : 0))"
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(time)\(zone)"
    }

    /// "+02:00", "-0530", "Z" → "+02:00", "-05:30", "Z"; anything else → nil.
    static func timeZone(_ text: String) -> String? {
        let value = text.trimmed
        if value == "Z" { return "Z" }
        guard let sign = value.first, sign == "+" || sign == "-" else { return nil }
        let digits = value.dropFirst().filter(\.isNumber)
        guard digits.count == 4 || digits.count == 2, let hours = Int(digits.prefix(2)), hours <= 14 else { return nil }
        let minutes = digits.count == 4 ? Int(digits.suffix(2)) ?? 0 : 0
        return "\(sign)\(pad(hours)):\(pad(minutes))"
    }

    /// EXIF "51/1 30/1 1234/100" with "N"/"S" → signed decimal degrees.
    static func degrees(_ value: String?, reference: String?) -> Double? {
        guard let value else { return nil }
        let parts = numbers(value)
        guard parts.count == 3, parts.allSatisfy({ $0 >= 0 }) else { return nil }
        let magnitude = parts[0] + parts[1] / 60 + parts[2] / 3600
        let ref = reference?.trimmed.uppercased()
        return ref == "S" || ref == "W" ? -magnitude : magnitude
    }

    /// XMP "51,30.5N" or "51,30,30N" → signed decimal degrees.
    static func xmpDegrees(_ value: String?) -> Double? {
        guard var text = value?.trimmed, let hemisphere = text.last, "NSEW".contains(hemisphere) else { return nil }
        text.removeLast()
        let parts = text.split(separator: ",").compactMap { Double($0) }
        guard !parts.isEmpty else { return nil }
        let magnitude = parts[0] + (parts.count > 1 ? parts[1] / 60 : 0) + (parts.count > 2 ? parts[2] / 3600 : 0)
        return hemisphere == "S" || hemisphere == "W" ? -magnitude : magnitude
    }

    private static func pad(_ number: Int, _ width: Int = 2) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
