import Foundation
import Testing

/// `khabar verify`, `reindex` and `diff` as an operator runs them, on corpora the real ingestor
/// wrote; and the independent Python check of DESIGN.md's format on the same corpora.
@Suite struct CorpusCommandTests {
    static let checker = repositoryRoot.appendingPathComponent("Tests/tools/check_corpus.py").path

    /// Seeds adopted, an adopted 998, then additions past 999, a revision, a kept near-duplicate.
    func writtenCorpus() throws -> (CorpusWorkspace, [String]) {
        let w = try CorpusWorkspace()
        try w.seedCorpus()
        let late = cliText(998)
        try Data(late.utf8).write(to: URL(fileURLWithPath: w.corpus + "/998_00000000deadbeef.txt"))
        let base = cliText(1)
        let lines = try w.ingest([
            ["text": base, "url": "https://roayahnews.com/a/1", "source": "roayah", "title": "خبر 1"],
            ["text": cliText(2), "url": "https://roayahnews.com/a/2", "canonical_url": "https://roayahnews.com/a/2", "source": "roayah", "title": "خبر 2"],
            ["text": base.replacingOccurrences(of: ".\n", with: " وأضاف.\n"), "url": "https://roayahnews.com/a/1", "source": "roayah"],
            ["text": base.replacingOccurrences(of: "خبر 1\n", with: "عنوان آخر\n"), "url": "https://copy.example/1", "source": "roayah", "title": "عنوان آخر"],
            ["text": cliText(2), "url": "https://copy.example/2", "source": "roayah"],
        ], extra: ["--keep"])
        return (w, lines)
    }

    @Test func aCorpusKhabarWrotePassesVerifyAndTheIndependentCheck() throws {
        let (w, lines) = try writtenCorpus()
        defer { w.remove() }
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("0\tadded 999_") && lines[0].hasSuffix("\"خبر 1\" (\(cliText(1).unicodeScalars.count) chars)"))
        #expect(lines[1].hasPrefix("1\tadded 1000_"))
        #expect(lines[2].hasPrefix("2\trevised 1001_") && lines[2].hasSuffix(" supersedes \(lines[0].split(separator: " ")[1])"))
        #expect(lines[3].hasPrefix("3\tadded 1002_") && lines[3].hasSuffix(", near-duplicate of \(lines[0].split(separator: " ")[1])"))
        #expect(lines[4] == "4\tduplicate of \(lines[1].split(separator: " ")[1])")

        let verify = try w.khabar(["verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasSuffix("ok: \(w.corpus): 10 files, 4 change-log lines, 6 legacy names, 0 faults\n"))
        #expect(verify.stdout.contains("legacy name: 000_de78a005ce997951.txt (computed hash df8d1e8e6199f994); breaks today's text rules: "))
        #expect(verify.stdout.contains("legacy name: 998_00000000deadbeef.txt (computed hash "))
        #expect(verify.stdout.contains("gap: 005–997 unused (information)\n"))
        #expect(!verify.stdout.contains("fault:"))

        let check = try runTool("/usr/bin/env", ["python3", Self.checker, w.corpus, "--allow-adopted"])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout == "10 files, 4 change-log lines, 0 problems\n")
    }

