import Foundation
import KhabarState

/// What `khabar status` shows: per source, its schedule, its last error, what it added, and the
/// signals that tell an operator a site changed its layout; and whether a daemon runs on this state.
///
/// Built from the state alone (the configuration only names the sources and their order), so it
/// works while a daemon runs and after it stopped.
public struct StatusReport: Sendable, Equatable {
    public struct DaemonInfo: Sendable, Equatable {
        public var pid: Int32
        public var since: String
        /// The daemon's last heartbeat in the state, when it recorded one.
        public var heartbeat: Date?
    }

    /// Layout-change signals over the last day, against the source's 30-day norm.
    public struct Health: Sendable, Equatable {
        /// Pages extracted in the last 24 h (everything that reached the extractor's judgement).
        public var pagesLastDay: Int
        /// Of those, judged not an article or too short.
        public var rejectedLastDay: Int
        /// Average characters of the texts added in the last 24 h / the last 30 days.
        public var averageCharsLastDay: Int?
        public var averageChars30Days: Int?

        /// The share of extracted pages judged not-an-article or too short (0…1), nil without pages.
        public var rejectedShare: Double? {
            pagesLastDay == 0 ? nil : Double(rejectedLastDay) / Double(pagesLastDay)
        }

        /// Why the numbers look like a changed layout, or nil when they do not. Needs enough pages
        /// to mean anything: at least 10 extracted in the day.
        public var warning: String? {
            if pagesLastDay >= 10, let share = rejectedShare, share >= 0.5 {
                return "\(Int((share * 100).rounded()))% of the day's pages were judged not an article or too short"
            }
            if let day = averageCharsLastDay, let norm = averageChars30Days, norm > 0, pagesLastDay >= 10,
               Double(day) < 0.5 * Double(norm) {
                return "texts average \(day) chars today against \(norm) over 30 days"
            }
            return nil
        }
    }

    public struct Source: Sendable, Equatable {
        public var name: String
        public var url: String
        /// False when the state has never seen this source (never polled).
        public var known: Bool
        public var lastPoll: Date?
        public var nextDue: Date?
        public var lastSuccess: Date?
        public var consecutiveFailures: Int
        public var lastError: String?
        public var lastErrorAt: Date?
        public var pollInterval: Duration?
        public var addedToday: Int
        public var added7Days: Int
        public var addedTotal: Int
        public var revised7Days: Int
        public var duplicates7Days: Int
        public var failures24Hours: Int
        public var failures7Days: Int
        public var frontierTotal: Int
        public var frontierDue: Int
        public var health: Health
    }

    public var generated: Date
    public var daemon: DaemonInfo?
    public var sources: [Source]

    /// Outcomes that mean the page reached the extractor's judgement.
    static let judged: Set<EventOutcome> = [.added, .revised, .duplicate, .nearDuplicate, .filtered, .tooShort, .notArticle]

