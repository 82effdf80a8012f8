/// What a `Range` header asks of a file of `size` bytes (RFC 9110 §14): the whole file when there is no
/// header or one this server does not honour (several ranges, another unit, malformed), one span, or nothing
/// it can give.
enum ByteRange: Equatable {
    case whole
    case span(ClosedRange<Int64>)
    case unsatisfiable

    init(_ header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { self = .whole; return }
        let spec = header.dropFirst("bytes=".count)
        guard let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let first = spec[..<dash].trimmingSpaces, last = spec[spec.index(after: dash)...].trimmingSpaces
        if first.isEmpty {
            // The last N bytes.
            guard let suffix = Self.number(last) else { self = .whole; return }
            self = suffix == 0 || size == 0 ? .unsatisfiable : .span(max(0, size - suffix)...(size - 1))
            return
        }
        guard let start = Self.number(first) else { self = .whole; return }
        guard start < size else { self = .unsatisfiable; return }
        if last.isEmpty { self = .span(start...(size - 1)); return }
        guard let end = Self.number(last), end >= start else { self = .whole; return }
        self = .span(start...min(end, size - 1))
    }

    /// Digits only (`Int64` alone would take a sign); too many digits are not a number either.
    private static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return self[start..<Swift.max(start, end)]
    }
}
