import GRDB

/// The SQLite state store: sources, frontier, validators, hash index, ingestion events.
public enum KhabarState {
    /// The SQLite library version GRDB runs on, as SQLite reports it.
    public static var sqliteVersion: String {
        let version = try? DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }
        return (version ?? nil) ?? "unknown"
    }
}
