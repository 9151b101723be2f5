import Foundation
import Testing
@testable import KhabarCorpus

@Suite struct VerifierTests {
    /// A corpus of three texts, the third a revision of the first.
    func corpus() throws -> (TempFolder, [ChangeRecord]) {
        let temp = try TempFolder()
        let session = try Corpus.open(directory: temp.path).beginAppend()
        let a = try session.append(CorpusArticle(text: "alpha\nbody one\n", url: "https://a.example/1"))
        let b = try session.append(CorpusArticle(text: "beta\nbody two\n", url: "https://a.example/2"))
        let c = try session.append(CorpusArticle(text: "alpha\nbody one, edited\n", url: "https://a.example/1"), action: .revised, supersedes: a.file.name)
        session.end()
        return (temp, [a, b, c])
    }

    func faults(_ temp: TempFolder) throws -> [String] {
        try CorpusVerifier.verify(Corpus.open(directory: temp.path, mode: .readOnly)).faults.map(\.description)
    }

    @Test func aCorpusKhabarWroteIsClean() throws {
        let (temp, _) = try corpus()
        defer { temp.remove() }
        let report = try CorpusVerifier.verify(Corpus.open(directory: temp.path, mode: .readOnly))
        #expect(report.isClean && report.fileCount == 3 && report.changeLogLines == 3 && report.gaps.isEmpty && report.adopted.isEmpty)
    }

