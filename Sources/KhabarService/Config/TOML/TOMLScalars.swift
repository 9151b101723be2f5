/// The unquoted values: booleans, integers, floats and the four date-time kinds, read from one
/// token (a run of letters, digits and `_ + - . :`, with the space of `1979-05-27 07:32:00`).
enum TOMLScalars {
    typealias Problem = TOMLError.Reason

    static func parse(_ token: [UInt8]) -> Result<TOMLValue.Kind, Problem> {
        // The text as shown in messages: a very long token is cut short.
        let text = token.count <= 64 ? String(decoding: token, as: UTF8.self)
                                     : String(decoding: token.prefix(64), as: UTF8.self) + "…"
        switch text {
        case "true": return .success(.boolean(true))
        case "false": return .success(.boolean(false))
        case "inf", "+inf": return .success(.float(.infinity))
        case "-inf": return .success(.float(-.infinity))
        case "nan", "+nan": return .success(.float(.nan))
        case "-nan": return .success(.float(-.nan))
        default: break
        }
        if ["inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(text.lowercased()) {
            return .failure(.invalidValue(text))
        }
        if looksLikeDate(token) || looksLikeTime(token) {
            return TOMLDateTimes.parse(token, text: text)
        }
        guard let first = token.first, TOMLScanner.isDigit(first) || first == 0x2B || first == 0x2D
                || first == 0x2E || first == 0x5F else {
            return .failure(.invalidValue(text))
        }
        return number(token, text: text)
    }

    private static func looksLikeDate(_ t: [UInt8]) -> Bool {
        t.count >= 5 && t[0...3].allSatisfy(TOMLScanner.isDigit) && t[4] == 0x2D
    }

    private static func looksLikeTime(_ t: [UInt8]) -> Bool {
        t.count >= 3 && TOMLScanner.isDigit(t[0]) && TOMLScanner.isDigit(t[1]) && t[2] == 0x3A
    }

    // MARK: - Numbers

