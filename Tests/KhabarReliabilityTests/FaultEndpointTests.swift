import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// Every fault the chaos site can produce, made deterministic — one URL per fault — and driven
/// from outside with the real binary: `khabar fetch URL` on a temporary corpus. Each must end in
/// exit 1 (DESIGN.md: `fetch` exits 1 when a URL did not end in the corpus), one line on stdout
/// saying why, one log line on stderr naming the URL and the failure, no corpus file and no
/// temporary file, and an event for the URL in the state. Memory stays bounded on the gzip bomb
/// and the oversized page.
@Suite(.serialized) struct FaultEndpointTests {
    /// A short timeout (the drip lasts 30 s), no retry inside a fetch (a 5xx is one line, not
    /// five), a page limit of a megabyte.
    static let settings: [String: String] = ["timeout": "\"2s\"", "max_attempts": "1", "max_page_bytes": "1_000_000"]

    /// What `khabar fetch` must say for a fault: its stdout line, exactly; the event's outcome.
    struct Expectation: Sendable, CustomTestStringConvertible {
        var fault: ChaosSite.Fault
        /// The stdout line (its beginning, with `prefixOnly`: byte counts and dates vary).
        var line: String
        /// The failure's code in the event's detail (`code: message`); nil for "not an article".
        var code: String?
        var prefixOnly = false
        var outcome: EventOutcome { code == nil ? .notArticle : .failed }
        var testDescription: String { fault.rawValue }
    }

    static let expectations: [Expectation] = [
        Expectation(fault: .resetBeforeAnswer, line: "failed: connection lost: Recv failure: Connection reset by peer",
                    code: "connection_lost"),
        Expectation(fault: .resetMidBody, line: "failed: connection lost: Recv failure: Connection reset by peer (after ",
                    code: "connection_lost", prefixOnly: true),
        Expectation(fault: .truncated, line: "failed: connection lost: transfer closed with 1000 bytes remaining to read (after ",
                    code: "connection_lost", prefixOnly: true),
        Expectation(fault: .serverError, line: "failed: HTTP 500", code: "http"),
        Expectation(fault: .unavailable, line: "failed: HTTP 503, retry after 20", code: "http", prefixOnly: true),
        Expectation(fault: .tooManyRequests, line: "failed: HTTP 429, retry after 20", code: "http", prefixOnly: true),
        Expectation(fault: .slowDrip, line: "failed: timeout after 2 s", code: "timeout"),
        Expectation(fault: .wrongContentType, line: "failed: content type image/jpeg not accepted for a page", code: "content_type"),
        Expectation(fault: .pdf, line: "failed: content type application/pdf not accepted for a page", code: "content_type"),
        Expectation(fault: .oversized, line: "failed: body larger than 1000000 bytes", code: "too_large"),
        Expectation(fault: .gzipBomb, line: "failed: body larger than 1000000 bytes", code: "too_large"),
        Expectation(fault: .redirectLoop, line: "failed: more than 5 redirects", code: "too_many_redirects"),
        Expectation(fault: .redirectToNonHTTP, line: "failed: redirect refused: file:///etc/passwd is not an http(s) URL",
                    code: "redirect_refused"),
        Expectation(fault: .emptyOK, line: "failed: empty page", code: "parse"),
        Expectation(fault: .noArticle, line: "not an article: ", code: nil, prefixOnly: true),
    ]

    /// The site: one article per fault, each forced to fail its way.
    final class Fixture: @unchecked Sendable {
        let site: ChaosSite
        let w: Workspace
        var paths: [ChaosSite.Fault: String] = [:]

        init() throws {
            site = try ChaosSite(seed: 1)
            site.calm = true
            w = try Workspace("khabar-faults")
            try w.configure(daemon: FaultEndpointTests.settings, sources: [Workspace.source("faults", site: site.site)])
            var rng = SeededRandom(seed: 8)
            let factory = try ArticleFactory()
            for (i, fault) in ChaosSite.Fault.allCases.enumerated() {
                let path = "/news/\(800_001 + i)"
                let (headline, paragraphs) = factory.article(i + 1, using: &rng)
                site.put(path: path, headline: headline, paragraphs: paragraphs, encoding: i % 2 == 0 ? .utf8 : .windows1256,
                         channels: [])
                site.force(fault, at: path)
                paths[fault] = path
            }
            let (headline, paragraphs) = factory.article(100, using: &rng)
            site.put(path: Self.honestPath, headline: headline, paragraphs: paragraphs, encoding: .utf8, channels: [])
        }

        /// An article served as it should be.
        static let honestPath = "/news/800100"

        func url(_ fault: ChaosSite.Fault) -> String { site.site.url(paths[fault] ?? "/") }

        func stop() {
            site.stop()
            w.remove()
        }
    }