    @Test func aChangedFileFailsItsHashAndCharacterCount() throws {
        let (temp, records) = try corpus()
        defer { temp.remove() }
        try temp.write(records[1].file.name, "beta\nbody 2\n")
        #expect(try faults(temp) == [
            "\(records[1].file.name): content hash \(ContentHash.hash16("beta\nbody 2\n")) does not match the name",
            "\(records[1].file.name): the change log says 14 characters, the file has 12",
        ])
    }

    @Test func textRuleViolationsAreFaultsForKhabarFiles() throws {
        let (temp, records) = try corpus()
        defer { temp.remove() }
        try temp.write(records[0].file.name, "alpha\n\nbody one\n")  // same hash: blank lines are space
        #expect(try faults(temp) == [
            "\(records[0].file.name): line 2 is empty",
            "\(records[0].file.name): the change log says 15 characters, the file has 16",
        ])
    }

    @Test func reportsNumberingStrayFilesAndBadLines() throws {
        let (temp, records) = try corpus()
        defer { temp.remove() }
        try temp.write("001_\(ContentHash.hash16("dup\n")).txt", "dup\n")
        try temp.write("notes.txt", "x")
        try temp.write(".tmp-intent-9", "")
        try temp.write("README", "x")
        let log = temp.read("changes.jsonl")!
        try temp.write("changes.jsonl", log + "{\"ts\":1}\n" + records[1].jsonLine + "\n")
        let report = try CorpusVerifier.verify(Corpus.open(directory: temp.path, mode: .readOnly))
        #expect(report.faults.map(\.description) == [
            ".tmp-intent-9: stale temporary file (a process died mid-append; the next start of Khabar removes it)",
            "notes.txt: a .txt file whose name is not NNN_<16 lowercase hex>.txt",
            "changes.jsonl:4: missing key \"action\"",
            "changes.jsonl:5: \(records[1].file.name) already has a line (line 2)",
            "001_\(ContentHash.hash16("dup\n")).txt: no change-log line (the next start of Khabar writes it)",
            "001: number used by 2 files: 001_\(ContentHash.hash16("dup\n")).txt, \(records[1].file.name)".replacingOccurrences(of: "001_\(ContentHash.hash16("dup\n")).txt, \(records[1].file.name)", with: [records[1].file.name, "001_\(ContentHash.hash16("dup\n")).txt"].sorted().joined(separator: ", ")),
        ])
        #expect(report.unexpectedEntries == ["README"])
    }

    @Test func checksRevisionReferences() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        let session = try Corpus.open(directory: temp.path).beginAppend()
        let a = try session.append(CorpusArticle(text: "a\n"))
        let b = try session.append(CorpusArticle(text: "b\n"), action: .revised, supersedes: nil)
        let c = try session.append(CorpusArticle(text: "c\n"), action: .added, supersedes: a.file.name)
        let d = try session.append(CorpusArticle(text: "d\n"), nearDuplicateOf: "009_0000000000000000.txt")
        session.end()
        #expect(try faults(temp) == [
            "changes.jsonl:2: a revised line must name the file it supersedes",
            "changes.jsonl:3: an added line must have \"supersedes\": null",
            "changes.jsonl:4: \"near_duplicate_of\" names 009_0000000000000000.txt, which is not older than \(d.file.name)",
        ])
        _ = (b, c)
    }

    @Test func gapsAreInformationOnly() throws {
        let (temp, records) = try corpus()
        defer { temp.remove() }
        // A later file at 005 with its line (as if 003 and 004 had been appended elsewhere and removed).
        let text = "later\n"
        let name = CorpusFileName(number: 5, hash: ContentHash.hash16(text))!
        try temp.write(name.name, text)
        let line = ChangeRecord(ts: "2026-11-23T10:04:05Z", action: .added, file: name, hash: name.hash, chars: 6).jsonLine
        try temp.write("changes.jsonl", temp.read("changes.jsonl")! + line + "\n")
        let report = try CorpusVerifier.verify(Corpus.open(directory: temp.path, mode: .readOnly))
        #expect(report.isClean)
        #expect(report.gaps == [3...4])
        _ = records
    }

    @Test func adoptedSeedsAreListedAsLegacyNamesNotFaults() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        for name in try FileManager.default.contentsOfDirectory(atPath: seedsDirectory) {
            try FileManager.default.copyItem(atPath: "\(seedsDirectory)/\(name)", toPath: temp.file(name))
        }
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.adoptedFiles.count == 5)
        let session = try corpus.beginAppend()
        let added = try session.append(CorpusArticle(text: seedTexts[2]))
        session.end()
        #expect(added.file.number == 5)
        let report = try CorpusVerifier.verify(corpus)
        #expect(report.isClean)
        #expect(report.legacyNames.map(\.name.name) == [
            "000_de78a005ce997951.txt", "001_d51caa035671dfd6.txt", "002_746c2232f7cf15e1.txt",
            "003_288a1a9cb11646df.txt", "004_bdef607a632755b9.txt",
        ])
        #expect(report.legacyNames.map(\.computedHash) == ["df8d1e8e6199f994", "96917cf18faaf8af", "d929cf97a0f6bd11", "44d6ec27fe37ee69", "667bf6c307193776"])
        #expect(report.legacyNames[0].violations.contains(.emptyLine(line: 2)))
    }
}

@Suite struct HostileCorpusTests {
    @Test func garbageFilesAndLogLinesEndInFaultsNotCrashes() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // A file in the naming scheme full of random bytes, and a change log of random bytes
        // followed by a good line.
        let session = try Corpus.open(directory: temp.path).beginAppend()
        let good = try session.append(CorpusArticle(text: "good\n"))
        session.end()
        try Data(noise).write(to: URL(fileURLWithPath: temp.file("001_0000000000000000.txt")))
        let log = Array(noise.prefix(3_000).map { $0 == 0x0A ? 0x20 : $0 }) + [0x0A] + Array((good.jsonLine + "\n").utf8)
        try Data(log).write(to: URL(fileURLWithPath: temp.file("changes.jsonl")))
        let reopened = try Corpus.open(directory: temp.path)
        #expect(reopened.openingReport.unreadableLines == [1])
        let report = try CorpusVerifier.verify(reopened)
        #expect(!report.isClean)
        #expect(report.faults.contains { $0.subject == "changes.jsonl:1" })
        #expect(report.faults.contains { $0.subject == "001_0000000000000000.txt" })
        // Appending still works, after the highest number.
        let next = try reopened.beginAppend()
        #expect(try next.append(CorpusArticle(text: "after garbage\n")).file.number == 2)
    }
}
