/// Dates as pages write them, to RFC 3339 as DESIGN.md wants: the page's own offset kept
/// (`2022-07-19T11:30:00+04:30`), `Z` for UTC or no offset, the date alone for a day.
/// Machine forms (ISO 8601, RFC 822) and, when a page has nothing better, dates written for
/// people: Solar Hijri with Persian, Arabic-Indic or ASCII digits (`۱۱ تیر ۱۴۰۲`), Gregorian
/// months in Arabic (`21 يناير 2015`, `19 تموز 2022`) and English (`November 19, 2019`).
enum DateText {
    // MARK: machine-readable

    /// Parses ISO 8601 / RFC 3339 / RFC 822 date-times; nil when the value is not one.
    static func parseMachine(_ raw: String) -> String? {
        let s = Array(raw.utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A })
        if let iso = parseISO(s) { return iso }
        return parseRFC822(raw)
    }

    private static func digits(_ s: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at + count <= s.count else { return nil }
        var v = 0
        for k in 0..<count {
            let c = s[at + k]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    static func parseISO(_ s: [UInt8]) -> String? {
        guard let y = digits(s, 0, 4) else { return nil }
        var i = 4
        let sep: UInt8? = i < s.count && (s[i] == 0x2D || s[i] == 0x2F || s[i] == 0x2E) ? s[i] : nil
        if sep != nil { i += 1 }
        guard let mo = digits(s, i, 2) else { return nil }
        i += 2
        if let sep { guard i < s.count, s[i] == sep else { return nil }; i += 1 }
        guard let d = digits(s, i, 2) else { return nil }
        i += 2
        guard valid(y, mo, d) else { return nil }
        let date = "\(pad(y, 4))-\(pad(mo))-\(pad(d))"
        guard i < s.count, s[i] == UInt8(ascii: "T") || s[i] == 0x20 || s[i] == UInt8(ascii: "t") else { return date }
        i += 1
        guard let h = digits(s, i, 2) else { return date }
        i += 2
        if i < s.count && s[i] == 0x3A { i += 1 }
        guard let mi = digits(s, i, 2), h < 24, mi < 60 else { return date }
        i += 2
        var sec = 0
        if i < s.count && s[i] == 0x3A {
            guard let ss = digits(s, i + 1, 2), ss < 61 else { return date }
            sec = min(ss, 59); i += 3
        }
        if i < s.count && (s[i] == 0x2E || s[i] == 0x2C) {
            i += 1
            while i < s.count && s[i] >= 0x30 && s[i] <= 0x39 { i += 1 }
        }
        while i < s.count && s[i] == 0x20 { i += 1 }
        let time = "\(date)T\(pad(h)):\(pad(mi)):\(pad(sec))"
        guard i < s.count else { return time + "Z" }
        if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") { return time + "Z" }
        if s[i] == 0x2B || s[i] == 0x2D {
            let sign = s[i] == 0x2B ? "+" : "-"
            i += 1
            guard let oh = digits(s, i, 2), oh <= 14 else { return time + "Z" }
            i += 2
            if i < s.count && s[i] == 0x3A { i += 1 }
            let om = digits(s, i, 2) ?? 0
            if oh == 0 && om == 0 { return time + "Z" }
            return time + "\(sign)\(pad(oh)):\(pad(om))"
        }
        if s.count - i >= 3, String(decoding: s[i..<min(s.count, i + 3)], as: UTF8.self).uppercased() == "UTC"
            || String(decoding: s[i..<min(s.count, i + 3)], as: UTF8.self).uppercased() == "GMT" {
            return time + "Z"
        }
        return time + "Z"
    }

    static let englishMonths: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
        "oct": 10, "nov": 11, "dec": 12, "january": 1, "february": 2, "march": 3, "april": 4, "june": 6,
        "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    ]

    /// `Tue, 19 Jul 2022 11:30:00 +0430` (RFC 822 / 1123, as in feeds and some meta tags).
    static func parseRFC822(_ raw: String) -> String? {
        var parts = raw.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if let f = parts.first, f.count <= 4, Int(f) == nil, englishMonths[f.lowercased()] == nil { parts.removeFirst() }
        guard parts.count >= 3, let d = Int(parts[0]), let mo = englishMonths[parts[1].lowercased()],
              var y = Int(parts[2]) else { return nil }
        if y < 100 { y += 2000 }
        guard valid(y, mo, d) else { return nil }
        let date = "\(pad(y, 4))-\(pad(mo))-\(pad(d))"
        guard parts.count >= 4 else { return date }
        let hms = parts[3].split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2, hms[0] < 24, hms[1] < 60 else { return date }
        let time = "\(date)T\(pad(hms[0])):\(pad(hms[1])):\(pad(hms.count > 2 ? min(hms[2], 59) : 0))"
        guard parts.count >= 5 else { return time + "Z" }
        let z = parts[4]
        if let first = z.first, first == "+" || first == "-", z.count == 5, let v = Int(z.dropFirst()) {
            let oh = v / 100, om = v % 100
            if oh == 0 && om == 0 { return time + "Z" }
            return time + "\(first)\(pad(oh)):\(pad(om))"
        }
        return time + "Z"
    }

    static func valid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        y >= 1970 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
    }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // MARK: written for people

    static let persianMonths: [String: Int] = [
        "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6, "مهر": 7,
        "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
    ]

    static let arabicMonths: [String: Int] = [
        "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
        "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
        "ديسمبر": 12, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5, "حزيران": 6, "تموز": 7, "آب": 8,
        "أيلول": 9, "ايلول": 9,
    ]

    /// Two-word Levantine months ("كانون الثاني").
    static let arabicTwoWordMonths: [String: Int] = [
        "كانون الثاني": 1, "تشرين الأول": 10, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    ]

    /// Words of a text with digits folded to ASCII and punctuation split off.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var cur = String.UnicodeScalarView()
        func push() { if !cur.isEmpty { out.append(String(cur)); cur = String.UnicodeScalarView() } }
        for s in text.unicodeScalars {
            let v = s.value
            if v >= 0x06F0 && v <= 0x06F9 { cur.append(Unicode.Scalar(v - 0x06F0 + 0x30)!); continue }
            if v >= 0x0660 && v <= 0x0669 { cur.append(Unicode.Scalar(v - 0x0660 + 0x30)!); continue }
            if s.properties.isAlphabetic || (v >= 0x30 && v <= 0x39) || v == 0x200C {
                // A digit run followed by letters ("11ام") splits into the number and the suffix.
                if let last = cur.last, (last.value >= 0x30 && last.value <= 0x39) != (v >= 0x30 && v <= 0x39) { push() }
                cur.append(s)
            } else { push() }
        }
        push()
        return out
    }

    /// The first date written for people in `text`, as `YYYY-MM-DD`.
    static func parseHuman(_ text: String) -> String? {
        let w = words(text)
        guard w.count >= 3 else { return nil }
        for k in 0..<(w.count - 2) {
            guard let d = Int(w[k]), d >= 1, d <= 31 else {
                // English "November 19, 2019".
                if let mo = englishMonths[w[k].lowercased()], k + 2 < w.count, let d = Int(w[k + 1]), let y = Int(w[k + 2]),
                   valid(y, mo, d) { return "\(pad(y, 4))-\(pad(mo))-\(pad(d))" }
                continue
            }
            var m = k + 1
            // Skip a day suffix such as "ام" (11ام تیر) or "th".
            if ["ام", "th", "st", "nd", "rd", "of"].contains(w[m]), m + 2 < w.count { m += 1 }
            if let mo = persianMonths[w[m]], m + 1 < w.count, let y = Int(w[m + 1]), y >= 1300, y <= 1500 {
                if let g = gregorian(fromJalali: y, mo, d) { return g }
            }
            var mo = arabicMonths[w[m]] ?? englishMonths[w[m].lowercased()]
            var yAt = m + 1
            if mo == nil, m + 2 < w.count, let two = arabicTwoWordMonths[w[m] + " " + w[m + 1]] { mo = two; yAt = m + 2 }
            // "24 نيسان / أبريل 2020": the Levantine and the Egyptian name side by side.
            if mo != nil, yAt < w.count, arabicMonths[w[yAt]] != nil { yAt += 1 }
            if let mo, yAt < w.count, let y = Int(w[yAt]), valid(y, mo, d) {
                return "\(pad(y, 4))-\(pad(mo))-\(pad(d))"
            }
        }
        return nil
    }

    /// Solar Hijri (Jalali) to Gregorian, `YYYY-MM-DD` (the standard arithmetic conversion).
    static func gregorian(fromJalali jy: Int, _ jm: Int, _ jd: Int) -> String? {
        guard jm >= 1, jm <= 12, jd >= 1, jd <= (jm <= 6 ? 31 : (jm <= 11 ? 30 : 30)) else { return nil }
        let jy = jy + 1595
        var days = -355668 + 365 * jy + (jy / 33) * 8 + ((jy % 33) + 3) / 4 + jd
        days += jm < 7 ? (jm - 1) * 31 : (jm - 7) * 30 + 186
        var gy = 400 * (days / 146097)
        days %= 146097
        if days > 36524 {
            days -= 1
            gy += 100 * (days / 36524)
            days %= 36524
            if days >= 365 { days += 1 }
        }
        gy += 4 * (days / 1461)
        days %= 1461
        if days > 365 {
            gy += (days - 1) / 365
            days = (days - 1) % 365
        }
        var gd = days + 1
        let leap = (gy % 4 == 0 && gy % 100 != 0) || gy % 400 == 0
        let monthDays = [0, 31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var gm = 1
        while gm <= 12 && gd > monthDays[gm] { gd -= monthDays[gm]; gm += 1 }
        guard valid(gy, gm, gd) else { return nil }
        return "\(pad(gy, 4))-\(pad(gm))-\(pad(gd))"
    }

    /// True for a folded short line that is essentially a date or time stamp.
    static func looksLikeDateLine(_ folded: String) -> Bool {
        if parseHuman(folded) != nil { return true }
        let w = words(folded)
        let numbers = w.filter { Int($0) != nil }.count
        return numbers >= 3 && numbers * 2 >= w.count
    }
}
