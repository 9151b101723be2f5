import Foundation

/// A date as a feed or sitemap states it, kept the way docs/DESIGN.md wants dates kept: RFC 3339
/// with the offset the source gave (`2022-07-19T11:30:00+04:30`), `Z` when it gave UTC or no
/// offset, and the date alone (`2022-07-19`) when it gave only a day.
///
/// Parses RFC 3339 / ISO 8601 / W3C-DTF (Atom, sitemaps, `dc:date`) and RFC 822/2822 (RSS
/// `pubDate`) with the variants real feeds carry: named zones (`GMT`, `EST`, `IRST` …), numeric
/// offsets with or without a colon, missing weekday or seconds, two-digit years, full month names,
/// `GMT+0430`, a trailing `(comment)`, Arabic-Indic and Persian digits. Fractions of a second
/// are dropped. Anything it cannot read with confidence is nil, never a guess.
public struct PublicationDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The RFC 3339 text (or `YYYY-MM-DD` for a day).
    public let rfc3339: String
    /// Seconds since 1970-01-01T00:00:00Z of the instant (a day alone: its midnight UTC).
    public let secondsSince1970: Int64
    /// False when only a day was given.
    public let hasTime: Bool

    public var description: String { rfc3339 }
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSince1970)) }

    public static func < (a: PublicationDate, b: PublicationDate) -> Bool {
        a.secondsSince1970 < b.secondsSince1970
    }

    /// Builds a date from its parts; nil when a part is out of range. `offsetMinutes` nil means
    /// the source stated no offset (then `Z`, as DESIGN.md says).
    init?(year: Int, month: Int, day: Int, time: (hour: Int, minute: Int, second: Int)?, offsetMinutes: Int?) {
        guard (1_900...2_200).contains(year), (1...12).contains(month),
              (1...CivilDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        let days = CivilDate.daysFromEpoch(year: year, month: month, day: day)
        let datePart = Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2)
        guard let time else {
            rfc3339 = datePart
            secondsSince1970 = days * 86_400
            hasTime = false
            return
        }
        let second = min(time.second, 59)   // a leap second is kept as :59
        guard (0...23).contains(time.hour), (0...59).contains(time.minute), (0...60).contains(time.second) else { return nil }
        let offset = offsetMinutes ?? 0
        guard abs(offset) < 24 * 60 else { return nil }
        var text = datePart + "T" + Self.pad(time.hour, 2) + ":" + Self.pad(time.minute, 2) + ":" + Self.pad(second, 2)
        if offset == 0 {
            text += "Z"
        } else {
            text += (offset < 0 ? "-" : "+") + Self.pad(abs(offset) / 60, 2) + ":" + Self.pad(abs(offset) % 60, 2)
        }
        rfc3339 = text
        secondsSince1970 = days * 86_400 + Int64(time.hour * 3_600 + time.minute * 60 + second) - Int64(offset * 60)
        hasTime = true
    }

    /// `n` in decimal, zero-padded to `width` digits (`n` is never negative here).
    private static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Reads any date format feeds and sitemaps use: ISO 8601 first, then RFC 822.
    public static func parse(_ text: some StringProtocol) -> PublicationDate? {
        let s = DateText.prepare(text)
        guard !s.isEmpty, s.count <= 200 else { return nil }
        return ISO8601Date.parse(s) ?? RFC822Date.parse(s)
    }
}

/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation's `Calendar`
/// (whose time zone and locale defaults have no place in a parser).
enum CivilDate {
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 (Howard Hinnant's `days_from_civil`).
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Shared clean-up of date text before parsing.
enum DateText {
    /// Trims, turns Arabic-Indic (U+0660…) and Persian (U+06F0…) digits into ASCII, and every run
    /// of white space (NBSP included) into one space.
    static func prepare(_ text: some StringProtocol) -> String {
        // The common case (an ISO date): printable ASCII without spaces needs nothing.
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return String(text) }
        var out = String.UnicodeScalarView()
        var space = false
        for u in text.unicodeScalars {
            var scalar = u
            switch u.value {
            case 0x0660...0x0669: scalar = Unicode.Scalar(UInt8(0x30 + u.value - 0x0660))
            case 0x06F0...0x06F9: scalar = Unicode.Scalar(UInt8(0x30 + u.value - 0x06F0))
            default: break
            }
            if scalar.value < 0x80 ? (scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D)) : scalar.properties.isWhitespace {
                space = !out.isEmpty
                continue
            }
            if space { out.append(" "); space = false }
            out.append(scalar)
        }
        return String(out)
    }

