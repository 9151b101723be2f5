import Foundation

/// What `khabar log` shows and how: the time arguments, the table, the JSON lines, the footer.
/// Kept out of the CLI so it is tested directly.
public enum EventLogView {
    // MARK: - Time arguments

    /// Parses `--since`/`--until`: a duration back from `now` (`24h`, `7d`, `1h30m`), a date
    /// (`2026-11-23`, midnight UTC), or a date and time (`2026-11-23T10:00`, `2026-11-23 10:00:05`,
    /// UTC unless an offset or `Z` is given: `2026-11-23T10:00:00+03:30`). Nil when it is neither.
    public static func parseTime(_ text: String, now: Date) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let duration = Units.parseDuration(s) {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return now.addingTimeInterval(-seconds)
        }
        let b = Array(s.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D, let year = number(0..<4), let month = number(5..<7),
              let day = number(8..<10), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var offsetSeconds = 0
        var i = 10
        if i < b.count {
            guard b[i] == 0x54 || b[i] == 0x20, let h = number((i + 1)..<(i + 3)), i + 3 < b.count, b[i + 3] == 0x3A,
                  let m = number((i + 4)..<(i + 6)), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            i += 6
            if i < b.count, b[i] == 0x3A {
                guard let sec = number((i + 1)..<(i + 3)), sec < 60 else { return nil }
                second = sec
                i += 3
            }
            if i < b.count {
                if b[i] == 0x5A && i + 1 == b.count {
                    i += 1
                } else if (b[i] == 0x2B || b[i] == 0x2D), i + 6 == b.count, b[i + 3] == 0x3A,
                          let oh = number((i + 1)..<(i + 3)), let om = number((i + 4)..<(i + 6)), oh < 24, om < 60 {
                    offsetSeconds = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
                    i += 6
                } else {
                    return nil
                }
            }
        }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(TimeInterval(-offsetSeconds))
    }

    // MARK: - Formatting

    /// `2026-11-23 10:04:05` (UTC), the table's time column.
    public static func tableTime(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let iso = UTCTime.format(seconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(8))
    }

    /// `2026-11-23T10:04:05.123Z`, the JSON `ts`.
    public static func jsonTime(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = Int(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(millis - Int64(seconds) * 1000)
        let iso = UTCTime.format(seconds)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return String(iso.dropLast()) + ".\(msText)Z"
    }

    /// What the table's last column says about an event.
    public static func describe(_ event: IngestEvent) -> String {
        var parts: [String] = []
        switch event.outcome {
        case .added:
            var s = "\"\(event.title ?? "")\""
            if let chars = event.chars { s += " (\(IngestOutcome.grouped(chars)) chars)" }
            parts.append(s)
            if let near = event.relatedFile { parts.append("near-duplicate of \(near)") }
        case .revised:
            if let previous = event.relatedFile { parts.append("supersedes \(previous)") }
            if let title = event.title { parts.append("\"\(title)\"") }
        case .duplicate:
            if let detail = event.detail, detail.hasPrefix("same text as") {
                parts.append(detail)
            } else {
                if let file = event.relatedFile { parts.append("of \(file)") }
                if let detail = event.detail { parts.append(detail) }
            }
        case .nearDuplicate:
            if let file = event.relatedFile { parts.append("of \(file)") }
            if let detail = event.detail { parts.append(detail) }
        default:
            if let detail = event.detail { parts.append(detail) }
        }
        return parts.joined(separator: "; ")
    }

    /// The table's columns for an event: time, action, source, HTTP status, file, URL, details.
    public static func columns(_ event: IngestEvent) -> [String] {
        [
            tableTime(event.time), event.outcome.rawValue, event.source ?? "-",
            event.httpStatus.map(String.init) ?? "-", event.file ?? "-", event.url ?? "-", describe(event),
        ]
    }

    public static let header = ["TIME (UTC)", "ACTION", "SOURCE", "HTTP", "FILE", "URL", "DETAIL"]

    /// Column widths (in characters) that fit `header` and `rows` (the last column is never padded).
    public static func widths(_ rows: [[String]]) -> [Int] {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count - 1 {
                widths[i] = max(widths[i], cell.count)
            }
        }
        return widths
    }

    /// One aligned table line, two spaces between columns, no trailing space.
    public static func tableLine(_ cells: [String], widths: [Int]) -> String {
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { line += "  " }
            if i == cells.count - 1 {
                line += cell
            } else {
                line += cell + String(repeating: " ", count: max(0, (i < widths.count ? widths[i] : 0) - cell.count))
            }
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// One event as a JSON line (keys in a fixed order, absent values `null`).
    public static func jsonLine(_ event: IngestEvent) -> String {
        func s(_ v: String?) -> FlatJSON.Value { v.map(FlatJSON.Value.string) ?? .null }
        func n(_ v: Int?) -> FlatJSON.Value { v.map(FlatJSON.Value.integer) ?? .null }
        return FlatJSON.object([
            ("kind", .string("event")), ("id", event.id.map { .integer(Int($0)) } ?? .null),
            ("ts", .string(jsonTime(event.time))), ("action", .string(event.outcome.rawValue)),
            ("source", s(event.source)), ("url", s(event.url)), ("http_status", n(event.httpStatus)),
            ("bytes", n(event.bytes)), ("ms", n(event.milliseconds)), ("file", s(event.file)),
            ("related_file", s(event.relatedFile)), ("title", s(event.title)), ("chars", n(event.chars)),
            ("detail", s(event.detail)),
        ])
    }

    /// An article version (for `--url --json`).
    public static func jsonLine(version entry: IndexEntry) -> String {
        func s(_ v: String?) -> FlatJSON.Value { v.map(FlatJSON.Value.string) ?? .null }
        return FlatJSON.object([
            ("kind", .string("version")), ("ts", entry.time.map { .string(UTCTime.format(Int($0.timeIntervalSince1970))) } ?? .null),
            ("action", s(entry.action)), ("file", .string(entry.name)), ("hash", .string(entry.hash)),
            ("url", s(entry.url)), ("canonical_url", s(entry.canonicalURL)), ("source", s(entry.source)),
            ("title", s(entry.title)), ("chars", .integer(entry.chars)), ("supersedes", s(entry.supersedes)),
            ("near_duplicate_of", s(entry.nearDuplicateOf)),
        ])
    }

    /// An article version as a table line.
    public static func versionLine(_ entry: IndexEntry) -> String {
        let action = entry.action ?? "adopted"
        var line = "\(entry.name)  \(action)\(String(repeating: " ", count: max(0, 7 - action.count)))"
        if let time = entry.time { line += "  " + tableTime(time) }
        line += "  \"\(entry.title ?? "")\" (\(IngestOutcome.grouped(entry.chars)) chars)"
        if let previous = entry.supersedes { line += "  supersedes \(previous)" }
        return line
    }

    /// The footer: counts per action in the order of DESIGN.md's list, then the total.
    public static func footer(_ counts: [EventOutcome: Int]) -> String {
        let total = counts.values.reduce(0, +)
        if total == 0 { return "no events" }
        let parts = EventOutcome.allCases.compactMap { outcome in counts[outcome].map { "\(outcome.rawValue) \(IngestOutcome.grouped($0))" } }
        return parts.joined(separator: ", ") + " — \(IngestOutcome.grouped(total)) event\(total == 1 ? "" : "s")"
    }
}
