import Foundation
import KhabarText

/// How the ingestor treats near-duplicates and article identity.
public struct IngestPolicy: Sendable {
    /// Fingerprint bits within which a text is a near-duplicate; 0 disables the check.
    public var nearDuplicateDistance: Int
    public var nearDuplicates: NearDuplicatePolicy
    public var identity: ArticleIdentityRule

    public init(nearDuplicateDistance: Int = 3, nearDuplicates: NearDuplicatePolicy = .skip,
                identity: @escaping ArticleIdentityRule = ArticleIdentity.sameSite) {
        self.nearDuplicateDistance = nearDuplicateDistance
        self.nearDuplicates = nearDuplicates
        self.identity = identity
    }

    /// The configured policy.
    public init(settings: DaemonSettings, identity: @escaping ArticleIdentityRule = ArticleIdentity.sameSite) {
        self.init(nearDuplicateDistance: settings.nearDuplicateDistance, nearDuplicates: settings.nearDuplicates, identity: identity)
    }
}

/// What the fetch that produced a text measured, for its event.
public struct FetchFacts: Sendable, Equatable {
    public var time: Date
    public var httpStatus: Int?
    public var bytes: Int?
    public var milliseconds: Int?

    public init(time: Date = Date(), httpStatus: Int? = nil, bytes: Int? = nil, milliseconds: Int? = nil) {
        self.time = time
        self.httpStatus = httpStatus
        self.bytes = bytes
        self.milliseconds = milliseconds
    }
}

/// What the ingestor would do with a text, before doing it.
public enum IngestDecision: Sendable, Equatable {
    /// The same content hash is in the corpus.
    case duplicate(of: String)
    /// The article's latest version folds to the same text: only spacing, ZWNJ, tatweel, digit
    /// forms or letter variants changed, which is not a revision.
    case sameAsLatestVersion(String)
    /// A new version of an article already in the corpus.
    case revise(supersedes: String)
    /// Within the near-duplicate distance of a file, with `near_duplicates = "skip"`.
    case skipNearDuplicate(of: String, distance: Int)
    /// A new text; `nearDuplicateOf` set when kept despite being a near-duplicate.
    case add(nearDuplicateOf: String?, distance: Int?)
}

/// The result of ingesting one text: what happened, with what the CLI prints.
public enum IngestOutcome: Sendable, Equatable {
    case added(ChangeRecord)
    case revised(ChangeRecord)
    /// `sameSpelling` false when the text differs from the file only in what folding removes.
    case duplicate(of: String, sameSpelling: Bool)
    case nearDuplicate(of: String, distance: Int)

    public var eventOutcome: EventOutcome {
        switch self {
        case .added: return .added
        case .revised: return .revised
        case .duplicate: return .duplicate
        case .nearDuplicate: return .nearDuplicate
        }
    }

    /// The file written, for added and revised.
    public var record: ChangeRecord? {
        switch self {
        case .added(let r), .revised(let r): return r
        default: return nil
        }
    }

    /// The line `khabar fetch` prints: `added 005_….txt "headline" (3,129 chars)`,
    /// `revised 007_….txt supersedes 005_….txt`, `duplicate of 003_….txt`.
    public var summary: String {
        switch self {
        case .added(let r):
            var line = "added \(r.file.name) \(IngestOutcome.quoted(r.title)) (\(IngestOutcome.grouped(r.chars)) chars)"
            if let near = r.nearDuplicateOf { line += ", near-duplicate of \(near)" }
            return line
        case .revised(let r):
            return "revised \(r.file.name) supersedes \(r.supersedes ?? "?")"
        case let .duplicate(file, sameSpelling):
            return sameSpelling ? "duplicate of \(file)" : "duplicate of \(file) (differs only in spacing or spelling variants)"
        case let .nearDuplicate(file, distance):
            return "near-duplicate of \(file) (\(distance) bit\(distance == 1 ? "" : "s") apart)"
        }
    }

    static func quoted(_ title: String?) -> String {
        "\"\(title ?? "")\""
    }

    /// `3129` → `3,129`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

/// A failure to ingest, typed by where it happened.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    case corpus(CorpusError)
    case state(StateError)
    /// The text is in the corpus, but its index row or event could not be written; the next
    /// start-up reconciliation indexes it.
    case recordingFailed(IngestOutcome, StateError)

    public var description: String {
        switch self {
        case .corpus(let e): return "corpus: \(e)"
        case .state(let e): return "\(e)"
        case let .recordingFailed(outcome, e): return "\(outcome.summary), but the state was not updated: \(e)"
        }
    }
}

/// The join of corpus and state: decides duplicate / revision / near-duplicate / new, appends,
/// indexes, records the event — all while holding the corpus lock, so a daemon and a manual
/// `khabar fetch` can ingest into one corpus and one state at once without ever adding a text
/// twice.
///
/// Order of judgement (DESIGN.md): the same content hash is a duplicate; else a known article
/// (by identity) with a changed text is a revision — unless the folded forms are equal — and
/// never a near-duplicate of its own earlier versions; else a near-duplicate (skipped or kept
/// per policy); else a new text.
public final class Ingestor: Sendable {
    public let corpus: Corpus
    public let state: StateStore
    public let policy: IngestPolicy

    public init(corpus: Corpus, state: StateStore, policy: IngestPolicy = IngestPolicy()) {
        self.corpus = corpus
        self.state = state
        self.policy = policy
    }

