import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// `khabar run` against a site that misbehaves at random (`ChaosSite`), killed with SIGKILL at
/// random moments and restarted, then left to finish once the site is calm. Nothing may be lost,
/// nothing added twice, nothing garbled, and the corpus and state must agree.
///
/// `CHAOS_SECONDS` sets the length of the chaos (default 15 s: the `make test` version; `make
/// chaos` runs minutes), `CHAOS_SEED` replays a failed run's site (the draws of faults, articles
/// and kill times; the daemon's own timing is the machine's).
@Suite(.serialized) struct ChaosTests {
    /// The `[daemon]` settings of the chaos runs: short timeouts so slow drips can fail, a retry
    /// inside each fetch, a revisit within the run (conditional requests under chaos), a page
    /// limit the oversized article (1.5 MB) exceeds.
    static let settings: [String: String] = [
        "timeout": "\"4s\"", "max_attempts": "2", "per_host_concurrency": "4",
        "revisit": "[\"2s\", \"1h\"]", "max_page_bytes": "1_000_000",
    ]

    @Test func aMisbehavingSiteAndRandomKillsLoseNothing() async throws {
        let seed = testSeed()
        let seconds = environmentNumber("CHAOS_SECONDS", 15)
        let note = "chaos seed \(seed) — CHAOS_SEED=\(seed) replays it"
        print("chaos: \(note); \(Int(seconds)) s of chaos")
        var rng = SeededRandom(seed: seed)
        let site = try ChaosSite(seed: seed)
        let w = try Workspace("khabar-chaos")
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings, sources: [Workspace.source("chaos", site: site.site)])

        // The articles: a dozen listed at the start, one more every second and a half; a third
        // of them in windows-1256; one oversized and one served as a PDF, always.
        let factory = try ArticleFactory()
        let total = 12 + Int(seconds / 1.5) + 2
        var paths: [String] = []
        let channels = FixtureSite.Channel.allCases
        for i in 0..<total {
            let path = "/news/\(700_001 + i)"
            let (headline, paragraphs) = factory.article(i + 1, using: &rng)
            let broken: ChaosSite.Broken? = i == 3 ? .oversized : i == 7 ? .wrongContentType : nil
            site.put(path: path, headline: headline, paragraphs: paragraphs,
                     encoding: rng.chance(1.0 / 3) ? .windows1256 : .utf8, broken: broken, channels: [])
            paths.append(path)
        }
        func randomChannels() -> Set<FixtureSite.Channel> {
            var set = Set(channels.filter { _ in rng.chance(0.35) })
            if set.isEmpty, let one = channels.randomElement(using: &rng) { set.insert(one) }
            return set
        }

        // What each article's text is: a dry run against the calm site.
        site.calm = true
        let expected = try await Self.expectedHashes(w, urls: paths.map { site.site.url($0) })
        #expect(expected.count == total - 2, "\(expected.count) of \(total) judged articles by the dry run; \(note)")
        site.resetRecords()
        site.calm = false
        var listed: [String] = []
        for path in paths.prefix(12) {
            site.list(path, in: randomChannels())
            listed.append(path)
        }

