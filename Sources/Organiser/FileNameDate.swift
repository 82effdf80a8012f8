/// Dates phones and apps write into file names: IMG_20190614_183012, PXL_20230101_101500123, VID_…,
/// Screenshot_20190614-183012, Screenshot 2019-06-14 at 18.30.12, WhatsApp's IMG-20190614-WA0001 (a day only).
public enum FileNameDate {
    public static func date(in name: String) -> CaptureDate? {
        let characters = Array(name)
        var start = 0
        while start < characters.count {
            // A date starts a run of digits: 120190614 is no date.
            if characters[start].isASCIIDigit, start == 0 || !characters[start - 1].isASCIIDigit,
               let date = date(at: start, in: characters) {
                return date
            }
            start += 1
        }
        return nil
    }

    /// YYYY[-_.]MM[-_.]DD, then optionally [-_ T.] or " at " and HH[-_.:]MM[-_.:]SS.
    private static func date(at start: Int, in characters: [Character]) -> CaptureDate? {
        var index = start
        func number(_ width: Int) -> Int? {
            guard index + width <= characters.count else { return nil }
            let slice = characters[index..<index + width]
            guard slice.allSatisfy(\.isASCIIDigit) else { return nil }
            index += width
            return Int(String(slice))
        }
        func separator(_ allowed: String) {
            if index < characters.count, allowed.contains(characters[index]) { index += 1 }
        }
        guard let year = number(4), (1990...2099).contains(year) else { return nil }
        separator("-_.")
        guard let month = number(2), (1...12).contains(month) else { return nil }
        separator("-_.")
        guard let day = number(2), (1...31).contains(day) else { return nil }
        let dayEnd = index
        if String(characters[index...].prefix(4)) == " at " { index += 4 } else { separator("-_ T.") }
        if let hour = number(2), (0...23).contains(hour) {
            separator("-_.:")
            if let minute = number(2), (0...59).contains(minute) {
                separator("-_.:")
                if let second = number(2), (0...59).contains(second) {
                    return CaptureDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
                }
            }
        }
        // The day alone: valid only when no digits run straight on from it.
        guard dayEnd == characters.count || !characters[dayEnd].isASCIIDigit else { return nil }
        return CaptureDate(year: year, month: month, day: day)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