    /// Parses `n` ASCII digits at `i`; advances `i`.
    static func digits(_ b: [UInt8], _ i: inout Int, count n: Int) -> Int? {
        guard i + n <= b.count else { return nil }
        var v = 0
        for k in 0..<n {
            let c = b[i + k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        i += n
        return v
    }

    /// A numeric offset `+hh`, `+hhmm`, `+hh:mm` (or `-`); the minutes east of UTC.
    static func numericOffset(_ s: Substring) -> Int? {
        let b = Array(s.utf8)
        guard let sign = b.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        var i = 1
        guard let h = digits(b, &i, count: 2) else { return nil }
        var m = 0
        if i < b.count {
            if b[i] == UInt8(ascii: ":") { i += 1 }
            guard let mm = digits(b, &i, count: 2) else { return nil }
            m = mm
        }
        guard i == b.count, h <= 23, m <= 59 else { return nil }
        return (h * 60 + m) * (sign == UInt8(ascii: "-") ? -1 : 1)
    }
}

/// ISO 8601 / RFC 3339 / W3C-DTF: `YYYY-MM-DD`, optionally `T` (or a space) `hh:mm[:ss[.fff]]`,
/// optionally `Z` or an offset.
enum ISO8601Date {
    static func parse(_ s: String) -> PublicationDate? {
        let b = Array(s.utf8)
        var i = 0
        guard let year = DateText.digits(b, &i, count: 4), i < b.count, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let month = DateText.digits(b, &i, count: 2), i < b.count, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let day = DateText.digits(b, &i, count: 2) else { return nil }
        if i == b.count {
            return PublicationDate(year: year, month: month, day: day, time: nil, offsetMinutes: nil)
        }
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hour = DateText.digits(b, &i, count: 2), i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let minute = DateText.digits(b, &i, count: 2) else { return nil }
        var second = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            i += 1
            guard let sec = DateText.digits(b, &i, count: 2) else { return nil }
            second = sec
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
                guard i > start else { return nil }
            }
        }
        var zone = String(decoding: b[i...], as: UTF8.self)
        if zone.hasPrefix(" ") { zone.removeFirst() }
        let offset: Int?
        switch zone.uppercased() {
        case "": offset = nil
        case "Z", "UTC", "GMT", "UT": offset = 0
        default:
            guard let o = DateText.numericOffset(Substring(zone)) else { return nil }
            offset = o
        }
        return PublicationDate(year: year, month: month, day: day, time: (hour, minute, second), offsetMinutes: offset)
    }
}

