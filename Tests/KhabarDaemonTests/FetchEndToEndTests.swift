import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// `khabar fetch URL…`: one line per URL, exactly as docs/daemon.md shows, and the exit codes.
@Suite(.serialized) struct FetchEndToEndTests {
    struct Fixture {
        let site: FixtureSite
        let w: Workspace
        let seeds: [SeedArticles.Seed]

        init() throws {
            site = try FixtureSite()
            w = try Workspace()
            seeds = try SeedArticles.load()
            site.put(SeedArticles.article(seeds[2], path: "/news/100001", channels: []))
            // The same article at a second address: the same text.
            site.put(SeedArticles.article(seeds[2], path: "/amp/news/100001", channels: []))
            site.put(SeedArticles.article(seeds[3], path: "/news/100002", channels: []))
            let short = SeedArticles.Seed(name: "s", headline: "خبر قصير",
                                          paragraphs: Array(arabicArticle(topic: "الزراعة", mention: nil).prefix(3)), lang: "ar")
            site.put(SeedArticles.article(short, path: "/news/100003", channels: []))
            site.put(SeedArticles.article(seeds[4], path: "/private/100004", channels: []))
            site.server.route("/slow/100005", Handlers.hold(.seconds(30), then: .html("<p>late</p>")))
            try w.configure(daemon: ["min_chars": "480", "timeout": "\"2s\""], sources: [
                Workspace.source("fixture", site: site),
                "name = \"topic\"\nurl = \"\(site.url("/"))\"\ninclude_any = [\"الأرجنتين\"]",
            ])
        }

        func remove() {
            site.stop()
            w.remove()
        }
    }

    /// `added NNN_hash.txt "headline" (n chars)` for the newest corpus file.
    static func addedLine(_ w: Workspace, action: String = "added") throws -> String {
        let change = try #require(w.changes.last)
        let file = try #require(change["file"] as? String)
        let text = try String(contentsOfFile: w.corpus + "/" + file, encoding: .utf8)
        let title = change["title"] as? String ?? ""
        return "added \(file) \"\(title)\" (\(IngestOutcome.grouped(text.unicodeScalars.count)) chars)"
    }

    @Test func eachURLGetsItsLineAndTheExitCodeSaysWhetherItEndedInTheCorpus() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let a = f.site.url("/news/100001")