    /// Reads the report for `configuration`'s sources from `state`; `lockPath` is the daemon's run lock.
    public static func build(configuration: Configuration, state: StateStore?, lockPath: String,
                             now: Date = Date()) throws(StateError) -> StatusReport {
        var daemon: DaemonInfo?
        if let holder = RunLock.holder(path: lockPath) {
            let row = try state?.daemon()
            daemon = DaemonInfo(pid: holder.pid, since: holder.since,
                                heartbeat: row?.pid == holder.pid ? row?.heartbeat : nil)
        }
        let startOfDay = Calendar.utc.startOfDay(for: now)
        var windows: [String: [EventOutcome: (count: Int, chars: Int)]] = [:]
        func tally(since: Date?) throws(StateError) -> [String: [EventOutcome: (count: Int, chars: Int)]] {
            var out: [String: [EventOutcome: (count: Int, chars: Int)]] = [:]
            for row in try state?.sourceOutcomeCounts(since: since) ?? [] {
                out[row.source, default: [:]][row.outcome] = (row.count, row.chars)
            }
            return out
        }
        windows = try tally(since: startOfDay)
        let today = windows
        let day = try tally(since: now.addingTimeInterval(-86_400))
        let week = try tally(since: now.addingTimeInterval(-7 * 86_400))
        let month = try tally(since: now.addingTimeInterval(-30 * 86_400))
        let ever = try tally(since: nil)
        let rows = Dictionary((try state?.sources() ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

        var sources: [Source] = []
        for source in configuration.sources {
            let row = rows[source.name]
            func count(_ w: [String: [EventOutcome: (count: Int, chars: Int)]], _ o: EventOutcome) -> Int {
                w[source.name]?[o]?.count ?? 0
            }
            func average(_ w: [String: [EventOutcome: (count: Int, chars: Int)]]) -> Int? {
                let c = (w[source.name]?[.added]?.count ?? 0) + (w[source.name]?[.revised]?.count ?? 0)
                let chars = (w[source.name]?[.added]?.chars ?? 0) + (w[source.name]?[.revised]?.chars ?? 0)
                return c == 0 ? nil : chars / c
            }
            let judgedDay = judged.reduce(0) { $0 + count(day, $1) }
            let frontier = try state?.frontierCounts(source: source.name, now: now) ?? (total: 0, due: 0)
            sources.append(Source(
                name: source.name, url: source.url, known: row != nil,
                lastPoll: row?.lastPoll, nextDue: row?.nextDue, lastSuccess: row?.lastSuccess,
                consecutiveFailures: row?.consecutiveFailures ?? 0,
                lastError: row?.lastError, lastErrorAt: row?.lastErrorAt, pollInterval: row?.pollInterval,
                addedToday: count(today, .added), added7Days: count(week, .added), addedTotal: count(ever, .added),
                revised7Days: count(week, .revised), duplicates7Days: count(week, .duplicate) + count(week, .nearDuplicate),
                failures24Hours: count(day, .failed), failures7Days: count(week, .failed),
                frontierTotal: frontier.total, frontierDue: frontier.due,
                health: Health(pagesLastDay: judgedDay, rejectedLastDay: count(day, .notArticle) + count(day, .tooShort),
                               averageCharsLastDay: average(day), averageChars30Days: average(month))))
        }
        return StatusReport(generated: now, daemon: daemon, sources: sources)
    }
}

/// Prints a `StatusReport` for a terminal: a daemon line, then one block per source.
public enum StatusView {
    public static func render(_ report: StatusReport) -> String {
        let now = report.generated
        var out = ""
        if let d = report.daemon {
            out += "daemon: running, pid \(d.pid), since \(d.since)"
            if let beat = d.heartbeat { out += ", last heartbeat \(ago(beat, now: now))" }
            out += "\n"
        } else {
            out += "daemon: not running on this state\n"
        }
        for s in report.sources {
            out += "\n\(s.name)  \(s.url)\n"
            guard s.known else {
                out += "  never polled\n"
                continue
            }
            var poll = "  last poll     \(time(s.lastPoll, now: now))"
            poll += "   next due \(s.nextDue.map { due($0, now: now) } ?? "—")"
            if let interval = s.pollInterval { poll += "   interval \(Units.format(interval))" }
            out += poll + "\n"
            out += "  last success  \(time(s.lastSuccess, now: now))   failures in a row \(s.consecutiveFailures)\n"
            if let error = s.lastError {
                out += "  last error    \(time(s.lastErrorAt, now: now)): \(oneLine(error))\n"
            } else {
                out += "  last error    —\n"
            }
            out += "  added         today \(n(s.addedToday)) · 7 days \(n(s.added7Days)) · total \(n(s.addedTotal))"
            if s.revised7Days > 0 { out += "   (revised \(n(s.revised7Days)) in 7 days)" }
            out += "\n"
            out += "  duplicates    7 days \(n(s.duplicates7Days))   failures 24 h \(n(s.failures24Hours)) · 7 days \(n(s.failures7Days))\n"
            out += "  frontier      \(n(s.frontierTotal)) URLs, \(n(s.frontierDue)) due\n"
            let h = s.health
            var health = "  extraction    "
            if let share = h.rejectedShare {
                health += "\(Int((share * 100).rounded()))% of \(n(h.pagesLastDay)) pages not an article or too short (24 h)"
            } else {
                health += "no pages extracted in 24 h"
            }
            if let dayAverage = h.averageCharsLastDay {
                health += " · avg \(n(dayAverage)) chars"
                if let norm = h.averageChars30Days { health += " (30-day norm \(n(norm)))" }
            }
            out += health + "\n"
            if let warning = h.warning { out += "  WARNING       layout changed? \(warning)\n" }
        }
        return out
    }

    static func n(_ value: Int) -> String { IngestOutcome.grouped(value) }

    static func oneLine(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 200 ? String(flat.prefix(199)) + "…" : flat
    }

    /// `2026-11-23 10:04Z (3 min ago)`, or `—`.
    static func time(_ date: Date?, now: Date) -> String {
        guard let date else { return "—" }
        return "\(stamp(date)) (\(ago(date, now: now)))"
    }

    static func due(_ date: Date, now: Date) -> String {
        date <= now ? "\(stamp(date)) (due now)" : "\(stamp(date)) (in \(span(date.timeIntervalSince(now))))"
    }

    static func ago(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        return seconds < 1 ? "just now" : "\(span(seconds)) ago"
    }

    static func stamp(_ date: Date) -> String {
        let c = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// A rough, readable span: `42 s`, `12 min`, `3 h`, `5 d`.
    static func span(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 90 { return "\(s) s" }
        if s < 90 * 60 { return "\((s + 30) / 60) min" }
        if s < 36 * 3600 { return "\((s + 1800) / 3600) h" }
        return "\((s + 43_200) / 86_400) d"
    }
}
