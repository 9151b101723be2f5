import Foundation
import Glibc
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// Security checks end to end, with the real binary (docs/reliability-faults.md): links and
/// redirects to private, loopback and link-local addresses refused inside a private network
/// namespace; remote input never becomes a file name, a path or a command; a world-writable
/// configuration refused.
@Suite("security end to end")
struct SecurityTests {
    static let siteBinary = ChildProcess.buildDirectory.appendingPathComponent("khabar-reliability-site").path

    /// What `khabar-reliability-site private-links` printed.
    struct SiteReport {
        var khabarStatus: Int?
        var traps: [String: (connections: Int, requests: Int)] = [:]
        var targets: [(name: String, url: String)] = []
        var literals: [(name: String, url: String)] = []
        var redirects: [(name: String, from: String, to: String)] = []
        var ok: String?
        var khabarOutput = ""

        init(_ text: String) {
            var parts = text.components(separatedBy: "\n--\n")
            khabarOutput = parts.count > 1 ? parts.removeLast() : ""
            for line in (parts.first ?? "").split(separator: "\n") {
                let f = line.split(separator: " ").map(String.init)
                switch f.first {
                case "khabar": khabarStatus = f.dropFirst().first.flatMap { Int($0.dropFirst("status=".count)) }
                case "trap" where f.count == 4:
                    traps[f[1]] = (Int(f[2].dropFirst("connections=".count)) ?? -1, Int(f[3].dropFirst("requests=".count)) ?? -1)
                case "target" where f.count == 3: targets.append((f[1], f[2]))
                case "literal" where f.count == 3: literals.append((f[1], f[2]))
                case "redirect" where f.count == 4: redirects.append((f[1], f[2], f[3]))
                case "ok" where f.count == 2: ok = f[1]
                default: break
                }
            }
        }
    }

    /// The address class each trap link must be refused with (`blocked_address: …`).
    static let expectedClass: [String: String] = [
        "metadata-ip": "169.254.169.254 (link-local)", "private-ip": "10.1.2.3 (private)",
        "loopback-ip": "127.0.0.2 (loopback)",
        "metadata-name": "169.254.169.254 (link-local)", "intranet-name": "10.1.2.3 (private)",
        "loopback6-name": "::1 (loopback)", "mapped-name": "(IPv4-mapped private)",
    ]

    @Test("in a private network: links and redirects to private, loopback and link-local addresses never reach them")
    func privateAddressesRefused() async throws {
        let w = try Workspace("khabar-security-net")
        defer { w.remove() }
        let network = IsolatedNetwork(addresses: ["169.254.169.254", "10.1.2.3"],
                                      hosts: [("metadata.test", "169.254.169.254"), ("intranet.test", "10.1.2.3"),
                                              ("loopback6.test", "::1"), ("mapped.test", "::ffff:10.1.2.3")])
        let result = try await network.execute(Self.siteBinary, ["private-links", "--khabar", khabarBinary, "--workspace", w.folder.path],
                                               timeout: .seconds(180))
        #expect(result.status == 0, "\(result.stderr)")
        let report = SiteReport(result.stdout)
        #expect(report.khabarStatus == 0, "\(report.khabarOutput)")
        #expect(report.traps.count == 4, "\(result.stdout)")
        for (host, counts) in report.traps {
            #expect(counts.connections == 0 && counts.requests == 0, "the trap on \(host) was reached: \(counts)")
        }
        #expect(report.targets.count == 7 && report.literals.count == 2 && report.redirects.count == 9, "\(result.stdout)")

        let events = try w.events()
        func refusals(path: String) -> [IngestEvent] {
            events.filter { ($0.url ?? "").hasSuffix(path) && $0.outcome == .failed }
        }
        // Every link to a trap: one refusal naming the address and its class, never fetched again.
        for target in report.targets {
            let path = "/news/\(target.name)"
            let found = refusals(path: path)
            #expect(found.count == 1, "\(target.name): \(events.filter { ($0.url ?? "").hasSuffix(path) }.map { "\($0.outcome) \($0.detail ?? "")" })")
            let detail = found.first?.detail ?? ""
            #expect(detail.hasPrefix("blocked_address: "), "\(target.name): \(detail)")
            #expect(detail.contains(Self.expectedClass[target.name] ?? "?"), "\(target.name): \(detail)")
            print("security: \(target.name): \(detail)")
        }
        // Links to IPv6 literals: `allowed_hosts` cannot name them, so the site policy keeps
        // them out of the frontier before any address check (nothing fetched, no event).
        let state = try w.state()
        for literal in report.literals {
            #expect(events.filter { ($0.url ?? "").hasSuffix("/news/\(literal.name)") }.isEmpty)
            #expect(try state.frontierURL(literal.url) == nil, "\(literal.url) entered the frontier")
        }
        for redirect in report.redirects where report.literals.contains(where: { "redirect-\($0.name)" == redirect.name }) {
            let found = refusals(path: "/news/\(redirect.name)")
            #expect(found.count == 1, "\(redirect.name): \(events.filter { ($0.url ?? "").hasSuffix("/news/\(redirect.name)") }.map { "\($0.outcome) \($0.detail ?? "")" })")
            #expect(found.first?.detail == "redirect_refused: redirect refused: \(redirect.to) is outside the source")
        }
        // Every redirect to a trap: refused at the redirect, the event on the article URL.
        for redirect in report.redirects where Self.expectedClass[String(redirect.name.dropFirst("redirect-".count))] != nil {
            let name = String(redirect.name.dropFirst("redirect-".count))
            let found = refusals(path: "/news/\(redirect.name)")
            #expect(found.count == 1, "\(redirect.name): \(events.filter { ($0.url ?? "").hasSuffix("/news/\(redirect.name)") }.map { "\($0.outcome) \($0.detail ?? "")" })")
            let detail = found.first?.detail ?? ""
            #expect(detail.hasPrefix("blocked_address: "), "\(redirect.name): \(detail)")
            #expect(detail.contains(Self.expectedClass[name] ?? "?"), "\(redirect.name): \(detail)")
        }
        // The source's own host on loopback is trusted as configured: its article is in, alone.
        let ok = try #require(report.ok)
        #expect(w.addedURLs == [ok], "\(w.addedURLs)")
        #expect(w.corpusFiles.count == 1, "\(w.corpusFiles)")
        #expect(!w.changeLogText.contains("reached"))
        try await w.expectCorpusChecksPass()
    }

