import Foundation
import Glibc
import KhabarService
import KhabarTestSupport
import Testing

// What the end-to-end suites (KhabarDaemonTests, KhabarReliabilityTests) drive the real `khabar`
// binary with: a workspace of its own per test, and waits that keep the cooperative pool free.

/// The repository's root folder.
public let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

/// `../shared` beside the repository (seeds and bench pages).
public let sharedFolder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

/// The `khabar` binary `swift build` put beside the tests.
public let khabarBinary = ChildProcess.buildDirectory.appendingPathComponent("khabar").path

/// A temporary folder with a configuration, a corpus and a state of its own, and the real
/// `khabar` binary to drive.
public final class Workspace: @unchecked Sendable {
    public let folder: URL
    public var corpus: String { folder.appendingPathComponent("corpus").path }
    public var stateFolder: String { folder.appendingPathComponent("state").path }
    public var stateDB: String { stateFolder + "/khabar.sqlite" }
    public var config: String { folder.appendingPathComponent("khabar.toml").path }

    public init(_ prefix: String = "khabar-test") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Writes the configuration: `[daemon]` with this workspace's corpus and state and fast test
    /// timings, `daemon` overriding or adding keys (values as TOML), then the sources.
    public func configure(daemon overrides: [String: String] = [:], sources: [String]) throws {
        var settings: [(String, String)] = [
            ("corpus_dir", "\"\(corpus)\""), ("state_db", "\"\(stateDB)\""), ("per_host_delay", "\"0s\""),
            ("per_host_concurrency", "4"), ("timeout", "\"20s\""), ("max_attempts", "1"), ("revisit", "[\"1h\"]"),
        ]
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            if let i = settings.firstIndex(where: { $0.0 == key }) { settings[i].1 = value } else { settings.append((key, value)) }
        }
        var text = "[daemon]\n" + settings.map { "\($0.0) = \($0.1)\n" }.joined()
        for s in sources { text += "\n[[source]]\n\(s)\n" }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
    }

    /// A source table for a fixture site (its homepage and listing page).
    public static func source(_ name: String, site: FixtureSite, interval: String = "15m", extra: String = "") -> String {
        """
        name = "\(name)"
        url = "\(site.url("/"))"
        listing_pages = ["\(site.url("/section/news"))"]
        interval = "\(interval)"
        \(extra)
        """
    }

    /// Runs `khabar ARGS --config CONFIG` to its end, waiting off the cooperative pool.
    public func khabar(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> ChildResult {
        try await ChildProcess.execute(khabarBinary, arguments + ["--config", config], environment: environment, timeout: timeout)
    }

    /// Starts `khabar ARGS --config CONFIG` in the background.
    public func start(_ arguments: [String], environment: [String: String] = [:]) throws -> SpawnedProcess {
        try ChildProcess.start(khabarBinary, arguments + ["--config", config], environment: environment)
    }

    /// Everything in the corpus folder, sorted (dot files included).
    public var corpusEntries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted() }

    /// The corpus files (`NNN_hash.txt`), sorted.
    public var corpusFiles: [String] { corpusEntries.filter { $0.hasSuffix(".txt") } }

    /// The hashes in the corpus files' names.
    public var corpusHashes: [String] {
        corpusFiles.compactMap { name in
            guard let underscore = name.firstIndex(of: "_") else { return nil }
            return String(name[name.index(after: underscore)...].dropLast(4))
        }
    }

    /// The change log's raw text.
    public var changeLogText: String { (try? String(contentsOfFile: corpus + "/changes.jsonl", encoding: .utf8)) ?? "" }

    /// The change log's lines as objects.
    public var changes: [[String: Any]] {
        changeLogText.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// URLs of `added` lines, in order.
    public var addedURLs: [String] { changes.filter { $0["action"] as? String == "added" }.compactMap { $0["url"] as? String } }

    /// The state, opened in this process.
    public func state() throws -> StateStore { try StateStore(path: stateDB) }

    /// The ingestion events, optionally of one outcome and one source.
    public func events(_ outcome: EventOutcome? = nil, source: String? = nil) throws -> [IngestEvent] {
        try state().events(matching: EventQuery(sources: source.map { [$0] } ?? [], outcomes: outcome.map { [$0] } ?? []))
    }

    /// Every index row, by file name.
    public func indexSnapshot() throws -> [String: IndexEntry] {
        let state = try self.state()
        var out: [String: IndexEntry] = [:]
        for name in try state.indexedFiles().keys { out[name] = try state.indexEntry(named: name) }
        return out
    }

    /// `khabar verify` and the independent Python format check both pass on the corpus.
    public func expectCorpusChecksPass(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let verify = try await khabar(["verify"])
        #expect(verify.status == 0, "verify: \(verify.stdout) \(verify.stderr) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        #expect(!verify.stdout.contains("fault:"), "\(verify.stdout) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        let check = try await ChildProcess.execute("/usr/bin/env", [
            "python3", repositoryRoot.appendingPathComponent("Tests/tools/check_corpus.py").path, corpus,
        ])
        #expect(check.status == 0, "check_corpus.py: \(check.stdout) \(check.stderr) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
    }

    /// The state agrees with the corpus: `khabar reindex` rebuilds exactly the index there is, and
    /// the frontier row of every file's URL names that file (or a later version of it).
    public func expectStateMatchesCorpus(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try indexSnapshot()
        let reindex = try await khabar(["reindex"])
        #expect(reindex.status == 0, "\(reindex.stderr)", sourceLocation: sourceLocation)
        #expect(!reindex.stdout.contains("repaired:"), "\(reindex.stdout) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        let after = try indexSnapshot()
        #expect(Set(before.keys) == Set(corpusFiles), "index \(before.keys.sorted()) files \(corpusFiles) \(comment?.rawValue ?? "")",
                sourceLocation: sourceLocation)
        for (name, entry) in after where before[name] != entry {
            Issue.record("reindex changed \(name): \(String(describing: before[name])) → \(entry) \(comment?.rawValue ?? "")",
                         sourceLocation: sourceLocation)
        }
        let state = try self.state()
        var newest: [String: String] = [:]
        for change in changes {
            guard let url = change["url"] as? String, let file = change["file"] as? String else { continue }
            newest[url] = file
        }
        for (url, file) in newest {
            let row = try state.frontierURL(url)
            #expect(row?.corpusFile == file, "frontier of \(url): \(String(describing: row?.corpusFile)), corpus: \(file) \(comment?.rawValue ?? "")",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
@discardableResult
public func waitUntil(_ timeout: Duration, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

/// Runs blocking work (waiting for a child process, reading a socket) on a thread of its own.
/// Swift Testing runs suites in parallel on the cooperative pool, which has one thread per core:
/// a test blocking one of them for seconds stalls every other test's awaits (and their timing).
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

public func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

extension SpawnedProcess {
    /// `wait(timeout:)` without holding a cooperative thread.
    public func finish(timeout: Duration = .seconds(120)) async -> ChildResult {
        await offThePool { self.wait(timeout: timeout) }
    }

    /// Sends `signal` and waits for the end; the time it took is measured on the waiting thread,
    /// so a busy test runner cannot add to it.
    public func stop(with signal: Int32, timeout: Duration = .seconds(20)) async -> (result: ChildResult, took: Duration) {
        await offThePool {
            let start = ContinuousClock.now
            self.signal(signal)
            let result = self.wait(timeout: timeout)
            return (result, ContinuousClock.now - start)
        }
    }

    /// Whether the process is still alive (not reaped, not a zombie).
    public var isAlive: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.first.map { $0 != "Z" && $0 != "X" } ?? false
    }
}

extension NotifySocket {
    /// `collect(until:timeout:)` without holding a cooperative thread.
    public func gather(until predicate: @escaping @Sendable (String) -> Bool, timeout: Duration) async -> [String] {
        await offThePool { self.collect(until: predicate, timeout: timeout) }
    }

    /// `receive(timeout:)` without holding a cooperative thread.
    public func next(timeout: Duration = .seconds(2)) async -> String? {
        await offThePool { self.receive(timeout: timeout) }
    }
}
