import Foundation
import GRDB

/// The ingestion event log: one row per outcome, indexed by time, source, outcome and URL, so
/// `khabar log` and `khabar status` stay fast on a year of events.
extension StateStore {
    static let eventColumns = "id, ts, source, url, outcome, http_status, bytes, ms, file, related_file, title, chars, detail"

    static func event(_ row: Row) -> IngestEvent {
        let outcome: String = row["outcome"]
        return IngestEvent(
            id: row["id"], time: row.date("ts") ?? Date(timeIntervalSince1970: 0), source: row["source"], url: row["url"],
            outcome: EventOutcome(rawValue: outcome) ?? .failed, httpStatus: row["http_status"], bytes: row["bytes"],
            milliseconds: row["ms"], file: row["file"], relatedFile: row["related_file"], title: row["title"],
            chars: row["chars"], detail: row["detail"])
    }

    static func insert(_ event: IngestEvent, into db: Database) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO event (ts, source, url, outcome, http_status, bytes, ms, file, related_file, title, chars, detail)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                event.time.millis, event.source, event.url, event.outcome.rawValue, event.httpStatus, event.bytes,
                event.milliseconds, event.file, event.relatedFile, event.title, event.chars, event.detail,
            ])
        return db.lastInsertedRowID
    }

    /// Records one event; returns its id.
    @discardableResult
    public func record(_ event: IngestEvent) throws(StateError) -> Int64 {
        try write("record an event") { db in try StateStore.insert(event, into: db) }
    }

    /// Records many events in one transaction.
    public func record(_ events: [IngestEvent]) throws(StateError) {
        try write("record events") { db in
            for event in events { _ = try StateStore.insert(event, into: db) }
        }
    }

    /// What an ingestion changed, written in one transaction: the index row of the new file,
    /// the event, and the frontier row's corpus file. Returns the event's id.
    @discardableResult
    public func commitIngestion(index: IndexEntry?, event: IngestEvent) throws(StateError) -> Int64 {
        try write("record an ingestion") { db in
            if let index { try StateStore.insert(index, into: db) }
            if let url = event.url, let file = event.file ?? event.relatedFile {
                try db.cachedStatement(sql: "UPDATE url SET corpus_file = ?, canonical_url = COALESCE(?, canonical_url) WHERE url = ?")
                    .execute(arguments: [file, index?.canonicalURL, url])
            }
            return try StateStore.insert(event, into: db)
        }
    }

    /// WHERE clause and arguments for a query (without the id bound, added by callers).
    static func whereClause(_ query: EventQuery) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let since = query.since {
            clauses.append("ts >= ?")
            arguments += [since.millis]
        }
        if let until = query.until {
            clauses.append("ts < ?")
            arguments += [until.millis]
        }
        if !query.sources.isEmpty {
            clauses.append("source IN (\(Array(repeating: "?", count: query.sources.count).joined(separator: ",")))")
            arguments += StatementArguments(query.sources)
        }
        if !query.outcomes.isEmpty {
            clauses.append("outcome IN (\(Array(repeating: "?", count: query.outcomes.count).joined(separator: ",")))")
            arguments += StatementArguments(query.outcomes.map(\.rawValue))
        }
        if !query.urls.isEmpty || !query.files.isEmpty {
            var alternatives: [String] = []
            if !query.urls.isEmpty {
                alternatives.append("url IN (\(Array(repeating: "?", count: query.urls.count).joined(separator: ",")))")
                arguments += StatementArguments(query.urls)
            }
            if !query.files.isEmpty {
                let marks = Array(repeating: "?", count: query.files.count).joined(separator: ",")
                alternatives.append("file IN (\(marks)) OR related_file IN (\(marks))")
                arguments += StatementArguments(query.files)
                arguments += StatementArguments(query.files)
            }
            clauses.append("(\(alternatives.joined(separator: " OR ")))")
        }
        if let grep = query.grep, !grep.isEmpty {
            let escaped = grep.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            let pattern = "%\(escaped)%"
            clauses.append("(url LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\' OR file LIKE ? ESCAPE '\\' OR related_file LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern, pattern, pattern, pattern]
        }
        if let after = query.afterID {
            clauses.append("id > ?")
            arguments += [after]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// The matching events, oldest first (at most `limit`, the newest ones when limited).
    public func events(matching query: EventQuery) throws(StateError) -> [IngestEvent] {
        var events: [IngestEvent] = []
        try forEachEvent(matching: query) { events.append($0) }
        return events
    }

    /// The SELECT for a query: oldest first (by id when following new events, by time otherwise);
    /// with a `limit`, the newest `limit` events, still oldest first.
    static func selectSQL(_ query: EventQuery) -> (String, StatementArguments) {
        let (whereSQL, arguments) = whereClause(query)
        let order = query.afterID != nil ? "id" : "ts, id"
        let reversed = query.afterID != nil ? "id DESC" : "ts DESC, id DESC"
        if let limit = query.limit {
            return ("SELECT * FROM (SELECT \(eventColumns) FROM event \(whereSQL) ORDER BY \(reversed) LIMIT \(max(limit, 0))) ORDER BY \(order)", arguments)
        }
        return ("SELECT \(eventColumns) FROM event \(whereSQL) ORDER BY \(order)", arguments)
    }

    /// Streams the matching events, oldest first, without holding them all in memory. With a
    /// `limit`, the newest `limit` events (still oldest first).
    public func forEachEvent(matching query: EventQuery, _ body: (IngestEvent) -> Void) throws(StateError) {
        let (sql, arguments) = StateStore.selectSQL(query)
        try read("read events") { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { body(StateStore.event(row)) }
        }
    }

    /// How many matching events there are per outcome (the `log` footer). Ignores `limit`.
    public func outcomeCounts(matching query: EventQuery) throws(StateError) -> [EventOutcome: Int] {
        var unlimited = query
        unlimited.limit = nil
        let (whereSQL, arguments) = StateStore.whereClause(unlimited)
        return try read("count events") { db in
            var counts: [EventOutcome: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT outcome, COUNT(*) AS n FROM event \(whereSQL) GROUP BY outcome", arguments: arguments) {
                let outcome: String = row["outcome"]
                if let o = EventOutcome(rawValue: outcome) { counts[o] = row["n"] }
            }
            return counts
        }
    }

    /// Per source and outcome, the number of events and the sum of their `chars` in a window
    /// (for `status`: added today / 7 days, duplicates, failures, share of not-an-article, average
    /// text length against its 30-day norm).
    public func sourceOutcomeCounts(since: Date?, until: Date? = nil) throws(StateError) -> [SourceOutcomeCount] {
        let (whereSQL, arguments) = StateStore.whereClause(EventQuery(since: since, until: until))
        return try read("count events") { db in
            try Row.fetchAll(db, sql: """
                SELECT COALESCE(source, '') AS source, outcome, COUNT(*) AS n, COALESCE(SUM(chars), 0) AS chars
                FROM event \(whereSQL) GROUP BY source, outcome ORDER BY source, outcome
                """, arguments: arguments).compactMap { row in
                let outcome: String = row["outcome"]
                guard let o = EventOutcome(rawValue: outcome) else { return nil }
                return SourceOutcomeCount(source: row["source"], outcome: o, count: row["n"], chars: row["chars"])
            }
        }
    }

    /// The latest event of a source among `outcomes` (any outcome when empty): the last error,
    /// the last success.
    public func lastEvent(source: String, outcomes: [EventOutcome] = []) throws(StateError) -> IngestEvent? {
        var query = EventQuery(sources: [source], outcomes: outcomes)
        query.limit = 1
        return try events(matching: query).last
    }

    /// The largest event id (0 when there is none), where `--follow` starts.
    public func latestEventID() throws(StateError) -> Int64 {
        try read("read events") { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM event") ?? 0 }
    }
}
