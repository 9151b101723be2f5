import Foundation
import Testing

/// `khabar log` on a real state file: filters, the table, the JSON lines, an article's history,
/// `--follow`.
@Suite struct LogCommandTests {
    /// 2026-03-01T10:00:00Z, in milliseconds.
    static let base: Int64 = 1_772_359_200_000

    func workspaceWithEvents() throws -> CorpusWorkspace {
        let w = try CorpusWorkspace()
        try w.recordEvents([
            ["ts_ms": Self.base, "source": "roayah", "url": "https://roayahnews.com/a/1", "outcome": "added", "http_status": 200,
             "bytes": 48_210, "ms": 312, "file": "000_0123456789abcdef.txt", "title": "تعاون أمني", "chars": 3129],
            ["ts_ms": Self.base + 60_000, "source": "roayah", "url": "https://roayahnews.com/a/2", "outcome": "duplicate", "http_status": 200,
             "related_file": "000_0123456789abcdef.txt", "detail": "same text as 000_0123456789abcdef.txt"],
            ["ts_ms": Self.base + 120_000, "source": "irna", "url": "https://irna.ir/x", "outcome": "failed", "detail": "timeout after 30 s"],
            ["ts_ms": Self.base + 180_000, "source": "irna", "url": "https://irna.ir/y", "outcome": "too_short", "http_status": 200, "chars": 120,
             "detail": "120 characters, fewer than min_chars 300"],
            ["ts_ms": Self.base + 86_400_000, "source": "roayah", "url": "https://roayahnews.com/a/1", "outcome": "revised", "http_status": 200,
             "file": "001_fedcba9876543210.txt", "related_file": "000_0123456789abcdef.txt", "title": "تعاون أمني", "chars": 3200,
             "detail": "supersedes 000_0123456789abcdef.txt"],
        ])
        return w
    }

