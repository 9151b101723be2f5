import ArgumentParser
import Foundation
import KhabarService

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review ingestion events and corpus changes.",
        discussion: """
        Lists ingestion events (one per URL outcome: added, revised, duplicate, near_duplicate, \
        not_modified, filtered, too_short, not_article, robots_denied, failed) oldest first, as an \
        aligned table or, with --json, as JSON lines; then a footer with the counts per action. \
        Without --since or --url, shows the last 24 hours. --url shows an article's history: its \
        versions in the corpus (from the change log) and every event about them. Times are UTC; \
        --since/--until take a duration back from now (24h, 7d, 1h30m) or a date (2026-11-23, \
        2026-11-23T10:00, with an optional Z or +03:30 offset).
        """)
    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("Only events since this long ago (24h) or this date.", valueName: "when"))
    var since: String?
    @Option(help: ArgumentHelp("Only events before this long ago or this date.", valueName: "when"))
    var until: String?
    @Option(help: ArgumentHelp("Only this source (repeatable).", valueName: "name"))
    var source: [String] = []
    @Option(help: ArgumentHelp("Only this outcome (repeatable): added, revised, duplicate, near_duplicate, not_modified, filtered, too_short, not_article, robots_denied, failed.", valueName: "action"))
    var action: [String] = []
    @Option(help: ArgumentHelp("Only this URL: an article's history.", valueName: "url"))
    var url: String?
    @Option(help: ArgumentHelp("Only events whose URL, title, file or detail contains this text.", valueName: "text"))
    var grep: String?
    @Flag(help: "JSON lines instead of a table.")
    var json = false
    @Flag(help: "Keep streaming new events as they are written.")
    var follow = false

    /// Rows buffered to size the table's columns before printing starts.
    static let sizingRows = 2_000

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        let now = Date()
        var query = EventQuery()
        for (name, text) in [("--since", since), ("--until", until)] {
            guard let text else { continue }
            guard let date = EventLogView.parseTime(text, now: now) else {
                Console.error("\(name): expected a duration such as 24h or 7d, or a date such as 2026-11-23 or 2026-11-23T10:00Z, got \"\(text)\"")
                throw ExitCode(2)
            }
            if name == "--since" { query.since = date } else { query.until = date }
        }
        if follow && until != nil {
            Console.error("--follow streams new events; it cannot be combined with --until")
            throw ExitCode(2)
        }
        for name in action {
            guard let outcome = EventOutcome(rawValue: name.replacingOccurrences(of: "-", with: "_")) else {
                Console.error("--action: unknown action \"\(name)\"; expected one of \(EventOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
                throw ExitCode(2)
            }
            query.outcomes.append(outcome)
        }
        query.sources = source
        query.grep = grep
        if query.since == nil && url == nil { query.since = now.addingTimeInterval(-86_400) }

        let path = config.daemon.stateDB
        if !follow && !FileManager.default.fileExists(atPath: path) {
            Console.out(json ? "" : "no events (no state file at \(path) yet)\n")
            return
        }
        let state: StateStore
        do { state = try StateStore(path: path) } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        do {
            try await show(state: state, query: &query)
        } catch let error as StateError {
            Console.error("\(error)")
            throw ExitCode(1)
        }
    }

    private func show(state: StateStore, query: inout EventQuery) async throws {
        let startID = try state.latestEventID()
        var out = ""
        if let url {
            let versions = try state.versions(ofURL: url)
            var urls = [url]
            for v in versions {
                for u in [v.url, v.canonicalURL].compactMap({ $0 }) where !urls.contains(u) { urls.append(u) }
            }
            query.urls = urls
            query.files = versions.map(\.name)
            if json {
                for v in versions { out += EventLogView.jsonLine(version: v) + "\n" }
            } else if versions.isEmpty {
                out += "no version of \(url) in the corpus\n\n"
            } else {
                out += "versions of \(url):\n"
                for v in versions { out += "  " + EventLogView.versionLine(v) + "\n" }
                out += "\n"
            }
            Console.out(out)
            out = ""
        }

        var maxID = startID
        var widths: [Int]?
        var pending: [[String]] = []
        var printedRows = 0
        func emit(_ event: IngestEvent) {
            if let id = event.id { maxID = max(maxID, id) }
            if json {
                out += EventLogView.jsonLine(event) + "\n"
                if out.utf8.count > 1 << 16 { Console.out(out); out = "" }
                return
            }
            let cells = EventLogView.columns(event)
            if let w = widths {
                out += EventLogView.tableLine(cells, widths: w) + "\n"
                printedRows += 1
                if out.utf8.count > 1 << 16 { Console.out(out); out = "" }
            } else {
                pending.append(cells)
                if pending.count >= Log.sizingRows { flushPending() }
            }
        }
        func flushPending() {
            let w = widths ?? EventLogView.widths(pending)
            if widths == nil {
                out += EventLogView.tableLine(EventLogView.header, widths: w) + "\n"
                widths = w
            }
            for cells in pending { out += EventLogView.tableLine(cells, widths: w) + "\n" }
            printedRows += pending.count
            pending = []
        }
        try state.forEachEvent(matching: query, emit)
        if !json {
            if !pending.isEmpty { flushPending() }
            let counts = try state.outcomeCounts(matching: query)
            if printedRows > 0 { out += "\n" }
            out += EventLogView.footer(counts)
            if let since = query.since { out += " since \(EventLogView.tableTime(since)) UTC" }
            if let until = query.until { out += " until \(EventLogView.tableTime(until)) UTC" }
            out += "\n"
        }
        Console.out(out)
        out = ""
        guard follow else { return }

        // Stream what is written from now on, with the table's widths fixed.
        if !json && widths == nil { widths = EventLogView.widths([]) }
        var streaming = query
        streaming.since = nil
        while true {
            try await Task.sleep(for: .milliseconds(500))
            streaming.afterID = maxID
            try state.forEachEvent(matching: streaming, emit)
            if !json, !pending.isEmpty { flushPending() }
            if !out.isEmpty {
                Console.out(out)
                out = ""
            }
        }
    }
}