    private static func number(_ token: [UInt8], text: String) -> Result<TOMLValue.Kind, Problem> {
        var i = 0
        var negative = false
        if token[0] == 0x2B || token[0] == 0x2D {
            negative = token[0] == 0x2D
            i = 1
        }
        let rest = token[i...]
        if rest.count >= 2 && rest.first == 0x30 {
            let p = rest[rest.startIndex + 1]
            let radix: Int? = p == UInt8(ascii: "x") ? 16 : p == UInt8(ascii: "o") ? 8 : p == UInt8(ascii: "b") ? 2 : nil
            if let radix {
                if i > 0 { return .failure(.invalidNumber(text, .signedPrefix)) }
                return prefixed(token[2...], radix: radix, text: text)
            }
            if p == UInt8(ascii: "X") || p == UInt8(ascii: "O") || p == UInt8(ascii: "B") {
                return .failure(.invalidNumber(text, .upperCasePrefix))
            }
        }
        // Decimal: integer part, then an optional fraction and an optional exponent.
        var j = i
        switch digits(token, &j, radix: 10) {
        case .failure(let p): return .failure(.invalidNumber(text, p))
        case .success(let count):
            if count == 0 {
                return .failure(.invalidNumber(text, token.count > j && token[j] == 0x2E ? .fraction : .malformed))
            }
        }
        let integerEnd = j
        if token[i] == 0x30 && integerEnd - i > 1 { return .failure(.invalidNumber(text, .leadingZero)) }
        var isFloat = false
        if j < token.count && token[j] == 0x2E {
            isFloat = true
            j += 1
            switch digits(token, &j, radix: 10) {
            case .failure(let p): return .failure(.invalidNumber(text, p))
            case .success(let count): if count == 0 { return .failure(.invalidNumber(text, .fraction)) }
            }
        }
        if j < token.count && (token[j] == UInt8(ascii: "e") || token[j] == UInt8(ascii: "E")) {
            isFloat = true
            j += 1
            if j < token.count && (token[j] == 0x2B || token[j] == 0x2D) { j += 1 }
            switch digits(token, &j, radix: 10) {
            case .failure(let p): return .failure(.invalidNumber(text, p))
            case .success(let count): if count == 0 { return .failure(.invalidNumber(text, .exponent)) }
            }
        }
        if j < token.count {
            let c = token[j]
            if !isFloat && c == 0x3A { return .failure(.invalidDateTime(text, "expected a time such as 07:32:00")) }
            if TOMLScanner.isBareKeyByte(c) && c != 0x2D && c != 0x5F && !TOMLScanner.isDigit(c) && !isFloat {
                return .failure(.invalidNumber(text, .digit(Unicode.Scalar(c), radix: 10)))
            }
            return .failure(.invalidNumber(text, .malformed))
        }
        if isFloat {
            let clean = String(decoding: token.filter { $0 != 0x5F }, as: UTF8.self)
            guard let value = Double(clean) else { return .failure(.invalidNumber(text, .malformed)) }
            guard value.isFinite else { return .failure(.floatOutOfRange(text)) }
            return .success(.float(value))
        }
        var magnitude: UInt64 = 0
        for b in token[i..<integerEnd] where b != 0x5F {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(b - 0x30))
            if o1 || o2 { return .failure(.integerOutOfRange(text)) }
            magnitude = s
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .failure(.integerOutOfRange(text)) }
            return .success(.integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)))
        }
        if magnitude > UInt64(Int64.max) { return .failure(.integerOutOfRange(text)) }
        return .success(.integer(Int64(magnitude)))
    }

    /// `0x`, `0o` and `0b` integers (never signed); `digits` is what follows the prefix.
    private static func prefixed(_ digitsPart: ArraySlice<UInt8>, radix: Int, text: String) -> Result<TOMLValue.Kind, Problem> {
        let token = Array(digitsPart)
        var j = 0
        switch digits(token, &j, radix: radix) {
        case .failure(let p): return .failure(.invalidNumber(text, p))
        case .success(let count): if count == 0 && token.isEmpty { return .failure(.invalidNumber(text, .noDigits)) }
        }
        if j < token.count {
            let c = token[j]
            if c == 0x5F { return .failure(.invalidNumber(text, .underscore)) }
            return .failure(.invalidNumber(text, .digit(Unicode.Scalar(c), radix: radix)))
        }
        var value: UInt64 = 0
        for b in token where b != 0x5F {
            let digit = UInt64(TOMLScanner.hexDigit(b) ?? 0)
            let (m, o1) = value.multipliedReportingOverflow(by: UInt64(radix))
            let (s, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return .failure(.integerOutOfRange(text)) }
            value = s
        }
        if value > UInt64(Int64.max) { return .failure(.integerOutOfRange(text)) }
        return .success(.integer(Int64(value)))
    }

    /// Reads `digit *( [_] digit )` in `radix` from `j`, returning how many digits it read. An
    /// underscore must stand between two digits.
    private static func digits(_ t: [UInt8], _ j: inout Int, radix: Int) -> Result<Int, TOMLError.Reason.NumberProblem> {
        var count = 0
        while j < t.count {
            let b = t[j]
            if b == 0x5F {
                guard count > 0, j + 1 < t.count, isDigit(t[j + 1], radix: radix) else { return .failure(.underscore) }
                j += 1
                continue
            }
            guard isDigit(b, radix: radix) else { break }
            count += 1
            j += 1
        }
        if count == 0 && j < t.count && t[j] == 0x5F { return .failure(.underscore) }
        return .success(count)
    }

    private static func isDigit(_ b: UInt8, radix: Int) -> Bool {
        switch radix {
        case 2: return b == 0x30 || b == 0x31
        case 8: return b >= 0x30 && b <= 0x37
        case 16: return TOMLScanner.hexDigit(b) != nil
        default: return TOMLScanner.isDigit(b)
        }
    }
}

