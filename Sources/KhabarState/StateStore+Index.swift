import Foundation
import GRDB

/// The corpus index: exact duplicates by content hash, revisions by article identity,
/// near-duplicates through the fingerprint's band columns (never a scan of the corpus).
extension StateStore {
    static let indexColumns = """
        name, number, hash, fold_hash, fingerprint, chars, size, adopted, action, ts, url, canonical_url,
        identity, source, title, published, lang, supersedes, near_duplicate_of
        """

    static func indexEntry(_ row: Row) -> IndexEntry {
        let fingerprint: Int64? = row["fingerprint"]
        return IndexEntry(
            name: row["name"], number: row["number"], hash: row["hash"], foldHash: row["fold_hash"],
            fingerprint: fingerprint.map { UInt64(bitPattern: $0) }, chars: row["chars"], size: row["size"],
            adopted: row["adopted"], action: row["action"], time: row.date("ts"), url: row["url"],
            canonicalURL: row["canonical_url"], identity: row["identity"], source: row["source"],
            title: row["title"], published: row["published"], lang: row["lang"], supersedes: row["supersedes"],
            nearDuplicateOf: row["near_duplicate_of"])
    }

    static func insert(_ entry: IndexEntry, into db: Database) throws {
        let fingerprint = entry.fingerprint.map { Int64(bitPattern: $0) }
        let bands: [Int?] = (0..<4).map { band in entry.fingerprint.map { Int(($0 >> UInt64(band * 16)) & 0xFFFF) } }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO corpus_file (\(indexColumns), band0, band1, band2, band3)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute(arguments: [
                entry.name, entry.number, entry.hash, entry.foldHash, fingerprint, entry.chars, entry.size,
                entry.adopted, entry.action, entry.time?.millis, entry.url, entry.canonicalURL, entry.identity,
                entry.source, entry.title, entry.published, entry.lang, entry.supersedes, entry.nearDuplicateOf,
                bands[0], bands[1], bands[2], bands[3],
            ])
    }

    /// Adds or replaces index rows.
    public func upsertIndex(_ entries: [IndexEntry]) throws(StateError) {
        try write("update the corpus index") { db in
            for entry in entries { try StateStore.insert(entry, into: db) }
        }
    }

    /// Replaces the whole index in one transaction (`khabar reindex`).
    public func replaceIndex(_ entries: [IndexEntry]) throws(StateError) {
        try write("rebuild the corpus index") { db in
            try db.execute(sql: "DELETE FROM corpus_file")
            for entry in entries { try StateStore.insert(entry, into: db) }
        }
    }

    /// Removes index rows (files that are no longer in the corpus).
    public func removeIndex(names: [String]) throws(StateError) {
        try write("update the corpus index") { db in
            for name in names { try db.cachedStatement(sql: "DELETE FROM corpus_file WHERE name = ?").execute(arguments: [name]) }
        }
    }

