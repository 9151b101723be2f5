// khabar-bench-corpus: the numbers bench/corpus.sh prints.
//
//   khabar-bench-corpus appends [N]        appends per second through the real ingestor, fsync on
//   khabar-bench-corpus near [N]           near-duplicate lookup time with N texts indexed (default 100,000)
//   khabar-bench-corpus log [N]            `khabar log` queries on N events (default 1,000,000: a year at ~2,700 a day)
//   khabar-bench-corpus quality [DIR]      near-duplicate detection on the seed articles (default /work/shared/seeds):
//                                          the fingerprint against a Charikar SimHash over the same shingles
//   khabar-bench-corpus all
//
// Everything runs in a fresh folder under $TMPDIR (or /tmp), removed at the end.
import Foundation
import KhabarService
import KhabarText

func stamp() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let s = values.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count) * p))]
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("khabar-bench-corpus: \(message)\n".utf8))
    exit(1)
}

/// A deterministic pseudo-random Arabic-letter text of about `words` words.
struct TextMaker {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    static let letters = Array("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
    mutating func text(words: Int) -> String {
        var paragraphs: [String] = []
        var current: [String] = []
        for i in 0..<words {
            let n = Int(next() % 6) + 2
            current.append(String((0..<n).map { _ in TextMaker.letters[Int(next() % 28)] }))
            if i % 40 == 39 {
                paragraphs.append(current.joined(separator: " ") + ".")
                current = []
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ") + ".") }
        return CorpusText.render(headline: "خبر \(next() % 1_000_000)", paragraphs: paragraphs)
    }
}

func workFolder() -> String {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    let path = "\(base)/khabar-bench-corpus-\(getpid())-\(UInt64(stamp() * 1000))"
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch { fail("\(error)") }
    return path
}

func benchAppends(_ count: Int) {
    let folder = workFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let ingestor: Ingestor
    do { ingestor = try Ingestor.open(corpusDirectory: folder + "/corpus", stateDatabase: folder + "/khabar.sqlite").ingestor } catch { fail("\(error)") }
    var maker = TextMaker(seed: 42)
    let texts = (0..<count).map { _ in maker.text(words: 550) }  // ~3,000 characters, a news article
    var each: [Double] = []
    let start = stamp()
    for (i, text) in texts.enumerated() {
        let t0 = stamp()
        do {
            let outcome = try ingestor.ingest(CorpusArticle(text: text, url: "https://bench.example/\(i)", source: "bench"))
            guard outcome.record != nil else { fail("text \(i) was not added: \(outcome.summary)") }
        } catch { fail("\(error)") }
        each.append((stamp() - t0) * 1000)
    }
    let total = stamp() - start
    print("corpus appends (fsync on, ~\(texts[0].unicodeScalars.count) chars each): \(count) in \(fmt(total, 2)) s = \(fmt(Double(count) / total, 1)) appends/s; per append median \(fmt(median(each), 2)) ms, p95 \(fmt(percentile(each, 0.95), 2)) ms")
    // The duplicate path (no write): lookups under the lock.
    var dup: [Double] = []
    for (i, text) in texts.prefix(200).enumerated() {
        let t0 = stamp()
        _ = try? ingestor.ingest(CorpusArticle(text: text, url: "https://bench.example/dup/\(i)"))
        dup.append((stamp() - t0) * 1000)
    }
    print("exact duplicates (hash lookup, event recorded): median \(fmt(median(dup), 2)) ms")
}

func benchNear(_ count: Int) {
    let folder = workFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let state: StateStore
    do { state = try StateStore(path: folder + "/khabar.sqlite") } catch { fail("\(error)") }
    var maker = TextMaker(seed: 7)
    var prints: [UInt64] = []
    prints.reserveCapacity(count)
    var fingerprintTimes: [Double] = []
    var batch: [IndexEntry] = []
    let build = stamp()
    for n in 0..<count {
        let text = maker.text(words: 120)
        let t0 = stamp()
        guard let fingerprint = TextFingerprint.of(text) else { fail("no fingerprint") }
        if n < 2_000 { fingerprintTimes.append((stamp() - t0) * 1000) }
        prints.append(fingerprint.value)
        let name = CorpusFileName(number: n, hash: String(format: "%016llx", maker.next()))!
        batch.append(IndexEntry(name: name.name, number: n, hash: name.hash, foldHash: name.hash, fingerprint: fingerprint.value,
                                chars: text.unicodeScalars.count, size: text.utf8.count, action: "added", identity: "https://bench.example/\(n)"))
        if batch.count == 5_000 {
            do { try state.upsertIndex(batch) } catch { fail("\(error)") }
            batch = []
        }
    }
    if !batch.isEmpty { do { try state.upsertIndex(batch) } catch { fail("\(error)") } }
    print("near-duplicate index: \(count) texts fingerprinted and indexed in \(fmt(stamp() - build, 1)) s (fingerprint of a 120-word text: median \(fmt(median(fingerprintTimes), 3)) ms)")
    var rng = TextMaker(seed: 99)
    for distance in [3, 7] {
        var times: [Double] = []
        var found = 0
        for q in 0..<2_000 {
            var query: UInt64
            if q % 2 == 0 {
                query = prints[Int(rng.next() % UInt64(prints.count))]
                for _ in 0..<Int(rng.next() % UInt64(distance + 1)) { query ^= 1 << (rng.next() % 64) }
            } else {
                query = rng.next()
            }
            let t0 = stamp()
            let match = try? state.nearest(to: query, within: distance)
            times.append((stamp() - t0) * 1000)
            if match ?? nil != nil { found += 1 }
        }
        print("near-duplicate lookup, \(count) texts indexed, distance \(distance): median \(fmt(median(times), 3)) ms, p95 \(fmt(percentile(times, 0.95), 3)) ms (\(found)/2000 queries matched; half were planted)")
    }
}

func benchLog(_ count: Int) {
    let folder = workFolder()
    defer {
        if ProcessInfo.processInfo.environment["KHABAR_BENCH_KEEP"] == nil {
            try? FileManager.default.removeItem(atPath: folder)
        } else {
            print("kept \(folder)")
        }
    }
    let writer: StateStore
    do { writer = try StateStore(path: folder + "/khabar.sqlite") } catch { fail("\(error)") }
    let sources = ["roayah", "irna", "aljazeera", "bbcpersian", "alarabiya", "tasnim", "isna", "mehr"]
    let outcomes: [(EventOutcome, Int)] = [(.added, 20), (.duplicate, 35), (.notModified, 25), (.failed, 5), (.tooShort, 5),
                                           (.notArticle, 5), (.filtered, 3), (.revised, 1), (.nearDuplicate, 1)]
    let weights = outcomes.flatMap { Array(repeating: $0.0, count: $0.1) }
    let end = Date()
    let span = 365.0 * 86_400
    var rng = TextMaker(seed: 3)
    let fill = stamp()
    var batch: [IngestEvent] = []
    for i in 0..<count {
        let outcome = weights[Int(rng.next() % UInt64(weights.count))]
        let source = sources[Int(rng.next() % UInt64(sources.count))]
        let time = end.addingTimeInterval(-span + span * Double(i) / Double(count))
        batch.append(IngestEvent(time: time, source: source, url: "https://\(source).example/news/\(i / 3)", outcome: outcome,
                                 httpStatus: outcome == .failed ? 503 : 200, bytes: 40_000, milliseconds: 300,
                                 file: outcome == .added ? String(format: "%06d_%016llx.txt", i, rng.next()) : nil,
                                 title: outcome == .added ? "عنوان الخبر \(i)" : nil, chars: outcome == .added ? 3000 : nil,
                                 detail: outcome == .failed ? "HTTP 503" : nil))
        if batch.count == 20_000 {
            do { try writer.record(batch) } catch { fail("\(error)") }
            batch = []
        }
    }
    if !batch.isEmpty { do { try writer.record(batch) } catch { fail("\(error)") } }
    print("event log: \(count) events over a year recorded in \(fmt(stamp() - fill, 1)) s")
    // Queried as `khabar log` does: a process that opens the state afresh.
    let state: StateStore
    do { state = try StateStore(path: folder + "/khabar.sqlite") } catch { fail("\(error)") }
    func time(_ label: String, _ body: () throws -> Int) {
        var times: [Double] = []
        var rows = 0
        for _ in 0..<5 {
            let t0 = stamp()
            rows = (try? body()) ?? -1
            times.append((stamp() - t0) * 1000)
        }
        print("  \(label): median \(fmt(median(times), 1)) ms (\(rows) rows)")
    }
    let day = end.addingTimeInterval(-86_400)
    let year = end.addingTimeInterval(-span - 1)
    time("log (last 24 h, all events + footer)") {
        var n = 0
        try state.forEachEvent(matching: EventQuery(since: day)) { _ in n += 1 }
        _ = try state.outcomeCounts(matching: EventQuery(since: day))
        return n
    }
    time("log --source irna (24 h)") { try state.events(matching: EventQuery(since: day, sources: ["irna"])).count }
    time("log --action failed --since 365d") { try state.events(matching: EventQuery(since: year, outcomes: [.failed])).count }
    time("log --source irna --action failed --since 365d") { try state.events(matching: EventQuery(since: year, sources: ["irna"], outcomes: [.failed])).count }
    let someURL = (try? state.events(matching: EventQuery(since: end.addingTimeInterval(-200 * 86_400), until: end.addingTimeInterval(-199 * 86_400), limit: 1)).first?.url) ?? nil
    time("log --url (one article, a year)") { try state.events(matching: EventQuery(urls: [someURL ?? ""])).count }
    time("log --grep 503 --since 7d") { try state.events(matching: EventQuery(since: end.addingTimeInterval(-7 * 86_400), grep: "503")).count }
    time("footer counts over a year") { try state.outcomeCounts(matching: EventQuery(since: year)).count }
    time("status: per-source counts over 30 days") { try state.sourceOutcomeCounts(since: end.addingTimeInterval(-30 * 86_400)).count }
    time("status: last error of a source") { try state.lastEvent(source: "irna", outcomes: [.failed]) == nil ? 0 : 1 }
}

/// A Charikar SimHash over the same features as `TextFingerprint` (body words, folded, 3-shingles),
/// for comparison only.
func simHash(_ text: String) -> UInt64 {
    var lines = text.split(separator: "\n").map(String.init)
    if lines.count > 1 { lines.removeFirst() }
    let words = TextFingerprint.words(lines.joined(separator: "\n")).map { String($0) }
    var shingles = Set<String>()
    if words.count >= 3 { for i in 0...(words.count - 3) { shingles.insert(words[i..<(i + 3)].joined(separator: " ")) } }
    var sums = [Int](repeating: 0, count: 64)
    for s in shingles {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33; h = h &* 0xFF51_AFD7_ED55_8CCD; h ^= h >> 33; h = h &* 0xC4CE_B9FE_1A85_EC53; h ^= h >> 33
        for k in 0..<64 { sums[k] += (h >> UInt64(k)) & 1 == 1 ? 1 : -1 }
    }
    var bits: UInt64 = 0
    for k in 0..<64 where sums[k] > 0 { bits |= 1 << UInt64(k) }
    return bits
}

func benchQuality(_ directory: String) {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    guard !names.isEmpty else { fail("no .txt files in \(directory)") }
    let texts = names.compactMap { name -> String? in
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return CorpusText.render(headline: nil, paragraphs: String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }
    print("near-duplicates on \(texts.count) seed articles: headline replaced and 2–4 words of one sentence replaced, 200 random edits each")
    var rng = TextMaker(seed: 2024)
    for (i, text) in texts.enumerated() {
        guard let original = TextFingerprint.of(text) else { continue }
        let originalSim = simHash(text)
        var lines = text.split(separator: "\n").map(String.init)
        let candidates = (1..<lines.count).filter { lines[$0].split(separator: " ").count > 12 }
        guard !candidates.isEmpty else { continue }
        var overFingerprint = 0, overSim = 0
        var distances: [Double] = []
        for _ in 0..<200 {
            var edited = lines
            edited[0] = "عنوان جديد مختلف تماما عن الأصل"
            let line = candidates[Int(rng.next() % UInt64(candidates.count))]
            var words = edited[line].split(separator: " ").map(String.init)
            let k = Int(rng.next() % 3) + 2
            let start = Int(rng.next() % UInt64(words.count - k + 1))
            for j in 0..<k { words[start + j] = "كلمة\(j)" }
            edited[line] = words.joined(separator: " ")
            let editedText = edited.joined(separator: "\n") + "\n"
            let d = TextFingerprint.of(editedText).map { original.distance(to: $0) } ?? 64
            distances.append(Double(d))
            if d > 3 { overFingerprint += 1 }
            if (simHash(editedText) ^ originalSim).nonzeroBitCount > 3 { overSim += 1 }
        }
        lines = []
        print("  seed \(i): fingerprint beyond 3 bits in \(fmt(Double(overFingerprint) / 2, 1)) % (median \(fmt(median(distances), 1)) bits); SimHash beyond 3 bits in \(fmt(Double(overSim) / 2, 1)) %")
    }
    var cross: [Int] = [], crossSim: [Int] = []
    for i in texts.indices {
        for j in texts.indices where j > i {
            if let a = TextFingerprint.of(texts[i]), let b = TextFingerprint.of(texts[j]) { cross.append(a.distance(to: b)) }
            crossSim.append((simHash(texts[i]) ^ simHash(texts[j])).nonzeroBitCount)
        }
    }
    print("  unrelated seeds (same topic) against each other: fingerprint \(cross.min() ?? 0)–\(cross.max() ?? 0) bits, SimHash \(crossSim.min() ?? 0)–\(crossSim.max() ?? 0) bits")
}

let arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.first ?? "all"
let number = arguments.count > 1 ? Int(arguments[1]) : nil
switch command {
case "appends": benchAppends(number ?? 300)
case "near": benchNear(number ?? 100_000)
case "log": benchLog(number ?? 1_000_000)
case "quality": benchQuality(arguments.count > 1 ? arguments[1] : "/work/shared/seeds")
case "all":
    benchAppends(300)
    benchNear(100_000)
    benchLog(1_000_000)
    if FileManager.default.fileExists(atPath: "/work/shared/seeds") { benchQuality("/work/shared/seeds") }
default: fail("usage: khabar-bench-corpus appends|near|log|quality|all [N]")
}