    @Test func theIndependentCheckCatchesWhatVerifyCatches() throws {
        let (w, lines) = try writtenCorpus()
        defer { w.remove() }
        let name = String(lines[1].split(separator: " ")[1])
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: w.corpus + "/" + name))
        let verify = try w.khabar(["verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("fault: \(name): content hash "))
        #expect(verify.stdout.contains("FAILED: "))
        let check = try runTool("/usr/bin/env", ["python3", Self.checker, w.corpus, "--allow-adopted"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("\(name): content hash "))
    }

    @Test func verifyCompletesAnInterruptedAppendFirstUnlessReadOnly() throws {
        let w = try CorpusWorkspace()
        defer { w.remove() }
        let added = try w.ingest([["text": cliText(5), "url": "https://roayahnews.com/x"]])
        #expect(added.count == 1)
        // A crash after the rename: the file is there, its line is not.
        let text = cliText(6)
        let name = "001_" + (try pythonHash16(text)) + ".txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: w.corpus + "/" + name))
        try Data("x".utf8).write(to: URL(fileURLWithPath: w.corpus + "/.tmp-001_0000000000000000.txt"))

        let readOnly = try w.khabar(["verify", "--read-only"])
        #expect(readOnly.status == 1)
        #expect(readOnly.stdout.contains("fault: .tmp-001_0000000000000000.txt: stale temporary file"))
        #expect(readOnly.stdout.contains("fault: \(name): no change-log line (the next start of Khabar writes it)"))

        let repaired = try w.khabar(["verify"])
        #expect(repaired.status == 0, "\(repaired.stdout)")
        #expect(repaired.stdout.hasPrefix("""
            repaired: wrote the missing change-log line of \(name)
            repaired: removed the stale temporary file .tmp-001_0000000000000000.txt

            """))
        #expect(repaired.stdout.hasSuffix("ok: \(w.corpus): 2 files, 2 change-log lines, 0 legacy names, 0 faults\n"))
    }

    @Test func verifyOfAMissingFolderFails() throws {
        let w = try CorpusWorkspace()
        defer { w.remove() }
        let r = try w.khabar(["verify"])
        #expect(r.status == 1)
        #expect(r.stderr == "khabar: \(w.corpus): the corpus folder does not exist\n")
        #expect(!FileManager.default.fileExists(atPath: w.corpus))
    }

    @Test func reindexRebuildsALostState() throws {
        let (w, _) = try writtenCorpus()
        defer { w.remove() }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: w.state + suffix) }
        let r = try w.khabar(["reindex"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "reindexed 10 files into \(w.state): 4 from the change log, 6 adopted (6 with legacy names), 0 too short for a near-duplicate fingerprint\n")
        // The rebuilt index knows the texts: the same text again is a duplicate.
        let again = try w.ingest([["text": cliText(2), "url": "https://elsewhere.example/"]])
        #expect(again.first?.hasPrefix("0\tduplicate of 1000_") == true)
    }

    @Test func diffShowsAnArticlesRevision() throws {
        let w = try CorpusWorkspace()
        defer { w.remove() }
        let v1 = "عنوان الخبر\nالفقرة الأولى باقية.\nفقرة ستحذف.\nالفقرة الأخيرة فيها ١٢ شخصا.\n"
        let v2 = "عنوان الخبر\nالفقرة الأولى باقية.\nالفقرة الأخيرة فيها 12 شخصا.\nفقرة جديدة أضيفت.\n"
        let lines = try w.ingest([["text": v1, "url": "https://roayahnews.com/d"], ["text": v2, "url": "https://roayahnews.com/d"]])
        let a = String(lines[0].split(separator: " ")[1]), b = String(lines[1].split(separator: " ")[1])
        let r = try w.khabar(["diff", a, b])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            --- \(a)
            +++ \(b)
              عنوان الخبر
              الفقرة الأولى باقية.
            - فقرة ستحذف.
            ~ الفقرة الأخيرة فيها ١٢ شخصا.
            ~ الفقرة الأخيرة فيها 12 شخصا.
            + فقرة جديدة أضيفت.
            1 removed, 1 added, 1 respelled, 2 unchanged

            """)
        // Paths work too, without a configuration.
        let byPath = try KhabarProcess.run(["diff", w.corpus + "/" + a, w.corpus + "/" + a])
        #expect(byPath.status == 0 && byPath.stdout.hasSuffix("identical paragraphs (4)\n"))
        let missing = try w.khabar(["diff", a, "404_0000000000000000.txt"])
        #expect(missing.status == 1 && missing.stderr == "khabar: 404_0000000000000000.txt: no such file (nor in the corpus folder \(w.corpus))\n")
    }
}

/// `hash16` by the Python reference.
func pythonHash16(_ text: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", """
        import hashlib, re, sys, unicodedata
        t = sys.stdin.buffer.read().decode("utf-8")
        n = re.sub(r"\\s+", " ", unicodedata.normalize("NFC", t)).strip()
        print(hashlib.sha256(n.encode("utf-8")).hexdigest()[:16], end="")
        """]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