/// RFC 3339 dates and times as TOML 1.0 takes them: `1979-05-27`, `07:32:00[.fraction]`, the two
/// joined by `T`, `t` or a space, and an optional `Z`/`z` or `±HH:MM` offset after a date-time.
/// Seconds are required (TOML 1.0); the fields are range-checked, leap years included.
enum TOMLDateTimes {
    static func parse(_ t: [UInt8], text: String) -> Result<TOMLValue.Kind, TOMLError.Reason> {
        func fail(_ problem: String) -> Result<TOMLValue.Kind, TOMLError.Reason> {
            .failure(.invalidDateTime(text, problem))
        }
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= t.count else { return nil }
            var n = 0
            for k in i..<i + width {
                guard TOMLScanner.isDigit(t[k]) else { return nil }
                n = n * 10 + Int(t[k] - 0x30)
            }
            i += width
            return n
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < t.count && t[i] == c else { return false }
            i += 1
            return true
        }

        var date: TOMLLocalDate?
        if t.count >= 5 && t[4] == 0x2D {
            guard let y = number(4), expect(0x2D), let m = number(2), expect(0x2D), let d = number(2) else {
                return fail("expected a date such as 1979-05-27")
            }
            guard (1...12).contains(m) else { return fail("the month must be 01 to 12") }
            guard d >= 1 && d <= daysIn(month: m, year: y) else {
                return fail("day \(d) does not exist in month \(m) of \(y)")
            }
            date = TOMLLocalDate(year: y, month: m, day: d)
            if i == t.count { return .success(.localDate(TOMLLocalDate(year: y, month: m, day: d))) }
            guard t[i] == UInt8(ascii: "T") || t[i] == UInt8(ascii: "t") || t[i] == 0x20 else {
                return fail("expected 'T' or a space between the date and the time")
            }
            i += 1
        }
        guard let h = number(2), expect(0x3A), let min = number(2) else {
            return fail("expected a time such as 07:32:00")
        }
        guard expect(0x3A), let s = number(2) else { return fail("seconds are required (HH:MM:SS)") }
        guard h <= 23 else { return fail("the hour must be 00 to 23") }
        guard min <= 59 else { return fail("the minute must be 00 to 59") }
        guard s <= 60 else { return fail("the second must be 00 to 60") }
        var nanosecond = 0
        if i < t.count && t[i] == 0x2E {
            i += 1
            var digits = 0
            while i < t.count && TOMLScanner.isDigit(t[i]) {
                // Precision beyond nanoseconds is truncated, never rounded.
                if digits < 9 { nanosecond = nanosecond * 10 + Int(t[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return fail("a decimal point needs digits after it") }
            for _ in digits..<max(digits, 9) { nanosecond *= 10 }
        }
        let time = TOMLLocalTime(hour: h, minute: min, second: s, nanosecond: nanosecond)
        guard let date else {
            if i == t.count { return .success(.localTime(time)) }
            return fail("a time without a date cannot have an offset or anything after it")
        }
        if i == t.count { return .success(.localDateTime(TOMLLocalDateTime(date: date, time: time))) }
        var offset = 0
        if t[i] == UInt8(ascii: "Z") || t[i] == UInt8(ascii: "z") {
            i += 1
        } else if t[i] == 0x2B || t[i] == 0x2D {
            let sign = t[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = number(2), expect(0x3A), let om = number(2) else {
                return fail("expected an offset such as Z, +03:30 or -07:00")
            }
            guard oh <= 23 && om <= 59 else { return fail("the offset must be from -23:59 to +23:59") }
            offset = sign * (oh * 60 + om)
        } else {
            return fail("expected an offset such as Z, +03:30 or -07:00, or nothing")
        }
        guard i == t.count else { return fail("unexpected characters after the offset") }
        return .success(.offsetDateTime(TOMLOffsetDateTime(date: date, time: time, offsetMinutes: offset)))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
