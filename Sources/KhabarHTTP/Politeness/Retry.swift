import Foundation

/// Exponential backoff with full jitter (the AWS analysis: spreads retries of many clients best):
/// attempt n waits a uniformly random time in 0 ..< min(cap, base · 2ⁿ⁻¹).
struct Backoff: Sendable {
    var base: Duration
    var cap: Duration

    func delay(afterAttempt attempt: Int) -> Duration {
        let baseMs = Double(Transfer.milliseconds(base))
        let capMs = Double(Transfer.milliseconds(cap))
        let ceiling = min(capMs, baseMs * pow(2, Double(max(0, attempt - 1))))
        guard ceiling >= 1 else { return .zero }
        return .milliseconds(Int64(Double.random(in: 0..<ceiling)))
    }
}

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
enum RetryAfter {
    /// The wait it asks for, never negative; nil when absent or unreadable.
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let raw = value?.trimmingASCIIWhitespace(), !raw.isEmpty else { return nil }
        if raw.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Absurd values saturate instead of overflowing.
            guard let seconds = Int64(raw.prefix(12)) else { return nil }
            return .seconds(seconds)
        }
        guard let date = HTTPDate.parse(raw) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds <= 0 ? .zero : .milliseconds(Int64(seconds * 1000))
    }
}

/// The three date formats HTTP allows (RFC 9110 §5.6.7): IMF-fixdate, RFC 850 and asctime.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        // Tokens: "Sun, 06 Nov 1994 08:49:37 GMT" · "Sunday, 06-Nov-94 08:49:37 GMT" · "Sun Nov  6 08:49:37 1994"
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        var month: Int?
        var numbers: [Int] = []
        var time: (Int, Int, Int)?
        for token in tokens {
            let lower = token.lowercased()
            if let m = months.firstIndex(of: lower) {
                month = m + 1
            } else if token.contains(":") {
                let parts = token.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 3 else { return nil }
                time = (parts[0], parts[1], parts[2])
            } else if let n = Int(token) {
                numbers.append(n)
            } else if lower == "gmt" || lower == "utc" || lower == "ut" || lower == "z" {
                continue
            } else if lower.count >= 3, lower.allSatisfy({ $0.isLetter }) {
                continue // a weekday
            } else {
                return nil
            }
        }
        guard let month, let time, numbers.count == 2 else { return nil }
        let day = numbers[0]
        var year = numbers[1]
        if year < 100 { year += year < 70 ? 2000 : 1900 }
        guard (1...31).contains(day), (0...23).contains(time.0), (0...59).contains(time.1), (0...60).contains(time.2)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + time.0 * 3600 + time.1 * 60 + time.2
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
