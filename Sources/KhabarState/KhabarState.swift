import GRDB

/// The module's name space, for facts about the store as a whole.
public enum KhabarState {
    /// The SQLite library version GRDB runs on, as SQLite reports it.
    public static var sqliteVersion: String { StateStore.sqliteVersion }
}