    @Test("remote titles and URLs full of ../, / and shell syntax: names stay NNN_<16 hex>.txt, nothing made elsewhere, no process")
    func remoteInputNeverNamesAnything() async throws {
        let w = try Workspace("khabar-security-names")
        defer { w.remove() }
        // A folder the hostile input aims at; it must stay empty.
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-security-target-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: target) }
        let hostile = [
            "$(touch \(target)/dollar)", "`touch \(target)/backtick`", "; touch \(target)/semicolon; rm -rf \(target)",
            "../../../../../../\(target)/dotdot", "/\(target)/absolute", "| tee \(target)/pipe && echo x > \(target)/redirect",
            "${IFS}touch${IFS}\(target)/ifs", "'\"; touch \(target)/quote #",
        ]
        let site = try FixtureSite()
        defer { site.stop() }
        let factory = try ArticleFactory()
        var rng = SeededRandom(seed: 0x5EC)
        var pages: [String] = []
        for (i, text) in hostile.enumerated() {
            var (headline, paragraphs) = factory.article(i + 1, using: &rng)
            headline = "\(text) \(headline) \(text)"
            paragraphs.insert("\(text) — \(text)", at: 1)
            // The same text percent-encoded into the path, and a path that climbs.
            let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x"
            let path = i % 2 == 0 ? "/news/\(i)/\(encoded)" : "/news/\(i)/..%2F..%2F..%2F\(encoded)"
            let html = FixtureSite.newsPage(headline: headline, paragraphs: paragraphs)
            pages.append(html)
            site.put(FixtureSite.Article(path: path, html: html, title: headline, channels: [.rss, .listing]))
        }
        // The server hands handlers the decoded path: serve article N for any `/news/N/…`.
        let served = pages
        site.server.route(prefix: "/news/") { request, writer in
            let number = request.path.dropFirst("/news/".count).split(separator: "/").first.flatMap { Int($0) }
            guard let number, served.indices.contains(number) else { return try writer.send(.status(404)) }
            try writer.send(.html(served[number]))
        }
        try w.configure(sources: [Workspace.source("hostile", site: site)])
        let before = treeSnapshot(w.folder.path)
        let daemon = try w.start(["run"], environment: fastHooks(pollEvery: 0.3, retryBase: 1))
        defer { daemon.stop() }
        var children: [pid_t] = []
        let done = await waitUntil(.seconds(120)) {
            children += childPids(of: daemon.pid)
            return w.corpusFiles.count == hostile.count
        }
        #expect(done, "\(w.corpusFiles)")
        for _ in 0..<10 {
            children += childPids(of: daemon.pid)
            try await Task.sleep(for: .milliseconds(100))
        }
        let stopped = await daemon.stop(with: SIGTERM).result
        #expect(stopped.status == 0)
        if !done {
            let events = try w.events().map { "\($0.outcome) \($0.url ?? "") \($0.detail ?? "")" }
            Issue.record("events: \(events)\ndaemon log: \(stopped.stderr.prefix(6_000))")
        }
        #expect(children.isEmpty, "the daemon started processes: \(children)")

        // Only corpus names, the change log and the lock in the corpus.
        for name in w.corpusEntries where name != "changes.jsonl" && name != ".lock" {
            #expect(isCorpusName(name), "unexpected corpus entry \(name)")
        }
        // Nothing new in the workspace outside corpus/ and state/; nothing at all in the target.
        let added = treeSnapshot(w.folder.path).subtracting(before)
        for path in added where !path.hasPrefix("corpus") && !path.hasPrefix("state") {
            Issue.record("created outside the corpus and state: \(path)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        // The hostile text is in the corpus as text, byte for byte where the rules keep it.
        let texts = try w.corpusFiles.map { try String(contentsOfFile: w.corpus + "/" + $0, encoding: .utf8) }
        for text in hostile {
            #expect(texts.contains { $0.contains(text) }, "\(text) not in any text")
        }
        #expect(Set(w.addedURLs.map { URL(string: $0)?.path ?? $0 }).count == hostile.count)
        try await w.expectCorpusChecksPass()
    }

    @Test("a world-writable configuration is refused with one line and exit 2", arguments: [
        ["run"], ["poll"], ["fetch", "http://127.0.0.1:9/news/1"], ["check-config"],
    ])
    func worldWritableConfiguration(command: [String]) async throws {
        let w = try Workspace("khabar-security-config")
        defer { w.remove() }
        try w.configure(sources: ["name = \"x\"\nurl = \"http://127.0.0.1:9/\""])
        #expect(chmod(w.config, 0o646) == 0)
        let r = try await w.khabar(command, timeout: .seconds(30))
        #expect(r.status == 2)
        let expected = "khabar: \(w.config): refusing a world-writable configuration file (mode 646); anyone could change what Khabar fetches. Run: chmod o-w \(w.config)\n"
        #expect(r.stderr == expected, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        // Refused before anything was opened.
        #expect(!FileManager.default.fileExists(atPath: w.corpus))
        #expect(!FileManager.default.fileExists(atPath: w.stateDB))
        // Group-writable is the operator's business; only "anyone" is refused.
        #expect(chmod(w.config, 0o664) == 0)
        let check = try await w.khabar(["check-config"], timeout: .seconds(30))
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("no file name, path or command from remote input: Sources/ never spawns a process or runs a shell")
    func sourcesSpawnNothing() throws {
        // Each pattern with the lines allowed to match it (none so far).
        let patterns: [(name: String, regex: String)] = [
            ("system()", #"(?<![\w.])(?<!case )system\s*\("#), ("popen", #"\bpopen\b"#), ("Process(", #"(?<![\w.])Process\s*\("#),
            ("posix_spawn", #"\bposix_spawn"#), ("fork()", #"(?<![\w.])v?fork\s*\("#), ("exec*()", #"(?<![\w.])exec(v|l|ve|vp|le|lp|vpe)\s*\("#),
            ("NSTask", #"\bNSTask\b"#),
        ]
        let root = repositoryRoot.appendingPathComponent("Sources").path
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".swift") || $0.hasSuffix(".c") || $0.hasSuffix(".h") }
        #expect(files.count > 50, "found only \(files.count) source files")
        // Known and justified: the test-only executables that start `khabar` (they use
        // KhabarTestSupport's ChildProcess, whose posix_spawn lives under Tests/, not here).
        var hits: [String] = []
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                for p in patterns where code.range(of: p.regex, options: .regularExpression) != nil {
                    hits.append("Sources/\(file):\(n + 1): \(p.name): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(hits.isEmpty, "\(hits.joined(separator: "\n"))")
        // The check itself finds what it looks for.
        #expect("  let p = popen(cmd, \"r\")".range(of: patterns[1].regex, options: .regularExpression) != nil)
        #expect("Process(); system(\"x\")".range(of: patterns[0].regex, options: .regularExpression) != nil)
        #expect("case system(operation: String)".range(of: patterns[0].regex, options: .regularExpression) == nil)
        #expect("throw .system(operation: x)".range(of: patterns[0].regex, options: .regularExpression) == nil)
    }
}
