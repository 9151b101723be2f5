import Foundation
import Testing
@testable import KhabarCorpus

/// The crash states an append can leave (DESIGN.md "Crash safety"), made by hand, and what the
/// next opener (or the next holder of the lock) does with them.
@Suite struct ReconcileTests {
    /// A corpus with one text appended normally; returns the folder.
    func corpusWithOneText() throws -> TempFolder {
        let temp = try TempFolder()
        let session = try Corpus.open(directory: temp.path).beginAppend()
        _ = try session.append(CorpusArticle(text: "first text\n", url: "https://a.example/1"))
        session.end()
        return temp
    }

    func record(_ text: String, number: Int, url: String = "https://a.example/2") -> ChangeRecord {
        let hash = ContentHash.hash16(text)
        return ChangeRecord(ts: "2026-11-23T10:04:05Z", action: .added, file: CorpusFileName(number: number, hash: hash)!,
                            hash: hash, url: url, source: "a", title: "second", chars: text.unicodeScalars.count)
    }

    @Test func aRenamedFileWithoutItsLineGetsTheLineItsIntentHeld() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let r = record("second text\n", number: 1)
        try temp.write(".tmp-intent-1", r.jsonLine + "\n")
        try temp.write(r.file.name, "second text\n")
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.recoveredLines == [r.file.name])
        #expect(corpus.openingReport.removedTempFiles == [".tmp-intent-1"])
        let lines = temp.read("changes.jsonl")!.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[1] == r.jsonLine)
        #expect(!temp.entries().contains { $0.hasPrefix(".tmp") })
        #expect(try CorpusVerifier.verify(corpus).isClean)
    }

    @Test func anAppendThatNeverRenamedLeavesNothingAndConsumesNoNumber() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let r = record("second text\n", number: 1)
        try temp.write(".tmp-intent-1", r.jsonLine + "\n")
        try temp.write(".tmp-\(r.file.name)", "second te")
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.recoveredLines.isEmpty)
        #expect(corpus.openingReport.removedTempFiles == [".tmp-001_\(r.file.hash).txt", ".tmp-intent-1"])
        let session = try corpus.beginAppend()
        #expect(try session.append(CorpusArticle(text: "another\n")).file.number == 1)
    }

    @Test func aTornLastLineIsCutAndWrittenAgainFromTheIntent() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let r = record("second text\n", number: 1)
        try temp.write(".tmp-intent-1", r.jsonLine + "\n")
        try temp.write(r.file.name, "second text\n")
        let handle = try #require(FileHandle(forWritingAtPath: temp.file("changes.jsonl")))
        handle.seekToEndOfFile()
        handle.write(Data(r.jsonLine.prefix(37).utf8))
        try handle.close()
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.tornBytesRemoved == 37)
        #expect(corpus.openingReport.recoveredLines == [r.file.name])
        #expect(temp.read("changes.jsonl")!.split(separator: "\n").last.map(String.init) == r.jsonLine)
        #expect(try CorpusVerifier.verify(corpus).isClean)
    }

    @Test func aFileWhoseIntentWasLostGetsAMinimalLine() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let name = "001_\(ContentHash.hash16("second text\n")).txt"
        try temp.write(name, "second text\n")
        try temp.write(".tmp-intent-1", "")  // a power cut lost its content
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.recoveredLines == [name])
        let line = temp.read("changes.jsonl")!.split(separator: "\n").last.map(String.init) ?? ""
        let parsed = try ChangeRecord(parsing: line)
        #expect(parsed.file.name == name && parsed.url == nil && parsed.title == nil && parsed.action == .added && parsed.chars == 12)
        #expect(try CorpusVerifier.verify(corpus).isClean)
    }

    @Test func aNewerFileWithoutLineOrIntentIsCompletedWhenItsHashMatches() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let good = "001_\(ContentHash.hash16("second text\n")).txt"
        try temp.write(good, "second text\n")
        try temp.write("002_0123456789abcdef.txt", "not what the name says\n")
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.recoveredLines == [good])
        #expect(corpus.openingReport.foreignFiles == ["002_0123456789abcdef.txt"])
        let report = try CorpusVerifier.verify(corpus)
        #expect(report.faults.map(\.description) == [
            "002_0123456789abcdef.txt: no change-log line, and content hash \(ContentHash.hash16("not what the name says\n")) does not match the name",
        ])
        // The foreign file's number is still never reused.
        let session = try corpus.beginAppend()
        #expect(try session.append(CorpusArticle(text: "third\n")).file.number == 3)
    }

    @Test func aLineWithoutItsFileIsReportedAndItsNumberNeverReused() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let first = temp.entries().first { $0.hasPrefix("000_") }!
        try FileManager.default.removeItem(atPath: temp.file(first))
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.missingFiles == [first])
        #expect(try CorpusVerifier.verify(corpus).faults.map(\.description) == ["changes.jsonl:1: names \(first), which is missing"])
        let session = try corpus.beginAppend()
        #expect(try session.append(CorpusArticle(text: "next\n")).file.number == 1)
    }

    @Test func aLiveAppenderFinishesWhatADeadPeerLeft() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        let corpus = try Corpus.open(directory: temp.path)
        // A peer process took number 1, renamed its file, and died before its line.
        let r = record("peer text\n", number: 1)
        try temp.write(".tmp-intent-1", r.jsonLine + "\n")
        try temp.write(r.file.name, "peer text\n")
        let session = try corpus.beginAppend()
        let mine = try session.append(CorpusArticle(text: "my text\n"))
        session.end()
        #expect(mine.file.number == 2)
        let lines = temp.read("changes.jsonl")!.split(separator: "\n").map(String.init)
        #expect(lines.count == 3 && lines[1] == r.jsonLine)
        #expect(!temp.entries().contains { $0.hasPrefix(".tmp") })
        #expect(try CorpusVerifier.verify(corpus).isClean)
    }

    @Test func staleTemporaryFilesAreRemovedAtStart() throws {
        let temp = try corpusWithOneText()
        defer { temp.remove() }
        try temp.write(".tmp-whatever", "x")
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.removedTempFiles == [".tmp-whatever"])
        #expect(!temp.entries().contains(".tmp-whatever"))
    }
}
