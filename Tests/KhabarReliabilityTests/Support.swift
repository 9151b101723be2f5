import Foundation
import Glibc
import KhabarService
import KhabarTestSupport
import Testing

/// The repository's root folder.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

/// `../shared` beside the repository (seeds and bench pages).
let sharedFolder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

/// The `khabar` binary `swift build` put beside the tests.
let khabarBinary = ChildProcess.buildDirectory.appendingPathComponent("khabar").path


/// The hooks that make the daemon's rhythm fast enough for a test (docs/daemon.md, test-only).
func fastHooks(pollEvery: Double = 0.5, retryBase: Double = 1) -> [String: String] {
    ["KHABAR_TEST_HOOKS": "1", "KHABAR_TEST_POLL_EVERY": "\(pollEvery)", "KHABAR_TEST_RETRY_BASE": "\(retryBase)"]
}

/// A number from the environment (`CHAOS_SECONDS=600`), or `fallback`.
func environmentNumber(_ name: String, _ fallback: Double) -> Double {
    ProcessInfo.processInfo.environment[name].flatMap(Double.init) ?? fallback
}

/// A temporary folder with a configuration, a corpus and a state of its own, and the real
/// `khabar` binary to drive.
final class Workspace: @unchecked Sendable {
    let folder: URL
    var corpus: String { folder.appendingPathComponent("corpus").path }
    var stateFolder: String { folder.appendingPathComponent("state").path }
    var stateDB: String { stateFolder + "/khabar.sqlite" }
    var config: String { folder.appendingPathComponent("khabar.toml").path }

    init(_ prefix: String = "khabar-reliability") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Writes the configuration: `[daemon]` with this workspace's corpus and state and fast test
    /// timings, `daemon` overriding or adding keys (values as TOML), then the sources.
    func configure(daemon overrides: [String: String] = [:], sources: [String]) throws {
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
    static func source(_ name: String, site: FixtureSite, interval: String = "15m", extra: String = "") -> String {
        """
        name = "\(name)"
        url = "\(site.url("/"))"
        listing_pages = ["\(site.url("/section/news"))"]
        interval = "\(interval)"
        \(extra)
        """
    }

    /// Runs `khabar ARGS --config CONFIG` to its end, waiting off the cooperative pool.
    func khabar(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120)) async throws -> ChildResult {
        try await ChildProcess.execute(khabarBinary, arguments + ["--config", config], environment: environment, timeout: timeout)
    }

    /// Starts `khabar ARGS --config CONFIG` in the background.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> SpawnedProcess {
        try ChildProcess.start(khabarBinary, arguments + ["--config", config], environment: environment)
    }

    /// Everything in the corpus folder, sorted (dot files included).
    var corpusEntries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted() }

    /// The corpus files (`NNN_hash.txt`), sorted.
    var corpusFiles: [String] { corpusEntries.filter { $0.hasSuffix(".txt") } }

    /// The hashes in the corpus files' names.
    var corpusHashes: [String] {
        corpusFiles.compactMap { name in
            guard let underscore = name.firstIndex(of: "_") else { return nil }
            return String(name[name.index(after: underscore)...].dropLast(4))
        }
    }

    /// The change log's raw text.
    var changeLogText: String { (try? String(contentsOfFile: corpus + "/changes.jsonl", encoding: .utf8)) ?? "" }

    /// The change log's lines as objects.
    var changes: [[String: Any]] {
        changeLogText.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// URLs of `added` lines, in order.
    var addedURLs: [String] { changes.filter { $0["action"] as? String == "added" }.compactMap { $0["url"] as? String } }

    /// The state, opened in this process.
    func state() throws -> StateStore { try StateStore(path: stateDB) }

    func events(_ outcome: EventOutcome? = nil) throws -> [IngestEvent] {
        try state().events(matching: EventQuery(outcomes: outcome.map { [$0] } ?? []))
    }

    /// Every index row, by file name.
    func indexSnapshot() throws -> [String: IndexEntry] {
        let state = try self.state()
        var out: [String: IndexEntry] = [:]
        for name in try state.indexedFiles().keys { out[name] = try state.indexEntry(named: name) }
        return out
    }

    /// `khabar verify` and the independent Python format check both pass on the corpus.
    func expectCorpusChecksPass(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
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
    func expectStateMatchesCorpus(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
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

/// Polls `condition` every 100 ms until it holds or `timeout` passes; returns whether it held.
@discardableResult
func waitUntil(_ timeout: Duration, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try condition()
}

/// Runs blocking work on a thread of its own, leaving the cooperative pool (two threads here)
/// free for the other tests.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

extension SpawnedProcess {
    /// Sends `signal` and waits for the end, off the cooperative pool.
    func stop(with signal: Int32, timeout: Duration = .seconds(20)) async -> ChildResult {
        await offThePool {
            self.signal(signal)
            return self.wait(timeout: timeout)
        }
    }

    /// Whether the process is still alive (not reaped, not a zombie).
    var isAlive: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.first.map { $0 != "Z" && $0 != "X" } ?? false
    }
}

// MARK: Randomness a failure can replay

/// The seed of a randomised test: `CHAOS_SEED` when set (to replay a failure), else a fresh one.
func testSeed() -> UInt64 {
    ProcessInfo.processInfo.environment["CHAOS_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(Int64.max))
}

// MARK: Articles

/// Distinct Arabic news articles made from the sentences of the seed corpus (`../shared/seeds`),
/// each a random draw of sentences under a headline of its own — distinct enough that the
/// near-duplicate check stays on — and every character encodable in windows-1256.
struct ArticleFactory {
    let sentences: [String]

    init() throws {
        let folder = sharedFolder.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        var pool: [String] = []
        for name in names where !name.hasPrefix("000") {   // 000 is Persian (ی has no windows-1256 byte)
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                for piece in line.replacingOccurrences(of: "\u{00A0}", with: " ").split(separator: ".") {
                    let sentence = piece.trimmingCharacters(in: .whitespaces)
                    guard sentence.unicodeScalars.count >= 40, Iconv.convert(sentence, to: "WINDOWS-1256") != nil else { continue }
                    if !pool.contains(sentence) { pool.append(sentence + ".") }
                }
            }
        }
        sentences = pool
    }

    /// Article `number`: a headline and 6–9 paragraphs of 2–3 sentences.
    func article(_ number: Int, using rng: inout SeededRandom) -> (headline: String, paragraphs: [String]) {
        let opening = sentences[Int.random(in: 0..<sentences.count, using: &rng)].split(separator: " ").prefix(6).joined(separator: " ")
        let headline = "الخبر \(number): \(opening)"
        var paragraphs = ["هذا هو الخبر رقم \(number) في سلسلة الاختبار، وقد كُتب للتجربة فقط ولا يمت إلى حدث حقيقي بصلة."]
        for _ in 0..<Int.random(in: 6...9, using: &rng) {
            let count = Int.random(in: 2...3, using: &rng)
            paragraphs.append((0..<count).map { _ in sentences[Int.random(in: 0..<sentences.count, using: &rng)] }.joined(separator: " "))
        }
        return (headline, paragraphs)
    }
}

// MARK: Watching a process

/// Resident memory and open descriptors of a running process, from `/proc`.
struct ProcessSample: Sendable {
    var rssKB: Int
    var fds: Int

    static func of(_ pid: pid_t) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }),
              let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        return ProcessSample(rssKB: kb, fds: fds.count)
    }
}
