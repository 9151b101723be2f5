import GRDB

/// The state database's schema, as GRDB migrations. A migration, once shipped, is never edited:
/// later changes are new migrations appended here.
///
/// Times are INTEGER milliseconds since the Unix epoch (UTC), so windows are cheap integer range
/// scans on indexes. Outcomes and kinds are TEXT with CHECK constraints listing the values.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sources, channels, frontier, corpus index, events, daemon") { db in
            // One row per configured source, with what the scheduler and `status` need.
            try db.execute(sql: """
                CREATE TABLE source (
                    name TEXT PRIMARY KEY NOT NULL,
                    url TEXT NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_poll INTEGER,
                    next_due INTEGER,
                    last_success INTEGER,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    last_error_at INTEGER
                ) WITHOUT ROWID;

                -- Discovery channels: the homepage, feeds, sitemaps and listing pages of a source,
                -- each with its own validators and schedule.
                CREATE TABLE channel (
                    url TEXT PRIMARY KEY NOT NULL,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('homepage','feed','news_sitemap','sitemap','sitemap_index','listing')),
                    first_seen INTEGER NOT NULL,
                    last_fetched INTEGER,
                    next_due INTEGER,
                    etag TEXT,
                    last_modified TEXT,
                    last_status INTEGER,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT
                ) WITHOUT ROWID;
                CREATE INDEX channel_source ON channel(source, kind);

                -- The URL frontier: every article URL discovered, what is known about it, and
                -- when it is due. priority: lower first (feeds and news sitemaps before a
                -- sitemap backlog). next_due NULL: never again.
                CREATE TABLE url (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('feed','news_sitemap','listing','sitemap','homepage','manual')),
                    priority INTEGER NOT NULL,
                    hint_title TEXT,
                    hint_published TEXT,
                    hint_modified TEXT,
                    first_seen INTEGER NOT NULL,
                    last_fetched INTEGER,
                    next_due INTEGER,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    etag TEXT,
                    last_modified TEXT,
                    last_status INTEGER,
                    last_outcome TEXT,
                    corpus_file TEXT,
                    canonical_url TEXT,
                    revisit_step INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX url_due ON url(priority, next_due) WHERE next_due IS NOT NULL;
                CREATE INDEX url_source_due ON url(source, next_due) WHERE next_due IS NOT NULL;

                -- The corpus index: one row per corpus file. hash is the computed content hash
                -- (for adopted files it may differ from the name's); fold_hash the hash of the
                -- folded text (revision test); fingerprint and its four 16-bit bands the
                -- near-duplicate index. The change-log fields are copied here so that an
                -- article's history and `status` never read the log.
                CREATE TABLE corpus_file (
                    name TEXT PRIMARY KEY NOT NULL,
                    number INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    fold_hash TEXT NOT NULL,
                    fingerprint INTEGER,
                    band0 INTEGER, band1 INTEGER, band2 INTEGER, band3 INTEGER,
                    chars INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    adopted INTEGER NOT NULL DEFAULT 0,
                    action TEXT,
                    ts INTEGER,
                    url TEXT,
                    canonical_url TEXT,
                    identity TEXT,
                    source TEXT,
                    title TEXT,
                    published TEXT,
                    lang TEXT,
                    supersedes TEXT,
                    near_duplicate_of TEXT
                ) WITHOUT ROWID;
                CREATE INDEX corpus_file_hash ON corpus_file(hash);
                CREATE INDEX corpus_file_identity ON corpus_file(identity, number) WHERE identity IS NOT NULL;
                CREATE INDEX corpus_file_url ON corpus_file(url) WHERE url IS NOT NULL;
                CREATE INDEX corpus_file_canonical ON corpus_file(canonical_url) WHERE canonical_url IS NOT NULL;
                CREATE INDEX corpus_file_band0 ON corpus_file(band0) WHERE band0 IS NOT NULL;
                CREATE INDEX corpus_file_band1 ON corpus_file(band1) WHERE band1 IS NOT NULL;
                CREATE INDEX corpus_file_band2 ON corpus_file(band2) WHERE band2 IS NOT NULL;
                CREATE INDEX corpus_file_band3 ON corpus_file(band3) WHERE band3 IS NOT NULL;

                -- The ingestion event log: one row per outcome.
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY,
                    ts INTEGER NOT NULL,
                    source TEXT,
                    url TEXT,
                    outcome TEXT NOT NULL CHECK (outcome IN ('added','revised','duplicate','near_duplicate','not_modified','filtered','too_short','not_article','robots_denied','failed')),
                    http_status INTEGER,
                    bytes INTEGER,
                    ms INTEGER,
                    file TEXT,
                    related_file TEXT,
                    title TEXT,
                    chars INTEGER,
                    detail TEXT
                );
                CREATE INDEX event_ts ON event(ts);
                CREATE INDEX event_source_ts ON event(source, ts);
                CREATE INDEX event_outcome_ts ON event(outcome, ts);
                -- chars included: per-source windows (`status`) are read from the index alone.
                CREATE INDEX event_source_outcome_ts ON event(source, outcome, ts, chars);
                CREATE INDEX event_url_ts ON event(url, ts);

                -- The daemon running on this state, if any (one row at most).
                CREATE TABLE daemon (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    pid INTEGER NOT NULL,
                    host TEXT NOT NULL,
                    started INTEGER NOT NULL,
                    heartbeat INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2: the adaptive poll interval of each source") { db in
            // The interval the scheduler's adaptation has reached (milliseconds), so a restart
            // continues the rhythm instead of starting again from the configured interval.
            try db.execute(sql: "ALTER TABLE source ADD COLUMN poll_interval INTEGER")
        }
        return migrator
    }
}
