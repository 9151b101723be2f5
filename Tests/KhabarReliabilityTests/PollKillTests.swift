import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// One poll's work — a site of fifty articles in Arabic and Persian, UTF-8 and windows-1256, the
/// Persian ones full of zero-width non-joiners — interrupted by SIGKILL at ten random moments
/// (`khabar poll` restarted after each; every other kill aimed inside an append), then finished. The corpus must verify, hold every
/// article exactly once with the text a calm fetch gives, one change-log line per file, no
/// temporary file, and every ZWNJ.
///
/// `CHAOS_SEED` replays a run's site and kill moments (the daemon's own timing is the machine's).
@Suite(.serialized) struct PollKillTests {
    static let kills = 10

    @Test func tenSIGKILLsDuringAPollLoseNothing() async throws {
        let seed = testSeed()
        let note = "poll-kill seed \(seed) — CHAOS_SEED=\(seed) replays it"
        print("poll-kill: \(note)")
        var rng = SeededRandom(seed: seed)
        let site = try ChaosSite(seed: seed)
        site.calm = true
        let w = try Workspace("khabar-poll-kill")
        defer { site.stop(); w.remove() }
        // Two fetches at a time against a slow site: the work lasts seconds, so every kill lands in it.
        try w.configure(daemon: ["per_host_concurrency": "2", "timeout": "\"10s\""],
                        sources: [Workspace.source("kill", site: site.site)])

        let arabic = try ArticleFactory()
        let persian = try PersianArticleFactory()
        var paths: [String] = []
        var persianTexts: [String: [String]] = [:]   // path → its paragraphs
        let count = 50
        for i in 0..<count {
            let path = "/news/\(600_001 + i)"
            let encoding: ChaosSite.Encoding
            let article: (headline: String, paragraphs: [String])
            switch i % 5 {
            case 0, 1:
                // Persian: UTF-8, or windows-1256 with Arabic yeh (as Persian sites in that
                // code page wrote it); ZWNJ is byte 0x9D there.
                let legacy = i % 5 == 1
                article = persian.article(i + 1, arabicYeh: legacy, using: &rng)
                let encodable = Iconv.convert(([article.headline] + article.paragraphs).joined(separator: "\n"), to: "WINDOWS-1256") != nil
                let lacking = Set(([article.headline] + article.paragraphs).joined().unicodeScalars.filter {
                    Iconv.convert(String($0), to: "WINDOWS-1256") == nil
                }.map { String(format: "U+%04X", $0.value) })
                #expect(!legacy || encodable, "a Persian article with characters windows-1256 lacks: \(lacking.sorted())")
                encoding = legacy && encodable ? .windows1256 : .utf8
                persianTexts[path] = article.paragraphs
            default:
                encoding = rng.chance(0.5) ? .windows1256 : .utf8
                article = arabic.article(i + 1, using: &rng)
            }
            var channels = Set(FixtureSite.Channel.allCases.filter { _ in rng.chance(0.4) })
            if channels.isEmpty { channels = [.rss] }
            site.put(path: path, headline: article.headline, paragraphs: article.paragraphs, encoding: encoding, channels: channels)
            paths.append(path)
        }
        let expected = try await ChaosTests.expectedHashes(w, urls: paths.map { site.site.url($0) })
        #expect(expected.count == count, "\(expected.count) of \(count) judged articles by the dry run; \(note)")
        site.resetRecords()
        site.latency = 0.15...0.35

        // Ten polls, each killed at a random moment of its work; every other kill waits from that
        // moment for the next append to begin (a `.tmp-` file in the corpus) and strikes inside it,
        // the window a random moment seldom hits.
        var progress: [Int] = []
        var midAppend = 0   // kills that left a `.tmp-` file: they landed inside an append
        let started = ContinuousClock.now
        let corpus = w.corpus
        for k in 0..<Self.kills {
            let poll = try w.start(["poll"])
            try await Task.sleep(for: .milliseconds(Int64.random(in: 150...1_000, using: &rng)))
            if k % 2 == 1 {
                await offThePool {
                    let deadline = ContinuousClock.now + .seconds(2)
                    while ContinuousClock.now < deadline {
                        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []
                        if names.contains(where: { $0.hasPrefix(".tmp-") }) { break }
                        usleep(200)
                    }
                    poll.signal(SIGKILL)
                }
            }
            let killed = await poll.stop(with: SIGKILL).result
            #expect(killed.status == 128 + SIGKILL, "the poll ended before its kill (\(killed.status)): \(killed.stderr.suffix(1_000)); \(note)")
            #expect(!killed.stderr.contains("Fatal error"), "\(killed.stderr.suffix(2_000)); \(note)")
            progress.append(w.corpusFiles.filter { !$0.hasPrefix(".") }.count)   // not a `.tmp-` file the kill left
            if w.corpusEntries.contains(where: { $0.hasPrefix(".tmp") }) { midAppend += 1 }
        }
        let killing = ContinuousClock.now - started

        // Then the poll is let finish.
        let finishing = ContinuousClock.now
        let last = try await w.khabar(["poll"], timeout: .seconds(300))
        let finish = ContinuousClock.now - finishing
        #expect(last.status == 0, "\(last.stdout) \(last.stderr.suffix(2_000)); \(note)")
        print("poll-kill: \(Self.kills) kills in \(killing), \(midAppend) inside an append; corpus files after each: \(progress); "
              + "the last poll took \(finish), \(w.corpusFiles.count) files")
        // Every kill interrupted work: the last one left some of it to do.
        #expect((progress.last ?? 0) < count, "the work was done before the last kill: \(progress); \(note)")

        // Every article exactly once, with the text a calm fetch gives; nothing else.
        let hashes = w.corpusHashes
        var seen: [String: Int] = [:]
        for h in hashes { seen[h, default: 0] += 1 }
        for path in paths {
            guard let hash = expected[path] else { continue }
            if seen[hash] != 1 {
                let events = try w.state().events(matching: EventQuery(urls: [site.site.url(path)]))
                Issue.record("\(path): \(seen[hash] ?? 0) files with its text \(hash); events: \(events.map { "\($0.outcome.rawValue) \($0.detail ?? "")" }); \(note)")
            }
        }
        let wanted = Set(expected.values)
        for h in hashes where !wanted.contains(h) { Issue.record("a file that is no article of the site: \(h); \(note)") }
        #expect(hashes.count == count, "\(hashes.count) files for \(count) articles; \(note)")
        #expect(w.corpusEntries.filter { $0.hasPrefix(".tmp") }.isEmpty, "\(w.corpusEntries); \(note)")
        #expect(w.changes.count == hashes.count, "\(w.changes.count) change-log lines for \(hashes.count) files; \(note)")

        // The Persian texts kept every ZWNJ (windows-1256 pages included): each paragraph is in
        // the corpus file byte for byte.
        for (path, paragraphs) in persianTexts.sorted(by: { $0.key < $1.key }) {
            guard let hash = expected[path], let file = w.corpusFiles.first(where: { $0.contains(hash) }) else { continue }
            let text = try Data(contentsOf: URL(fileURLWithPath: w.corpus + "/" + file))
            for paragraph in paragraphs where text.range(of: Data(paragraph.utf8)) == nil {
                Issue.record("\(path) (\(file)): a paragraph is not in the corpus byte for byte: \(paragraph); \(note)")
            }
            let zwnj = paragraphs.reduce(0) { $0 + $1.unicodeScalars.filter { $0 == "\u{200C}" }.count }
            #expect(zwnj >= 6, "\(path): \(zwnj) ZWNJ")
        }
        try await w.expectCorpusChecksPass(Comment(rawValue: note))
        try await w.expectStateMatchesCorpus(Comment(rawValue: note))
    }
}

