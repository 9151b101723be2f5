import Foundation
import GRDB

/// A failure of the state database, with the file and what was being done.
public struct StateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var message: String
    /// SQLite's primary result code, when the failure came from SQLite.
    public var sqliteCode: Int32?

    public init(path: String, operation: String, message: String, sqliteCode: Int32? = nil) {
        self.path = path
        self.operation = operation
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String { "state \(path): cannot \(operation): \(message)" }
}

/// The SQLite state store (DESIGN.md, "State"): sources, discovery channels, the URL frontier,
/// the corpus index (content hashes, folded hashes, near-duplicate fingerprints and their bands,
/// article identities), the ingestion event log, and the daemon's registration.
///
/// WAL mode with a busy timeout, so the daemon and a manual `khabar fetch` share one file: both
/// write, each waits its turn (writes take the lock at BEGIN IMMEDIATE). Everything in it can
/// be rebuilt or relearned; the texts are in the corpus.
public final class StateStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// The SQLite library version, as SQLite reports it.
    public static var sqliteVersion: String {
        let version = try? DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }
        return (version ?? nil) ?? "unknown"
    }

    /// Opens (creating when missing, with its folder) and migrates the database at `path`.
    public init(path: String, busyTimeout: TimeInterval = 15) throws(StateError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StateError(path: path, operation: "create its folder", message: "\(error.localizedDescription)")
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "khabar-state"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StateStore.wrap(error, path: path, operation: "open the database")
        }
        try migrate()
        try refreshStatistics()
    }

    /// Keeps SQLite's planner statistics in step with the event log: without them the planner
    /// may answer "counts per outcome over the last day" by walking an index over the whole
    /// year. Runs a bounded ANALYZE (a few milliseconds on a million events) when there are no
    /// statistics yet or the log has more than doubled since the last ones.
    /// Called at open; a long-running daemon may call it now and then.
    public func refreshStatistics() throws(StateError) {
        let stale = try read("read the planner statistics") { db -> Bool in
            let events = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id) - MIN(id) + 1, 0) FROM event") ?? 0
            guard events >= 1_000 else { return false }
            let hasStats = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'") ?? false
            guard hasStats, let stat = try String.fetchOne(db, sql: "SELECT stat FROM sqlite_stat1 WHERE tbl = 'event' LIMIT 1"),
                  let analyzed = stat.split(separator: " ").first.flatMap({ Int64($0) }) else { return true }
            return events > 2 * analyzed
        }
        guard stale else { return }
        try write("refresh the planner statistics") { db in
            try db.execute(sql: "PRAGMA analysis_limit = 1000")
            try db.execute(sql: "ANALYZE")
        }
    }

    private func migrate() throws(StateError) {
        let migrator = Schema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                throw StateError(path: path, operation: "open the database",
                                 message: "it was written by a newer Khabar (unknown schema migrations); upgrade Khabar or run 'khabar reindex' on a fresh state file")
            }
            do {
                try migrator.migrate(pool)
            } catch {
                // Another process may have migrated the same new file at the same moment.
                let done = try pool.read { db in try migrator.hasCompletedMigrations(db) }
                if !done { throw error }
            }
        } catch let error as StateError {
            throw error
        } catch {
            throw StateStore.wrap(error, path: path, operation: "migrate the schema")
        }
    }

    static func wrap(_ error: any Error, path: String, operation: String) -> StateError {
        if let error = error as? StateError { return error }
        if let db = error as? DatabaseError {
            return StateError(path: path, operation: operation, message: db.message ?? "\(db.resultCode)",
                              sqliteCode: db.resultCode.primaryResultCode.rawValue)
        }
        return StateError(path: path, operation: operation, message: "\(error)")
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StateError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw StateStore.wrap(error, path: path, operation: operation)
        }
    }

    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StateError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw StateStore.wrap(error, path: path, operation: operation)
        }
    }

    /// The schema migrations applied, oldest first.
    public func appliedMigrations() throws(StateError) -> [String] {
        try read("read the schema version") { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// The journal mode SQLite reports (`wal`).
    public func journalMode() throws(StateError) -> String {
        try read("read the journal mode") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}

// MARK: - Time

extension Date {
    /// Milliseconds since the epoch, as stored.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}

extension Row {
    func date(_ column: String) -> Date? {
        let ms: Int64? = self[column]
        return ms.map(Date.init(millis:))
    }
}
