import Foundation

/// What bringing the index in step with the corpus did.
public struct IndexReconcileReport: Sendable, Equatable {
    /// Files the index lacked, now indexed.
    public var indexed: [String] = []
    /// Index rows whose file is gone, removed.
    public var removed: [String] = []
    public init() {}
}

/// What `khabar reindex` rebuilt.
public struct ReindexReport: Sendable, Equatable {
    public var files = 0
    /// Files with a change-log line.
    public var logged = 0
    /// Files adopted from before the change log.
    public var adopted = 0
    /// Adopted files whose name's hash is not their content's (indexed by the computed hash).
    public var legacyNames = 0
    /// Texts too short for a near-duplicate fingerprint.
    public var withoutFingerprint = 0
}

/// Keeps the state's corpus index a faithful copy of the corpus: indexes what it lacks at
/// start-up, rebuilds it all on `reindex`. The corpus is the truth; the index is derived.
public enum CorpusIndexer {
    /// The index row of a file: hashes and fingerprint from its text, metadata from its
    /// change-log line (none for adopted files).
    public static func entry(name: CorpusFileName, text: String, size: Int, record: ChangeRecord?,
                             identity: ArticleIdentityRule) -> IndexEntry {
        IndexEntry(
            name: name.name, number: name.number, hash: ContentHash.hash16(text), foldHash: ContentHash.foldHash16(text),
            fingerprint: TextFingerprint.of(text)?.value, chars: text.unicodeScalars.count, size: size,
            adopted: record == nil, action: record?.action.rawValue,
            time: record.flatMap { UTCTime.parse($0.ts) }.map { Date(timeIntervalSince1970: TimeInterval($0)) },
            url: record?.url, canonicalURL: record?.canonicalURL,
            identity: record.flatMap { identity($0.url, $0.canonicalURL) }, source: record?.source, title: record?.title,
            published: record?.published, lang: record?.lang, supersedes: record?.supersedes,
            nearDuplicateOf: record?.nearDuplicateOf)
    }

    static func entry(record: ChangeRecord, prepared p: Ingestor.Prepared) -> IndexEntry {
        IndexEntry(
            name: record.file.name, number: record.file.number, hash: p.hash, foldHash: p.foldHash,
            fingerprint: p.fingerprint?.value, chars: record.chars, size: p.article.text.utf8.count, adopted: false,
            action: record.action.rawValue,
            time: UTCTime.parse(record.ts).map { Date(timeIntervalSince1970: TimeInterval($0)) }, url: record.url,
            canonicalURL: record.canonicalURL, identity: p.identity, source: record.source, title: record.title,
            published: record.published, lang: record.lang, supersedes: record.supersedes,
            nearDuplicateOf: record.nearDuplicateOf)
    }

    /// Reads and indexes one file.
    static func indexEntry(_ name: CorpusFileName, corpus: Corpus, record: ChangeRecord?,
                           identity: ArticleIdentityRule) throws(CorpusError) -> IndexEntry {
        let bytes = try corpus.readBytes(name.name)
        return entry(name: name, text: String(decoding: bytes, as: UTF8.self), size: bytes.count, record: record, identity: identity)
    }

    /// Indexes the files other processes appended (lines seen when taking the lock) that the
    /// index does not have — normally none: they share the state file.
    static func indexForeign(_ records: [ChangeRecord], corpus: Corpus, state: StateStore,
                             identity: ArticleIdentityRule) throws(StateError) {
        guard !records.isEmpty else { return }
        var entries: [IndexEntry] = []
        for record in records where try state.indexEntry(named: record.file.name) == nil {
            if let entry = try? indexEntry(record.file, corpus: corpus, record: record, identity: identity) {
                entries.append(entry)
            }
        }
        if !entries.isEmpty { try state.upsertIndex(entries) }
    }

    /// Start-up reconciliation of corpus and index: files the index lacks (or whose size
    /// changed) are indexed; rows for files that are gone are removed.
    public static func reconcile(corpus: Corpus, state: StateStore, identity: @escaping ArticleIdentityRule)
        throws(IngestError) -> IndexReconcileReport {
        var report = IndexReconcileReport()
        let files: [CorpusFileName]
        do { files = try corpus.files() } catch { throw .corpus(error) }
        let indexed: [String: Int]
        do { indexed = try state.indexedFiles() } catch { throw .state(error) }
        let present = Set(files.map(\.name))
        report.removed = indexed.keys.filter { !present.contains($0) }.sorted()

        var missing: [CorpusFileName] = []
        for file in files {
            if let size = indexed[file.name] {
                let actual = (try? corpus.fileSize(file.name)) ?? size
                if actual == size { continue }
            }
            missing.append(file)
        }
        var entries: [IndexEntry] = []
        if !missing.isEmpty {
            let records: [ChangeRecord]
            do { records = try corpus.changeLog().records } catch { throw .corpus(error) }
            var byName: [String: ChangeRecord] = [:]
            for record in records where byName[record.file.name] == nil { byName[record.file.name] = record }
            for file in missing {
                do {
                    entries.append(try indexEntry(file, corpus: corpus, record: byName[file.name], identity: identity))
                } catch {
                    throw .corpus(error)
                }
                report.indexed.append(file.name)
            }
        }
        do {
            if !report.removed.isEmpty { try state.removeIndex(names: report.removed) }
            if !entries.isEmpty { try state.upsertIndex(entries) }
        } catch {
            throw .state(error)
        }
        return report
    }

    /// `khabar reindex`: rebuilds the whole index from the corpus, holding the corpus lock so
    /// no append slips between the reading and the replacing.
    public static func reindex(corpus: Corpus, state: StateStore, identity: @escaping ArticleIdentityRule)
        throws(IngestError) -> ReindexReport {
        var report = ReindexReport()
        let session: CorpusAppendSession
        do { session = try corpus.beginAppend() } catch { throw .corpus(error) }
        defer { session.end() }
        var entries: [IndexEntry] = []
        do {
            let files = try corpus.files()
            var byName: [String: ChangeRecord] = [:]
            for record in try corpus.changeLog().records where byName[record.file.name] == nil {
                byName[record.file.name] = record
            }
            entries.reserveCapacity(files.count)
            for file in files {
                let entry = try indexEntry(file, corpus: corpus, record: byName[file.name], identity: identity)
                report.files += 1
                if entry.adopted {
                    report.adopted += 1
                    if entry.hash != file.hash { report.legacyNames += 1 }
                } else {
                    report.logged += 1
                }
                if entry.fingerprint == nil { report.withoutFingerprint += 1 }
                entries.append(entry)
            }
        } catch {
            throw .corpus(error)
        }
        do { try state.replaceIndex(entries) } catch { throw .state(error) }
        return report
    }
}