/// Persian articles from the seed corpus's Persian text (`000_*.txt`), with the zero-width
/// non-joiners that text lost put back in the words that need them (`می‌شود`, `بیانیه‌ای`, …):
/// every paragraph carries several.
struct PersianArticleFactory {
    let sentences: [String]

    /// Words of the seed written without their ZWNJ, and how they are spelled.
    static let spellings: [(String, String)] = [
        ("بیانیهای", "بیانیه\u{200C}ای"), ("حمایتهای", "حمایت\u{200C}های"), ("هواپیماهای", "هواپیما\u{200C}های"),
        ("سهروزه", "سه\u{200C}روزه"), ("گفتوگو", "گفت\u{200C}وگو"), ("تفاهمنامهای", "تفاهم\u{200C}نامه\u{200C}ای"),
        ("تفاهمنامه", "تفاهم\u{200C}نامه"), ("دهههاست", "دهه\u{200C}هاست"), ("مشغولاند", "مشغول\u{200C}اند"),
        ("تحریمهای", "تحریم\u{200C}های"), ("نشاندهنده", "نشان\u{200C}دهنده"), ("بههم", "به\u{200C}هم"),
        ("رسانههای", "رسانه\u{200C}های"), ("افراطگرایی", "افراط\u{200C}گرایی"), ("تبادلنظر", "تبادل\u{200C}نظر"),
        ("کردهاند", "کرده\u{200C}اند"), ("درزمینه", "درزمینه"),
    ]