    @Test func printsAnAlignedTableWithAFooter() throws {
        let w = try workspaceWithEvents()
        defer { w.remove() }
        let r = try w.khabar(["log", "--since", "2026-03-01", "--until", "2026-03-02"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            TIME (UTC)           ACTION     SOURCE  HTTP  FILE                      URL                         DETAIL
            2026-03-01 10:00:00  added      roayah  200   000_0123456789abcdef.txt  https://roayahnews.com/a/1  "تعاون أمني" (3,129 chars)
            2026-03-01 10:01:00  duplicate  roayah  200   -                         https://roayahnews.com/a/2  same text as 000_0123456789abcdef.txt
            2026-03-01 10:02:00  failed     irna    -     -                         https://irna.ir/x           timeout after 30 s
            2026-03-01 10:03:00  too_short  irna    200   -                         https://irna.ir/y           120 characters, fewer than min_chars 300

            added 1, duplicate 1, too_short 1, failed 1 — 4 events since 2026-03-01 00:00:00 UTC until 2026-03-02 00:00:00 UTC

            """)
    }

    @Test func filtersBySourceActionAndText() throws {
        let w = try workspaceWithEvents()
        defer { w.remove() }
        func urls(_ args: [String]) throws -> [String] {
            let r = try w.khabar(["log", "--json", "--since", "2026-01-01"] + args)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["url"] as? String
            }
        }
        #expect(try urls(["--source", "irna"]) == ["https://irna.ir/x", "https://irna.ir/y"])
        #expect(try urls(["--action", "failed", "--action", "too_short"]) == ["https://irna.ir/x", "https://irna.ir/y"])
        #expect(try urls(["--action", "added", "--source", "irna"]) == [])
        #expect(try urls(["--grep", "Timeout"]) == ["https://irna.ir/x"])
        #expect(try urls(["--grep", "تعاون"]) == ["https://roayahnews.com/a/1", "https://roayahnews.com/a/1"])
        #expect(try urls(["--since", "2026-03-01T10:01:30Z", "--until", "2026-03-01T13:32:30+03:30"]) == ["https://irna.ir/x"])
        #expect(try urls(["--since", "2026-03-02"]) == ["https://roayahnews.com/a/1"])
    }

    @Test func jsonLinesHaveAFixedShape() throws {
        let w = try workspaceWithEvents()
        defer { w.remove() }
        let r = try w.khabar(["log", "--json", "--since", "2026-03-01", "--action", "added"])
        #expect(r.status == 0)
        #expect(r.stdout == """
            {"kind":"event","id":1,"ts":"2026-03-01T10:00:00.000Z","action":"added","source":"roayah","url":"https://roayahnews.com/a/1","http_status":200,"bytes":48210,"ms":312,"file":"000_0123456789abcdef.txt","related_file":null,"title":"تعاون أمني","chars":3129,"detail":null}

            """)
    }

    @Test func theDefaultWindowIsTheLastDay() throws {
        let w = try workspaceWithEvents()
        defer { w.remove() }
        try w.recordEvents([["source": "irna", "url": "https://irna.ir/now", "outcome": "not_modified", "http_status": 304]])
        let r = try w.khabar(["log"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        try #require(lines.count == 3, "\(r.stdout)")
        #expect(lines[1].contains("not_modified") && lines[1].contains("https://irna.ir/now"))
        #expect(lines[2].hasPrefix("not_modified 1 — 1 event since "))
    }

    @Test func urlShowsAnArticlesVersionsAndEvents() throws {
        let w = try CorpusWorkspace()
        defer { w.remove() }
        let v1 = cliText(11, headline: "النسخة الأولى"), v2 = cliText(12, headline: "النسخة الثانية")
        let lines = try w.ingest([
            ["text": v1, "url": "https://roayahnews.com/n/7?utm_source=x", "canonical_url": "https://roayahnews.com/n/7", "source": "roayah", "title": "النسخة الأولى"],
            ["text": v1, "url": "https://mirror.example/7", "source": "roayah"],
            ["text": v2, "url": "https://roayahnews.com/n/7", "canonical_url": "https://roayahnews.com/n/7", "source": "roayah", "title": "النسخة الثانية"],
            ["text": cliText(13), "url": "https://roayahnews.com/n/8", "source": "roayah"],
        ])
        let first = String(lines[0].split(separator: " ")[1]), second = String(lines[2].split(separator: " ")[1])
        let r = try w.khabar(["log", "--url", "https://roayahnews.com/n/7"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(out[0] == "versions of https://roayahnews.com/n/7:")
        #expect(out[1].hasPrefix("  \(first)  added    ") && out[1].hasSuffix("\"النسخة الأولى\" (\(v1.unicodeScalars.count) chars)"))
        #expect(out[2].hasPrefix("  \(second)  revised  ") && out[2].hasSuffix("supersedes \(first)"))
        #expect(out[4].hasPrefix("TIME (UTC)"))
        let events = out.filter { $0.hasPrefix("20") }
        #expect(events.count == 3)
        #expect(events[0].contains(" added ") && events[1].contains(" duplicate ") && events[1].contains("https://mirror.example/7"))
        #expect(events[2].contains(" revised ") && events[2].contains("supersedes \(first)"))
        #expect(out.contains("added 1, revised 1, duplicate 1 — 3 events"))
        #expect(!r.stdout.contains("/n/8"))

        let json = try w.khabar(["log", "--url", "https://roayahnews.com/n/7", "--json"])
        let objects = json.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.map { $0["kind"] as? String } == ["version", "version", "event", "event", "event"])
        #expect(objects[1]["supersedes"] as? String == first && objects[1]["canonical_url"] as? String == "https://roayahnews.com/n/7")
    }

    @Test func refusesBadArguments() throws {
        let w = try workspaceWithEvents()
        defer { w.remove() }
        let since = try w.khabar(["log", "--since", "yesterday"])
        #expect(since.status == 2)
        #expect(since.stderr == "khabar: --since: expected a duration such as 24h or 7d, or a date such as 2026-11-23 or 2026-11-23T10:00Z, got \"yesterday\"\n")
        let action = try w.khabar(["log", "--action", "deleted"])
        #expect(action.status == 2)
        #expect(action.stderr.hasPrefix("khabar: --action: unknown action \"deleted\"; expected one of added, revised, duplicate, near_duplicate,"))
        let follow = try w.khabar(["log", "--follow", "--until", "1h"])
        #expect(follow.status == 2)
    }

    @Test func withoutAStateFileThereIsNothingToShow() throws {
        let w = try CorpusWorkspace()
        defer { w.remove() }
        let r = try w.khabar(["log"])
        #expect(r.status == 0)
        #expect(r.stdout == "no events (no state file at \(w.state) yet)\n")
        #expect(!FileManager.default.fileExists(atPath: w.state))
    }

    @Test func followStreamsNewEvents() throws {
        let w = try workspaceWithEvents()
        defer { w.remove() }
        let process = Process()
        process.executableURL = KhabarProcess.binary
        process.arguments = ["log", "--follow", "--json", "--since", "2026-03-02", "--source", "irna", "--config", w.config]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let collected = LockedData()
        DispatchQueue.global().async {
            var all = Data()
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                all.append(chunk)
                collected.set(all)
            }
        }
        usleep(800_000)
        try w.recordEvents([
            ["source": "roayah", "url": "https://roayahnews.com/other", "outcome": "added"],
            ["source": "irna", "url": "https://irna.ir/new", "outcome": "robots_denied", "detail": "Disallow: /"],
        ])
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !String(decoding: collected.get(), as: UTF8.self).contains("irna.ir/new") { usleep(50_000) }
        let lines = String(decoding: collected.get(), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("\"action\":\"robots_denied\",\"source\":\"irna\",\"url\":\"https://irna.ir/new\"") == true)
        #expect(process.isRunning)
    }
}
