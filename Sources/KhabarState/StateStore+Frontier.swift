import Foundation
import GRDB

/// Sources, discovery channels, the URL frontier and the daemon's registration: what the
/// scheduler needs to survive restarts (due times, validators, attempts, revisit steps).
extension StateStore {
    // MARK: - Sources

    /// Makes the configured sources known (new ones inserted, URLs updated), keeping their
    /// schedules. Sources no longer configured keep their rows (their history stays readable).
    public func upsertSources(_ sources: [(name: String, url: String)], now: Date = Date()) throws(StateError) {
        try write("record the sources") { db in
            for source in sources {
                try db.cachedStatement(sql: """
                    INSERT INTO source (name, url, first_seen) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET url = excluded.url
                    """).execute(arguments: [source.name, source.url, now.millis])
            }
        }
    }

    public func sources() throws(StateError) -> [SourceRow] {
        try read("read the sources") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM source ORDER BY name").map(StateStore.sourceRow)
        }
    }

    public func source(named name: String) throws(StateError) -> SourceRow? {
        try read("read the sources") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM source WHERE name = ?", arguments: [name]).map(StateStore.sourceRow)
        }
    }

    static func sourceRow(_ row: Row) -> SourceRow {
        SourceRow(name: row["name"], url: row["url"], firstSeen: row.date("first_seen") ?? Date(timeIntervalSince1970: 0),
                  lastPoll: row.date("last_poll"), nextDue: row.date("next_due"), lastSuccess: row.date("last_success"),
                  consecutiveFailures: row["consecutive_failures"], lastError: row["last_error"],
                  lastErrorAt: row.date("last_error_at"),
                  pollInterval: (row["poll_interval"] as Int64?).map { .milliseconds($0) })
    }

    /// Records a poll of a source: `error` nil for a success (resets the failure count).
    /// `pollInterval`, when given, is the adaptive interval the scheduler reached (kept otherwise).
    public func recordPoll(source: String, at time: Date, nextDue: Date?, error: String?,
                           pollInterval: Duration? = nil) throws(StateError) {
        let intervalMillis = pollInterval.map { d -> Int64 in
            d.components.seconds * 1_000 + d.components.attoseconds / 1_000_000_000_000_000
        }
        try write("record a poll") { db in
            if let error {
                try db.execute(sql: """
                    UPDATE source SET last_poll = ?, next_due = ?, consecutive_failures = consecutive_failures + 1,
                    last_error = ?, last_error_at = ?, poll_interval = COALESCE(?, poll_interval) WHERE name = ?
                    """, arguments: [time.millis, nextDue?.millis, error, time.millis, intervalMillis, source])
            } else {
                try db.execute(sql: """
                    UPDATE source SET last_poll = ?, next_due = ?, last_success = ?, consecutive_failures = 0,
                    poll_interval = COALESCE(?, poll_interval) WHERE name = ?
                    """, arguments: [time.millis, nextDue?.millis, time.millis, intervalMillis, source])
            }
        }
    }

    /// Sources whose next poll is due at `now` (never polled counts as due), soonest first.
    public func dueSources(now: Date) throws(StateError) -> [SourceRow] {
        try read("read the sources") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM source WHERE next_due IS NULL OR next_due <= ? ORDER BY COALESCE(next_due, 0), name",
                             arguments: [now.millis]).map(StateStore.sourceRow)
        }
    }

    // MARK: - Channels

    /// Makes a discovery channel known (kind updated when it changes).
    public func upsertChannel(url: String, source: String, kind: ChannelKind, now: Date = Date()) throws(StateError) {
        try write("record a channel") { db in
            try db.cachedStatement(sql: """
                INSERT INTO channel (url, source, kind, first_seen) VALUES (?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET source = excluded.source, kind = excluded.kind
                """).execute(arguments: [url, source, kind.rawValue, now.millis])
        }
    }

    public func channel(url: String) throws(StateError) -> ChannelRow? {
        try read("read the channels") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM channel WHERE url = ?", arguments: [url]).map(StateStore.channelRow)
        }
    }

    public func channels(source: String) throws(StateError) -> [ChannelRow] {
        try read("read the channels") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM channel WHERE source = ? ORDER BY kind, url", arguments: [source]).map(StateStore.channelRow)
        }
    }

    static func channelRow(_ row: Row) -> ChannelRow {
        let kind: String = row["kind"]
        return ChannelRow(url: row["url"], source: row["source"], kind: ChannelKind(rawValue: kind) ?? .listing,
                          firstSeen: row.date("first_seen") ?? Date(timeIntervalSince1970: 0), lastFetched: row.date("last_fetched"),
                          nextDue: row.date("next_due"), etag: row["etag"], lastModified: row["last_modified"],
                          lastStatus: row["last_status"], consecutiveFailures: row["consecutive_failures"],
                          lastError: row["last_error"])
    }

    /// Records a fetch of a channel: validators (kept when the new ones are nil, as after a 304),
    /// status, next due; `error` nil for a success.
    public func recordChannelFetch(url: String, at time: Date, status: Int?, etag: String?, lastModified: String?,
                                   nextDue: Date?, error: String?) throws(StateError) {
        try write("record a channel fetch") { db in
            try db.execute(sql: """
                UPDATE channel SET last_fetched = ?, last_status = ?, etag = COALESCE(?, etag),
                last_modified = COALESCE(?, last_modified), next_due = ?,
                consecutive_failures = CASE WHEN ? IS NULL THEN 0 ELSE consecutive_failures + 1 END,
                last_error = ? WHERE url = ?
                """, arguments: [time.millis, status, etag, lastModified, nextDue?.millis, error, error, url])
        }
    }

    // MARK: - Frontier

    /// Adds discovered article URLs, due at `due` (now when nil). A URL already known keeps its
    /// row, but gains a better (lower) priority, fills missing hints, and is due again when its
    /// `modifiedHint` changed (a sitemap's lastmod moved). Returns how many URLs were new.
    @discardableResult
    public func addURLs(_ urls: [DiscoveredURL], now: Date = Date(), due: Date? = nil) throws(StateError) -> Int {
        let dueMillis = (due ?? now).millis
        return try write("add URLs to the frontier") { db in
            var added = 0
            for u in urls {
                let known = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM url WHERE url = ?"), arguments: [u.url]) ?? false
                try db.cachedStatement(sql: """
                    INSERT INTO url (url, source, kind, priority, hint_title, hint_published, hint_modified, first_seen, next_due)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET
                        priority = MIN(priority, excluded.priority),
                        kind = CASE WHEN excluded.priority < priority THEN excluded.kind ELSE kind END,
                        hint_title = COALESCE(hint_title, excluded.hint_title),
                        hint_published = COALESCE(hint_published, excluded.hint_published),
                        next_due = CASE WHEN excluded.hint_modified IS NOT NULL AND hint_modified IS NOT NULL
                                        AND excluded.hint_modified <> hint_modified THEN excluded.next_due ELSE next_due END,
                        hint_modified = COALESCE(excluded.hint_modified, hint_modified)
                    """).execute(arguments: [u.url, u.source, u.kind.rawValue, u.priority, u.titleHint, u.publishedHint,
                                             u.modifiedHint, now.millis, dueMillis])
                if !known { added += 1 }
            }
            return added
        }
    }

    static func frontierURL(_ row: Row) -> FrontierURL {
        let kind: String = row["kind"]
        let outcome: String? = row["last_outcome"]
        return FrontierURL(
            id: row["id"], url: row["url"], source: row["source"], kind: URLKind(rawValue: kind) ?? .manual,
            priority: row["priority"], titleHint: row["hint_title"], publishedHint: row["hint_published"],
            modifiedHint: row["hint_modified"], firstSeen: row.date("first_seen") ?? Date(timeIntervalSince1970: 0),
            lastFetched: row.date("last_fetched"), nextDue: row.date("next_due"), attempts: row["attempts"],
            etag: row["etag"], lastModified: row["last_modified"], lastStatus: row["last_status"],
            lastOutcome: outcome.flatMap(EventOutcome.init(rawValue:)), corpusFile: row["corpus_file"],
            canonicalURL: row["canonical_url"], revisitStep: row["revisit_step"])
    }

    /// URLs due at `now`, best priority first, then the longest overdue.
    public func dueURLs(now: Date, limit: Int, source: String? = nil) throws(StateError) -> [FrontierURL] {
        try read("read the frontier") { db in
            if let source {
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM url WHERE source = ? AND next_due IS NOT NULL AND next_due <= ?
                    ORDER BY priority, next_due LIMIT ?
                    """, arguments: [source, now.millis, limit]).map(StateStore.frontierURL)
            }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM url WHERE next_due IS NOT NULL AND next_due <= ? ORDER BY priority, next_due LIMIT ?
                """, arguments: [now.millis, limit]).map(StateStore.frontierURL)
        }
    }

    public func frontierURL(_ url: String) throws(StateError) -> FrontierURL? {
        try read("read the frontier") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM url WHERE url = ?", arguments: [url]).map(StateStore.frontierURL)
        }
    }

    /// How many URLs a source has in the frontier, and how many are due at `now`.
    public func frontierCounts(source: String, now: Date) throws(StateError) -> (total: Int, due: Int) {
        try read("read the frontier") { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM url WHERE source = ?", arguments: [source]) ?? 0
            let due = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM url WHERE source = ? AND next_due IS NOT NULL AND next_due <= ?",
                                       arguments: [source, now.millis]) ?? 0
            return (total, due)
        }
    }

    /// Records what a fetch of an article URL taught: validators (kept when nil, as after a 304),
    /// status, outcome, next due, attempts, revisit step, corpus file. Inserts a `manual` row for a
    /// URL the frontier did not know (a `khabar fetch` of a new URL).
    public func recordURLFetch(_ update: URLFetchUpdate, source: String) throws(StateError) {
        try write("record a fetch") { db in
            try db.cachedStatement(sql: """
                INSERT INTO url (url, source, kind, priority, first_seen) VALUES (?, ?, 'manual', 0, ?)
                ON CONFLICT(url) DO NOTHING
                """).execute(arguments: [update.url, source, update.fetchedAt.millis])
            try db.cachedStatement(sql: """
                UPDATE url SET last_fetched = ?, last_status = ?, last_outcome = ?, etag = COALESCE(?, etag),
                last_modified = COALESCE(?, last_modified), next_due = ?, attempts = ?, revisit_step = ?,
                corpus_file = COALESCE(?, corpus_file), canonical_url = COALESCE(?, canonical_url)
                WHERE url = ?
                """).execute(arguments: [
                    update.fetchedAt.millis, update.httpStatus, update.outcome.rawValue, update.etag, update.lastModified,
                    update.nextDue?.millis, update.attempts, update.revisitStep, update.corpusFile, update.canonicalURL, update.url,
                ])
        }
    }

    // MARK: - Daemon

    /// Registers the daemon (one at most per state file): replaces a previous registration.
    public func registerDaemon(pid: Int32, host: String, at time: Date = Date()) throws(StateError) {
        try write("register the daemon") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO daemon (id, pid, host, started, heartbeat) VALUES (1, ?, ?, ?, ?)",
                           arguments: [pid, host, time.millis, time.millis])
        }
    }

    public func daemonHeartbeat(pid: Int32, at time: Date = Date()) throws(StateError) {
        try write("record the daemon's heartbeat") { db in
            try db.execute(sql: "UPDATE daemon SET heartbeat = ? WHERE pid = ?", arguments: [time.millis, pid])
        }
    }

    /// Removes the registration if it is `pid`'s.
    public func unregisterDaemon(pid: Int32) throws(StateError) {
        try write("unregister the daemon") { db in
            try db.execute(sql: "DELETE FROM daemon WHERE pid = ?", arguments: [pid])
        }
    }

    public func daemon() throws(StateError) -> DaemonRow? {
        try read("read the daemon registration") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM daemon WHERE id = 1").map { row in
                DaemonRow(pid: row["pid"], host: row["host"], started: row.date("started") ?? Date(timeIntervalSince1970: 0),
                          heartbeat: row.date("heartbeat") ?? Date(timeIntervalSince1970: 0))
            }
        }
    }
}