    init() throws {
        let folder = sharedFolder.appendingPathComponent("seeds")
        guard let name = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first(where: { $0.hasPrefix("000") })
        else { throw CocoaError(.fileNoSuchFile) }
        var text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        for (bare, spelled) in Self.spellings { text = text.replacingOccurrences(of: bare, with: spelled) }
        // می‌ before a verb: the prefix stands apart by a ZWNJ.
        text = text.replacingOccurrences(of: " می", with: " می\u{200C}")
            .replacingOccurrences(of: "می\u{200C}ان", with: "میان").replacingOccurrences(of: "می\u{200C}را", with: "میرا")
        var pool: [String] = []
        for line in text.replacingOccurrences(of: "\u{00A0}", with: " ").split(separator: "\n") {
            for piece in line.split(whereSeparator: { $0 == "." || $0 == "؛" }) {
                let sentence = piece.trimmingCharacters(in: .whitespaces)
                if sentence.unicodeScalars.count >= 40, !pool.contains(sentence + ".") { pool.append(sentence + ".") }
            }
        }
        sentences = pool
    }

    /// Article `number`: a headline and 6–9 paragraphs, each with at least one ZWNJ. With
    /// `arabicYeh`, Persian yeh (ی, not in windows-1256) is written as Arabic yeh (ي).
    func article(_ number: Int, arabicYeh: Bool, using rng: inout SeededRandom) -> (headline: String, paragraphs: [String]) {
        let withZWNJ = sentences.filter { $0.unicodeScalars.contains("\u{200C}") }
        func pick(_ from: [String]) -> String { from[Int.random(in: 0..<from.count, using: &rng)] }
        let headline = "خبر شماره \(number): " + pick(sentences).split(separator: " ").prefix(6).joined(separator: " ")
        var paragraphs = ["این خبر شماره \(number) از مجموعه\u{200C}ی آزمایشی است و فقط برای آزمون نوشته شده\u{200C}است."]
        // Distinct paragraphs: an extractor rightly keeps a repeated paragraph once.
        for _ in 0..<Int.random(in: 6...9, using: &rng) {
            for _ in 0..<20 {
                let paragraph = ([pick(withZWNJ)] + (0..<Int.random(in: 1...2, using: &rng)).map { _ in pick(sentences) }).joined(separator: " ")
                if !paragraphs.contains(where: { $0.unicodeScalars.elementsEqual(paragraph.unicodeScalars) }) {
                    paragraphs.append(paragraph)
                    break
                }
            }
        }
        guard arabicYeh else { return (headline, paragraphs) }
        // …and Persian digits (not there either) as ASCII ones. Scalar by scalar: "ی" followed by
        // a ZWNJ is one Character, which a Character-wise replacement would not match.
        func yeh(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            for scalar in s.unicodeScalars {
                switch scalar.value {
                case 0x06CC: out.append("\u{064A}")
                case 0x06F0...0x06F9: out.append(Unicode.Scalar(scalar.value - 0x06F0 + 0x30) ?? scalar)
                default: out.append(scalar)
                }
            }
            return String(out)
        }
        return (yeh(headline), paragraphs.map(yeh))
    }
}