        let added = try await f.w.khabar(["fetch", a])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == (try Self.addedLine(f.w)) + "\n")
        #expect(added.stdout.hasPrefix("added 000_"))
        let first = try #require(f.w.corpusFiles.first)
        // Unattributed: no source in the change log, and the event too.
        #expect(f.w.changes.last?["source"] is NSNull)

        let duplicate = try await f.w.khabar(["fetch", f.site.url("/amp/news/100001")])
        #expect(duplicate.status == 0)
        #expect(duplicate.stdout == "duplicate of \(first)\n")

        let notModified = try await f.w.khabar(["fetch", a])
        #expect(notModified.status == 0)
        #expect(notModified.stdout == "not modified\n")
        #expect(f.site.server.requests(to: "/news/100001").last?.header("If-None-Match") != nil)

        var edited = try #require(f.site.article(at: "/news/100001"))
        edited = SeedArticles.article(f.seeds[2], path: "/news/100001", channels: [],
                                      extraParagraph: "وفي تطور لاحق، أعلنت الجهات الرسمية تفاصيل إضافية عن برنامج الزيارة وجدول اللقاءات المرتقبة.")
        f.site.put(edited)
        let revised = try await f.w.khabar(["fetch", a])
        #expect(revised.status == 0)
        let second = try #require(f.w.corpusFiles.last)
        #expect(revised.stdout == "revised \(second) supersedes \(first)\n")

        let missing = try await f.w.khabar(["fetch", f.site.url("/news/999999")])
        #expect(missing.status == 1)
        #expect(missing.stdout == "failed: HTTP 404\n")

        let home = try await f.w.khabar(["fetch", f.site.url("/")])
        #expect(home.status == 1)
        #expect(home.stdout.hasPrefix("not an article: "))

        let short = try await f.w.khabar(["fetch", f.site.url("/news/100003")])
        #expect(short.status == 1)
        #expect(short.stdout.hasPrefix("too short: "))
        #expect(short.stdout.hasSuffix(" chars, min_chars is 480\n"))

        let filtered = try await f.w.khabar(["fetch", f.site.url("/news/100002"), "--source", "topic"])
        #expect(filtered.status == 1)
        #expect(filtered.stdout == "filtered: contains none of include_any\n")

        let denied = try await f.w.khabar(["fetch", f.site.url("/private/100004")])
        #expect(denied.status == 1)
        #expect(denied.stdout == "failed: disallowed by robots.txt (Disallow: /private/)\n")
        #expect(f.site.server.requests(to: "/private/100004").isEmpty)

        let slow = try await f.w.khabar(["fetch", f.site.url("/slow/100005")])
        #expect(slow.status == 1)
        // KhabarHTTP calls a timeout on a connection that robots.txt opened "connect timeout"
        // (libcurl reports no connect time for a reused connection): either way, the timeout.
        #expect(slow.stdout == "failed: timeout after 2 s\n" || slow.stdout == "failed: connect timeout after 2 s\n")

        let invalid = try await f.w.khabar(["fetch", "ftp://example.org/x"])
        #expect(invalid.status == 1)
        #expect(invalid.stdout == "failed: invalid URL: ftp://example.org/x is not an absolute http or https URL\n")

        // Every outcome is an event.
        let outcomes = try f.w.events().map(\.outcome)
        #expect(outcomes.filter { $0 == .added }.count == 1 && outcomes.contains(.revised) && outcomes.contains(.duplicate))
        #expect(outcomes.contains(.notModified) && outcomes.contains(.tooShort) && outcomes.contains(.notArticle))
        #expect(outcomes.contains(.filtered) && outcomes.contains(.robotsDenied))
        #expect(outcomes.filter { $0 == .failed }.count == 2)
        try await f.w.expectCorpusChecksPass()
    }

    @Test func severalURLsPrintInOrderAndOneFailureFailsTheRun() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let r = try await f.w.khabar(["fetch", f.site.url("/news/100002"), f.site.url("/news/404404"), f.site.url("/news/100001"),
                                "--source", "fixture"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("added ") && lines[2].hasPrefix("added "))
        #expect(lines[1] == "failed: HTTP 404")
        // Attributed to the source: its name in the change log.
        #expect(f.w.changes.allSatisfy { $0["source"] as? String == "fixture" })
        let ok = try await f.w.khabar(["fetch", f.site.url("/news/100002"), f.site.url("/news/100001")])
        #expect(ok.status == 0)
        #expect(ok.stdout == "not modified\nnot modified\n")
    }

    @Test func dryRunPrintsTheArticleAndWritesNothing() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let url = f.site.url("/news/100002")
        let dry = try await f.w.khabar(["fetch", "--dry-run", url])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.w.corpus))
        #expect(!FileManager.default.fileExists(atPath: f.w.stateDB))
        let parts = dry.stdout.components(separatedBy: "\n\n")
        let header = parts[0]
        #expect(header.hasPrefix("url: \(url)\n"))
        #expect(header.contains("\ntitle: \(f.seeds[3].headline)\n"))
        #expect(header.contains("\nlang: ar\n"))
        #expect(header.hasSuffix("judgement: would be ingested"))
        let text = parts.dropFirst().joined(separator: "\n\n")

        // The text printed is, byte for byte, the file a real fetch writes.
        let real = try await f.w.khabar(["fetch", url])
        #expect(real.status == 0)
        let file = try #require(f.w.corpusFiles.first)
        let written = try Data(contentsOf: URL(fileURLWithPath: f.w.corpus + "/" + file))
        #expect(Array(written) == Array(text.utf8))
        #expect(header.contains("\nhash: \(file.dropFirst(4).prefix(16))\n"))

        // A refused page: the header says why, and the exit code is 1.
        let short = try await f.w.khabar(["fetch", "--dry-run", f.site.url("/news/100003")])
        #expect(short.status == 1)
        #expect(short.stdout.contains("\njudgement: too short: "))
    }

    @Test func anUnknownSourceIsAUsageError() async throws {
        let f = try Fixture()
        defer { f.remove() }
        let r = try await f.w.khabar(["fetch", f.site.url("/news/100001"), "--source", "nosuch"])
        #expect(r.status == 2)
        #expect(r.stderr == "khabar: unknown source \"nosuch\" (configured: fixture, topic)\n")
        #expect(f.site.server.requests.isEmpty)
    }
}