    /// Opens the corpus (reconciling it) and the state, and brings the index in step with the
    /// corpus (files it lacks get indexed). The reports say what was repaired.
    public static func open(corpusDirectory: String, stateDatabase: String, policy: IngestPolicy = IngestPolicy())
        throws(IngestError) -> (ingestor: Ingestor, corpus: ReconcileReport, index: IndexReconcileReport) {
        let corpus: Corpus
        do { corpus = try Corpus.open(directory: corpusDirectory) } catch { throw .corpus(error) }
        let state: StateStore
        do { state = try StateStore(path: stateDatabase) } catch { throw .state(error) }
        let index = try CorpusIndexer.reconcile(corpus: corpus, state: state, identity: policy.identity)
        return (Ingestor(corpus: corpus, state: state, policy: policy), corpus.openingReport, index)
    }

    /// A text with its hashes, computed once outside the lock.
    struct Prepared {
        var article: CorpusArticle
        var hash: String
        var foldHash: String
        var fingerprint: TextFingerprint?
        var identity: String?
    }

    func prepare(_ article: CorpusArticle) throws(IngestError) -> Prepared {
        let violations = CorpusText.violations(of: article.text)
        if !violations.isEmpty { throw .corpus(.invalidText(violations: violations)) }
        return Prepared(article: article, hash: ContentHash.hash16(article.text), foldHash: ContentHash.foldHash16(article.text),
                        fingerprint: TextFingerprint.of(article.text), identity: policy.identity(article.url, article.canonicalURL))
    }

    func decide(_ p: Prepared) throws(StateError) -> IngestDecision {
        if let existing = try state.indexEntry(hash: p.hash) { return .duplicate(of: existing.name) }
        if let identity = p.identity, let latest = try state.latestVersion(identity: identity) {
            return latest.foldHash == p.foldHash ? .sameAsLatestVersion(latest.name) : .revise(supersedes: latest.name)
        }
        if policy.nearDuplicateDistance > 0, let fingerprint = p.fingerprint,
           let near = try state.nearest(to: fingerprint.value, within: policy.nearDuplicateDistance) {
            switch policy.nearDuplicates {
            case .skip: return .skipNearDuplicate(of: near.name, distance: near.distance)
            case .keep: return .add(nearDuplicateOf: near.name, distance: near.distance)
            }
        }
        return .add(nearDuplicateOf: nil, distance: nil)
    }

    /// What `ingest` would do now, writing nothing (for `fetch --dry-run`).
    public func preview(_ article: CorpusArticle) throws(IngestError) -> IngestDecision {
        let prepared = try prepare(article)
        do { return try decide(prepared) } catch { throw .state(error) }
    }

    /// Ingests one text: see the type's documentation. Thread-safe; blocks while another
    /// appender (thread or process) holds the corpus.
    public func ingest(_ article: CorpusArticle, facts: FetchFacts = FetchFacts()) throws(IngestError) -> IngestOutcome {
        let p = try prepare(article)
        let session: CorpusAppendSession
        do { session = try corpus.beginAppend() } catch { throw .corpus(error) }
        defer { session.end() }
        do {
            try CorpusIndexer.indexForeign(session.appendedByOthers, corpus: corpus, state: state, identity: policy.identity)
        } catch {
            throw .state(error)
        }
        let decision: IngestDecision
        do { decision = try decide(p) } catch { throw .state(error) }

        var event = IngestEvent(time: facts.time, source: article.source, url: article.url, outcome: .added,
                                httpStatus: facts.httpStatus, bytes: facts.bytes, milliseconds: facts.milliseconds,
                                title: article.title, chars: article.text.unicodeScalars.count)
        let outcome: IngestOutcome
        var index: IndexEntry?
        switch decision {
        case .duplicate(let existing):
            outcome = .duplicate(of: existing, sameSpelling: true)
            event.relatedFile = existing
            event.detail = "same text as \(existing)"
        case .sameAsLatestVersion(let latest):
            outcome = .duplicate(of: latest, sameSpelling: false)
            event.relatedFile = latest
            event.detail = "same text as \(latest) up to spacing, ZWNJ, tatweel, digit forms or letter variants"
        case let .skipNearDuplicate(near, distance):
            outcome = .nearDuplicate(of: near, distance: distance)
            event.relatedFile = near
            event.detail = "fingerprint \(distance) bit\(distance == 1 ? "" : "s") from \(near)"
        case .revise(let previous):
            let record: ChangeRecord
            do { record = try session.append(article, action: .revised, supersedes: previous) } catch { throw .corpus(error) }
            outcome = .revised(record)
            event.file = record.file.name
            event.relatedFile = previous
            event.detail = "supersedes \(previous)"
            index = CorpusIndexer.entry(record: record, prepared: p)
        case let .add(near, distance):
            let record: ChangeRecord
            do { record = try session.append(article, action: .added, nearDuplicateOf: near) } catch { throw .corpus(error) }
            outcome = .added(record)
            event.file = record.file.name
            if let near, let distance {
                event.relatedFile = near
                event.detail = "kept; fingerprint \(distance) bit\(distance == 1 ? "" : "s") from \(near)"
            }
            index = CorpusIndexer.entry(record: record, prepared: p)
        }
        event.outcome = outcome.eventOutcome
        do {
            try state.commitIngestion(index: index, event: event)
        } catch {
            if index != nil { throw .recordingFailed(outcome, error) }
            throw .state(error)
        }
        return outcome
    }
}