    /// Every indexed file name with its size (to find what the index lacks or has in excess).
    public func indexedFiles() throws(StateError) -> [String: Int] {
        try read("read the corpus index") { db in
            var result: [String: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT name, size FROM corpus_file")
            while let row = try rows.next() { result[row["name"]] = row["size"] }
            return result
        }
    }

    public func indexCount() throws(StateError) -> Int {
        try read("read the corpus index") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM corpus_file") ?? 0 }
    }

    public func indexEntry(named name: String) throws(StateError) -> IndexEntry? {
        try read("read the corpus index") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StateStore.indexColumns) FROM corpus_file WHERE name = ?"),
                             arguments: [name]).map(StateStore.indexEntry)
        }
    }

    /// The earliest file with this content hash: an exact duplicate.
    public func indexEntry(hash: String) throws(StateError) -> IndexEntry? {
        try read("look up a content hash") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StateStore.indexColumns) FROM corpus_file WHERE hash = ? ORDER BY number LIMIT 1"),
                             arguments: [hash]).map(StateStore.indexEntry)
        }
    }

    /// The latest version of an article.
    public func latestVersion(identity: String) throws(StateError) -> IndexEntry? {
        try read("look up an article") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(StateStore.indexColumns) FROM corpus_file WHERE identity = ? ORDER BY number DESC LIMIT 1"),
                             arguments: [identity]).map(StateStore.indexEntry)
        }
    }

    /// An article's versions, oldest first: the files whose identity, URL or canonical URL is
    /// `url`, and every other version of the identities found.
    public func versions(ofURL url: String) throws(StateError) -> [IndexEntry] {
        try read("look up an article") { db in
            let identities = try String.fetchSet(db, sql: """
                SELECT identity FROM corpus_file WHERE identity = ?1 AND identity IS NOT NULL
                UNION SELECT identity FROM corpus_file WHERE url = ?1 AND identity IS NOT NULL
                UNION SELECT identity FROM corpus_file WHERE canonical_url = ?1 AND identity IS NOT NULL
                """, arguments: [url])
            var entries: [IndexEntry] = []
            var seen = Set<String>()
            for identity in identities {
                for row in try Row.fetchAll(db, sql: "SELECT \(StateStore.indexColumns) FROM corpus_file WHERE identity = ?", arguments: [identity]) {
                    let entry = StateStore.indexEntry(row)
                    if seen.insert(entry.name).inserted { entries.append(entry) }
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT \(StateStore.indexColumns) FROM corpus_file WHERE (url = ?1 OR canonical_url = ?1) AND identity IS NULL", arguments: [url]) {
                let entry = StateStore.indexEntry(row)
                if seen.insert(entry.name).inserted { entries.append(entry) }
            }
            return entries.sorted { $0.number < $1.number }
        }
    }

    /// Most probes per band before the lookup falls back to reading every fingerprint (only for
    /// distances above 11, where bands stop paying).
    static let maximumProbesPerBand = 1_000

    /// The indexed file whose fingerprint is closest to `fingerprint`, if within `maxDistance`
    /// bits (ties: the oldest file). Complete: by pigeonhole, a fingerprint within d bits agrees
    /// with the query to within ⌊d/4⌋ bits on at least one of the four 16-bit bands, so probing
    /// each band's index for the values within ⌊d/4⌋ bits finds every candidate (for the default
    /// d = 3: four indexed equality lookups).
    public func nearest(to fingerprint: UInt64, within maxDistance: Int) throws(StateError) -> NearMatch? {
        guard maxDistance > 0 else { return nil }
        let radius = maxDistance / 4
        let probes = (0..<4).map { band in StateStore.neighbours(Int((fingerprint >> UInt64(band * 16)) & 0xFFFF), radius: radius) }
        let (sql, arguments) = StateStore.nearSQL(probes: probes)
        return try read("look up near-duplicates") { db in
            let statement = try db.cachedStatement(sql: sql)
            statement.arguments = arguments
            var best: NearMatch?
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                let stored: Int64 = row["fingerprint"]
                let distance = (UInt64(bitPattern: stored) ^ fingerprint).nonzeroBitCount
                guard distance <= maxDistance else { continue }
                let number: Int = row["number"]
                if let b = best, b.distance < distance || (b.distance == distance && b.number <= number) { continue }
                best = NearMatch(name: row["name"], number: number, distance: distance)
            }
            return best
        }
    }

    /// The candidate query for per-band probe values: one indexed lookup per band, or (beyond
    /// `maximumProbesPerBand`) every fingerprint.
    static func nearSQL(probes: [[Int]]) -> (String, StatementArguments) {
        if probes[0].count > maximumProbesPerBand {
            return ("SELECT name, number, fingerprint FROM corpus_file WHERE fingerprint IS NOT NULL", StatementArguments())
        }
        if probes.allSatisfy({ $0.count == 1 }) {
            return ("""
                SELECT name, number, fingerprint FROM corpus_file WHERE band0 = ?
                UNION ALL SELECT name, number, fingerprint FROM corpus_file WHERE band1 = ?
                UNION ALL SELECT name, number, fingerprint FROM corpus_file WHERE band2 = ?
                UNION ALL SELECT name, number, fingerprint FROM corpus_file WHERE band3 = ?
                """, StatementArguments(probes.map { $0[0] }))
        }
        // Integer literals only: nothing here comes from outside.
        let parts = (0..<4).map { band in
            "SELECT name, number, fingerprint FROM corpus_file WHERE band\(band) IN (\(probes[band].map(String.init).joined(separator: ",")))"
        }
        return (parts.joined(separator: " UNION ALL "), StatementArguments())
    }

    /// Every 16-bit value within `radius` bits of `value`, `value` first.
    static func neighbours(_ value: Int, radius: Int) -> [Int] {
        var result = [value]
        guard radius > 0 else { return result }
        func flip(_ current: Int, from bit: Int, left: Int) {
            guard left > 0 else { return }
            for b in bit..<16 {
                let next = current ^ (1 << b)
                result.append(next)
                if result.count > maximumProbesPerBand { return }
                flip(next, from: b + 1, left: left - 1)
            }
        }
        flip(value, from: 0, left: radius)
        return result
    }
}