        // Chaos: run, kill at a random moment, restart.
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
        var nextListing = ContinuousClock.now + .milliseconds(1_500)
        var kills = 0
        while ContinuousClock.now < end {
            let daemon = try w.start(["run"], environment: fastHooks(pollEvery: 0.3))
            let uptime = Duration.milliseconds(Int64.random(in: 200...2_500, using: &rng))
            let killAt = ContinuousClock.now + uptime
            while ContinuousClock.now < killAt {
                if ContinuousClock.now >= nextListing, listed.count < paths.count {
                    let path = paths[listed.count]
                    site.list(path, in: randomChannels())
                    listed.append(path)
                    nextListing = nextListing + .milliseconds(1_500)
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let killed = await daemon.stop(with: SIGKILL).result
            kills += 1
            #expect(killed.status == 128 + SIGKILL, "the daemon ended by itself (\(killed.status)): \(killed.stderr.suffix(2_000)); \(note)")
            #expect(!killed.stderr.contains("Fatal error"), "\(killed.stderr.suffix(2_000)); \(note)")
        }
        let chaosSummary = site.summary
        let servedDuringChaos = site.servedCompletely

        // Calm: every article listed; the daemon finishes the job.
        site.calm = true
        for path in paths[listed.count...] { site.list(path, in: randomChannels()) }
        let wanted = Set(paths.compactMap { expected[$0] })
        let calmSince = ContinuousClock.now
        let daemon = try w.start(["run"], environment: fastHooks(pollEvery: 0.3))
        let settled = await waitUntil(.seconds(180)) { wanted.isSubset(of: Set(w.corpusHashes)) }
        let settleTime = ContinuousClock.now - calmSince
        let stopped = await daemon.stop(with: SIGTERM).result
        #expect(stopped.status == 0, "\(stopped.stderr.suffix(2_000)); \(note)")
        print("chaos: \(kills) kills; during the chaos: \(chaosSummary)")
        print("chaos: \(w.corpusFiles.count) files, \(wanted.count) articles expected, settled: \(settled) in \(settleTime)")

        // Every article the site sent whole is in the corpus exactly once; so is every other one,
        // now that the site is calm; nothing else is (no garbled text, no revision of a text
        // that never changed, no broken page).
        let hashes = w.corpusHashes
        var count: [String: Int] = [:]
        for h in hashes { count[h, default: 0] += 1 }
        for path in servedDuringChaos.sorted() {
            guard let hash = expected[path] else { continue }
            #expect(count[hash] == 1, "\(path) was served whole during the chaos; \(count[hash] ?? 0) files with its text \(hash); \(note)")
        }
        for path in paths {
            guard let hash = expected[path] else { continue }
            if count[hash] != 1 {
                let row = try w.state().frontierURL(site.site.url(path))
                let events = try w.state().events(matching: EventQuery(urls: [site.site.url(path)]))
                // Where it was listed, and what became of those channels: a discovery that gave up shows here.
                let listedIn = site.site.article(at: path)?.channels.map(\.rawValue).sorted() ?? []
                let channelRows = try w.state().channels(source: "chaos").map {
                    "\($0.url) \($0.kind.rawValue) read \($0.lastFetched.map { "\($0)" } ?? "never") status \($0.lastStatus.map(String.init) ?? "-") failures \($0.consecutiveFailures)"
                }
                Issue.record("""
                    \(path): \(count[hash] ?? 0) files with its text \(hash); frontier: \(String(describing: row)); \
                    events: \(events.map { "\($0.outcome.rawValue) \($0.detail ?? "")" }); listed in \(listedIn); \
                    channels: \(channelRows.joined(separator: "; ")); \(note)
                    """)
            }
        }
        for h in hashes where !wanted.contains(h) {
            let file = w.corpusFiles.first { $0.contains(h) } ?? h
            let text = (try? String(contentsOfFile: w.corpus + "/" + file, encoding: .utf8))?.prefix(300) ?? ""
            Issue.record("\(file) is no article of the site: \(text); \(note)")
        }
        #expect(w.corpusEntries.filter { $0.hasPrefix(".tmp") }.isEmpty, "\(w.corpusEntries); \(note)")
        #expect(w.changes.count == hashes.count, "\(w.changes.count) change-log lines for \(hashes.count) files; \(note)")
        try await w.expectCorpusChecksPass(Comment(rawValue: note))
        try await w.expectStateMatchesCorpus(Comment(rawValue: note))
    }

    /// `khabar fetch --dry-run` over every URL: the hash of each page judged an article.
    static func expectedHashes(_ w: Workspace, urls: [String]) async throws -> [String: String] {
        let dry = try await w.khabar(["fetch", "--dry-run"] + urls, timeout: .seconds(300))
        var out: [String: String] = [:]
        var current: String?
        var hash: String?
        for line in dry.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("url: ") {
                current = URL(string: String(line.dropFirst(5)))?.path
                hash = nil
            } else if line.hasPrefix("hash: ") {
                hash = String(line.dropFirst(6))
            } else if line == "judgement: would be ingested", let current, let hash {
                out[current] = hash
            }
        }
        return out
    }
}
