import Foundation
import Glibc
import Testing
import KhabarText
@testable import KhabarCorpus

@Suite struct CorpusAppendTests {
    @Test func openingCreatesTheFolderLockAndLog() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        let dir = temp.file("state/corpus")
        let corpus = try Corpus.open(directory: dir)
        #expect(corpus.openingReport == ReconcileReport())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".lock", "changes.jsonl"])
    }

    @Test func appendWritesTheFileAndItsLineExactly() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        let corpus = try Corpus.open(directory: temp.path)
        let text = "تعاون أمني\nمی‌گویم که «خبر» مهم است.\n"
        let session = try corpus.beginAppend()
        let record = try session.append(CorpusArticle(text: text, url: "https://a.example/1", source: "a", title: "تعاون أمني", lang: "ar"))
        session.end()
        let hash = ContentHash.hash16(text)
        #expect(record.file.name == "000_\(hash).txt")
        #expect(Array(temp.read(record.file.name)!.utf8) == Array(text.utf8))
        let log = try #require(temp.read("changes.jsonl"))
        #expect(log == record.jsonLine + "\n")
        #expect(log.hasPrefix("{\"ts\":\"") && log.contains("\"action\":\"added\",\"file\":\"000_\(hash).txt\",\"hash\":\"\(hash)\",\"url\":\"https://a.example/1\",\"canonical_url\":null,\"source\":\"a\",\"title\":\"تعاون أمني\",\"published\":null,\"modified\":null,\"author\":null,\"lang\":\"ar\",\"chars\":\(text.unicodeScalars.count),\"supersedes\":null,\"near_duplicate_of\":null}\n"))
        #expect(temp.entries() == [".lock", "000_\(hash).txt", "changes.jsonl"])
    }

    @Test func numbersContinueAfterTheHighestAndPast999() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        // An adopted folder: files 003 and 998 without a log.
        try temp.write("003_\(ContentHash.hash16("c\n")).txt", "c\n")
        try temp.write("998_0000000000000000.txt", "old scraper text\n")
        let corpus = try Corpus.open(directory: temp.path)
        #expect(corpus.openingReport.adoptedFiles == ["003_\(ContentHash.hash16("c\n")).txt", "998_0000000000000000.txt"])
        let session = try corpus.beginAppend()
        let names = try (1...3).map { try session.append(CorpusArticle(text: "text \($0)\n")).file.name }
        session.end()
        #expect(names == ["999_\(ContentHash.hash16("text 1\n")).txt", "1000_\(ContentHash.hash16("text 2\n")).txt",
                          "1001_\(ContentHash.hash16("text 3\n")).txt"])
        // A second process (another open) continues too.
        let again = try Corpus.open(directory: temp.path)
        #expect(again.openingReport.adoptedFiles.count == 2 && again.openingReport.recoveredLines.isEmpty)
        let next = try again.beginAppend()
        #expect(try next.append(CorpusArticle(text: "text 4\n")).file.number == 1002)
    }

    @Test func aTextBreakingTheRulesIsRefusedAndConsumesNoNumber() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        let corpus = try Corpus.open(directory: temp.path)
        let session = try corpus.beginAppend()
        for bad in ["no final newline", "a\n\nb\n", " lead\n", "nbsp\u{A0}here\n", "zwsp\u{200B}\n", "Cafe\u{301}\n", ""] {
            #expect(throws: CorpusError.self) { try session.append(CorpusArticle(text: bad)) }
        }
        #expect(try session.append(CorpusArticle(text: "good\n")).file.number == 0)
        session.end()
        #expect(temp.entries().filter { $0.hasPrefix(".tmp") }.isEmpty)
    }

    /// NFC also orders combining marks: shadda (class 33) typed before fatha (class 30) is not NFC.
    /// The shared quick check used to let that through (fixed in KhabarText.NFC).
    @Test func arabicMarksOutOfCanonicalOrderAreNotNFC() throws {
        #expect(CorpusText.violations(of: "م\u{651}\u{64E}\n") == [.notNFC])
        #expect(CorpusText.cleanParagraph("م\u{651}\u{64E}").unicodeScalars.map(\.value) == [0x645, 0x64E, 0x651])
        #expect(CorpusText.violations(of: "م\u{64E}\u{651}\n").isEmpty)
        let temp = try TempFolder()
        defer { temp.remove() }
        let session = try Corpus.open(directory: temp.path).beginAppend()
        #expect(throws: CorpusError.invalidText(violations: [.notNFC])) { try session.append(CorpusArticle(text: "م\u{651}\u{64E}\n")) }
    }

    @Test func twoHandlesInOneProcessShareTheNumbering() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        let a = try Corpus.open(directory: temp.path)
        let b = try Corpus.open(directory: temp.path)
        var numbers: [Int] = []
        for i in 0..<10 {
            let corpus = i % 2 == 0 ? a : b
            let session = try corpus.beginAppend()
            if i % 2 == 1 { #expect(session.appendedByOthers.count == 1) }
            numbers.append(try session.append(CorpusArticle(text: "text \(i)\n")).file.number)
            session.end()
        }
        #expect(numbers == Array(0..<10))
        #expect(temp.read("changes.jsonl")!.split(separator: "\n").count == 10)
    }

    @Test func threadsAppendingAtOnceNeverShareANumber() async throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        let corpus = try Corpus.open(directory: temp.path)
        let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    let session = try corpus.beginAppend()
                    defer { session.end() }
                    return try session.append(CorpusArticle(text: "thread text \(i)\n")).file.number
                }
            }
            var all: [Int] = []
            for try await n in group { all.append(n) }
            return all
        }
        #expect(numbers.sorted() == Array(0..<40))
        #expect(try CorpusVerifier.verify(corpus).isClean)
    }

    @Test func aReadOnlyCorpusRefusesAppends() throws {
        let temp = try TempFolder()
        defer { temp.remove() }
        _ = try Corpus.open(directory: temp.path)
        let corpus = try Corpus.open(directory: temp.path, mode: .readOnly)
        #expect(throws: CorpusError.readOnly(path: temp.path)) { try corpus.beginAppend() }
        #expect(throws: CorpusError.self) { try Corpus.open(directory: temp.file("missing"), mode: .readOnly) }
    }

    @Test func errorsNameThePathAndErrno() {
        let error = CorpusError.system(operation: "write", path: "/c/.tmp-001_x.txt", errno: EFBIG)
        #expect(error.description == "cannot write /c/.tmp-001_x.txt: File too large (EFBIG)")
        #expect(error.errno == EFBIG)
        #expect(CorpusError.system(operation: "create", path: "/c", errno: EROFS).description == "cannot create /c: Read-only file system (EROFS)")
    }
}