/// RFC 822 / 2822 dates as RSS writes them, tolerantly.
enum RFC822Date {
    /// Zone names with an unambiguous offset in minutes. Military single letters are read as
    /// "offset unknown" (RFC 2822 §4.3: their meaning was botched in RFC 822), that is as `Z`.
    static let zones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
        "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
        "BST": 60, "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "WEST": 60,
        "MSK": 180, "TRT": 180, "IRST": 210, "IRDT": 270, "GST": 240, "PKT": 300, "AFT": 270,
        "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AEST": 600, "AEDT": 660,
    ]

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Gregorian month names as Arabic (Egypt, Gulf) and Persian sites write them when they
    /// localise `pubDate` against the RFC; one word each.
    static let localMonths: [String: Int] = [
        "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
        "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
        "ديسمبر": 12,
        "ژانویه": 1, "ژانویهٔ": 1, "فوریه": 2, "آوریل": 4, "مه": 5, "می": 5, "ژوئن": 6, "ژوئیه": 7, "جولای": 7,
        "اوت": 8, "آگوست": 8, "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12,
    ]

    static func parse(_ input: String) -> PublicationDate? {
        // Comments such as "(IRDT)" go; commas become spaces; `19-Jul-2022` splits.
        var s = ""
        var depth = 0
        for c in input {
            if c == "(" { depth += 1; continue }
            if c == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { s.append(c == "," || c == "،" ? " " : c) }
        }
        var tokens: [Substring] = []
        for token in s.split(separator: " ") {
            let parts = token.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), parts[0].allSatisfy(\.isNumber),
               parts[1].allSatisfy(\.isLetter) {
                tokens.append(contentsOf: parts)
            } else {
                tokens.append(token)
            }
        }

        var month: Int?
        var numbers: [Substring] = []
        var time: (Int, Int, Int)?
        var offset: Int?
        var pm: Bool?
        for token in tokens {
            let lower = token.lowercased()
            if token.utf8.contains(UInt8(ascii: ":")) && time == nil && token.first?.isNumber == true {
                guard let t = parseTime(token) else { return nil }
                time = t
            } else if token.allSatisfy({ $0.isASCII && $0.isNumber }) {
                numbers.append(token)
            } else if lower == "am" || lower == "pm" {
                pm = lower == "pm"
            } else if token.first == "+" || token.first == "-" {
                guard let o = DateText.numericOffset(token) else { return nil }
                offset = o
            } else if let z = zoneOffset(token) {
                offset = z
            } else if month == nil, lower.count >= 3, let m = months.firstIndex(of: String(lower.prefix(3))),
                      lower.allSatisfy(\.isLetter) {
                month = m + 1
            } else if month == nil, let m = localMonths[String(token)] {
                month = m
            } else if token.allSatisfy(\.isLetter) {
                continue   // a weekday, a word such as "at", or an unknown zone (offset unknown: Z)
            } else {
                return nil
            }
        }
        guard let month else { return nil }
        // Day: the first number of at most two digits; year: a four-digit number, else the other.
        guard let dayIndex = numbers.firstIndex(where: { $0.count <= 2 }), let day = Int(numbers[dayIndex]) else { return nil }
        numbers.remove(at: dayIndex)
        guard numbers.count == 1, let y = Int(numbers[0]) else { return nil }
        let year: Int
        switch numbers[0].count {
        case 4: year = y
        case 2: year = y < 50 ? 2_000 + y : 1_900 + y
        default: return nil
        }
        if var t = time, let pm {
            guard (1...12).contains(t.0) else { return nil }
            t.0 = t.0 % 12 + (pm ? 12 : 0)
            time = t
        }
        return PublicationDate(year: year, month: month, day: day, time: time.map { ($0.0, $0.1, $0.2) }, offsetMinutes: offset)
    }

    /// `h:mm` or `h:mm:ss` (fractions dropped).
    private static func parseTime(_ token: Substring) -> (Int, Int, Int)? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        var values: [Int] = []
        for (i, p) in parts.enumerated() {
            var text = p
            if i == 2, let dot = text.firstIndex(of: ".") { text = text[..<dot] }
            guard (1...2).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(text) else { return nil }
            values.append(v)
        }
        return (values[0], values[1], values.count == 3 ? values[2] : 0)
    }

    /// A named zone, or `GMT+0430` / `UTC-05:00`; a single military letter is UTC.
    private static func zoneOffset(_ token: Substring) -> Int?? {
        let upper = token.uppercased()
        if let z = zones[upper] { return .some(z) }
        for prefix in ["GMT", "UTC", "UT"] where upper.hasPrefix(prefix) {
            let rest = upper.dropFirst(prefix.count)
            if rest.first == "+" || rest.first == "-", let o = DateText.numericOffset(rest) { return .some(o) }
        }
        if upper.count == 1, let c = upper.first, c.isLetter, c != "J" { return .some(nil) }
        return nil
    }
}