    @Test(arguments: expectations)
    func aFaultEndsInOneLineAndNothingWritten(_ e: Expectation) async throws {
        let f = try Fixture()
        defer { f.stop() }
        let url = f.url(e.fault)
        let r = try await f.w.khabar(["fetch", url], timeout: .seconds(60))

        #expect(r.status == 1, "\(e.fault.rawValue): exit \(r.status); \(r.stdout) \(r.stderr)")
        let stdoutLines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(stdoutLines.count == 1, "\(e.fault.rawValue): \(r.stdout)")
        let line = String(stdoutLines.first ?? "")
        #expect(e.prefixOnly ? line.hasPrefix(e.line) : line == e.line, "\(e.fault.rawValue): \(line)")
        // One log line on stderr, naming the URL and saying what went wrong.
        let stderrLines = r.stderr.split(separator: "\n").map(String.init)
        if e.outcome == .failed {
            #expect(stderrLines.count == 1, "\(e.fault.rawValue): \(r.stderr)")
            let log = stderrLines.first ?? ""
            #expect(log.contains("level=notice"), "\(log)")
            #expect(log.contains("msg=\"\(line)\""), "\(e.fault.rawValue): \(log)")
            #expect(log.contains("url=\(url)"), "\(e.fault.rawValue): \(log)")
            #expect(log.contains("outcome=failed"), "\(e.fault.rawValue): \(log)")
        } else {
            // Not an article is no error: the stdout line says it, stderr stays quiet.
            #expect(stderrLines.isEmpty, "\(e.fault.rawValue): \(r.stderr)")
        }
        #expect(!r.stderr.contains("Fatal error"))

        // Nothing in the corpus: no file, no temporary file, no change-log line.
        #expect(f.w.corpusEntries.filter { $0.hasSuffix(".txt") || $0.hasPrefix(".tmp") }.isEmpty, "\(f.w.corpusEntries)")
        #expect(f.w.changes.isEmpty)
        // The state has the event.
        let events = try f.w.state().events(matching: EventQuery(urls: [url]))
        #expect(events.map(\.outcome) == [e.outcome], "\(e.fault.rawValue): \(events)")
        if let code = e.code {
            // The event's detail: the failure's code, then the line's message.
            #expect(events.first?.detail == code + ": " + line.dropFirst("failed: ".count), "\(e.fault.rawValue): \(events)")
        }
        // `khabar log --url` shows it too (the URL's history: no version, and the event).
        let log = try await f.w.khabar(["log", "--url", url])
        #expect(log.status == 0, "\(log.stderr)")
        let eventRow = log.stdout.split(separator: "\n").filter { $0.contains(e.outcome.rawValue) && $0.contains(url) }
        #expect(eventRow.count == 1, "\(e.fault.rawValue): \(log.stdout)")
        try await f.w.expectCorpusChecksPass(Comment(rawValue: e.fault.rawValue))
    }

    /// The gzip bomb (1 GiB of zeros behind a megabyte) and the twelve-megabyte page: the body
    /// limit is enforced while downloading, so the fetch's peak memory stays small.
    @Test(arguments: [ChaosSite.Fault.gzipBomb, .oversized])
    func memoryIsBoundedOnHugeBodies(_ fault: ChaosSite.Fault) async throws {
        let f = try Fixture()
        defer { f.stop() }
        let (r, megabytes) = try await Self.fetchMeasured(f.w, f.url(fault))
        // For comparison: the same command on an ordinary article.
        let (honest, baseline) = try await Self.fetchMeasured(f.w, f.site.site.url(Fixture.honestPath))
        print("fault endpoints: khabar fetch on the \(fault.rawValue): peak RSS \(String(format: "%.1f", megabytes)) MB "
              + "(an ordinary article: \(String(format: "%.1f", baseline)) MB)")
        #expect(r.status == 1)
        #expect(honest.status == 0, "\(honest.stdout) \(honest.stderr)")
        #expect(megabytes > 1 && baseline > 1)
        #expect(megabytes < 150, "\(fault.rawValue): \(megabytes) MB")
        // The body limit is a megabyte: the bomb may cost little more than that over a normal fetch.
        #expect(megabytes < baseline + 20, "\(fault.rawValue): \(megabytes) MB, an ordinary fetch \(baseline) MB")
    }

    /// `khabar fetch URL` under GNU time: its result and its peak resident memory in MB. (The
    /// rusage of a child the test spawns itself is no measure: Linux starts a spawned child's
    /// `ru_maxrss` at the parent's high-water mark, some 80 MB of test runner; `time` forks from a
    /// process of one megabyte.)
    static func fetchMeasured(_ w: Workspace, _ url: String) async throws -> (ChildResult, Double) {
        let time = "/usr/bin/time"   // Makefile PACKAGES: time
        try #require(FileManager.default.isExecutableFile(atPath: time), "GNU time is needed (apt-get install time)")
        let out = w.folder.appendingPathComponent("time-\(UUID().uuidString)").path
        let r = try await ChildProcess.execute(time, ["-f", "%M", "-o", out, khabarBinary, "fetch", url, "--config", w.config],
                                               timeout: .seconds(60))
        let kb = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").last.flatMap { Double($0) } ?? 0
        return (r, kb / 1_024)
    }

    /// A lying charset (windows-1256 bytes declared UTF-8, and the reverse) still ends in the
    /// article's true text: the same hash as the honest page.
    @Test(arguments: [ChaosSite.Encoding.utf8, .windows1256])
    func aLyingCharsetEndsInTheTrueText(_ encoding: ChaosSite.Encoding) async throws {
        let site = try ChaosSite(seed: 2)
        site.calm = true
        let w = try Workspace("khabar-faults-charset")
        defer { site.stop(); w.remove() }
        try w.configure(daemon: Self.settings, sources: [Workspace.source("faults", site: site.site)])
        var rng = SeededRandom(seed: 11)
        let (headline, paragraphs) = try ArticleFactory().article(1, using: &rng)
        site.put(path: "/news/900001", headline: headline, paragraphs: paragraphs, encoding: encoding, channels: [])
        site.put(path: "/news/900002", headline: headline, paragraphs: paragraphs, encoding: encoding, channels: [])
        site.force(.lyingCharset, at: "/news/900002")
        let honest = try await ChaosTests.expectedHashes(w, urls: [site.site.url("/news/900001")])
        let honestHash = try #require(honest["/news/900001"])

        let r = try await w.khabar(["fetch", site.site.url("/news/900002")])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.hasPrefix("added 000_\(honestHash).txt"), "\(r.stdout)")
        #expect(w.corpusHashes == [honestHash])
        try await w.expectCorpusChecksPass()
    }
}
