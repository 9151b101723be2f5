import Foundation
import Glibc
import Testing
@testable import KhabarService

/// Several processes at once, processes killed mid-append, and disks that refuse: the real
/// ingestor in child processes (`khabar-append-probe`), real folders, real SQLite files.
@Suite(.serialized) struct IngestProcessTests {
    @Test func twoProcessesAppendingAtOnceShareNoNumber() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        var children: [ChildProcess] = []
        for p in 0..<2 {
            let input = f.path + "/input-\(p).jsonl"
            try writeProbeInput((0..<100).map { CorpusArticle(text: ingestSyntheticText(p * 1000 + $0), url: "https://p\(p).example/\($0)", source: "p\(p)") }, to: input)
            children.append(try ChildProcess(appendProbe, ["ingest", "--corpus", f.corpus, "--state", f.state, input]))
        }
        let statuses = children.map { $0.wait() }
        #expect(statuses == [0, 0], "\(children.map(\.output))")
        let added = children.flatMap { $0.output.split(separator: "\n").filter { $0.contains("\tadded ") } }
        #expect(added.count == 200)
        let files = f.corpusEntries().compactMap { CorpusFileName(parsing: $0) }
        #expect(files.count == 200)
        #expect(Set(files.map(\.number)) == Set(0..<200))
        let lines = f.changeLogLines()
        #expect(lines.count == 200)
        #expect(Set(try lines.map { try ChangeRecord(parsing: $0).file.name }) == Set(files.map(\.name)))
        // Both really ran at once: their numbers interleave.
        let sources = try lines.map { try ChangeRecord(parsing: $0).url!.contains("p0") }
        #expect(zip(sources, sources.dropFirst()).contains { $0 != $1 } && sources.filter { $0 }.count == 100)
        let corpus = try Corpus.open(directory: f.corpus, mode: .readOnly)
        #expect(try CorpusVerifier.verify(corpus).isClean)
        let state = try StateStore(path: f.state)
        #expect(try state.indexCount() == 200)
        #expect(try state.events(matching: EventQuery(outcomes: [.added])).count == 200)
    }

    @Test func theSameTextFromTwoProcessesAtOnceIsAddedOnce() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let articles = (0..<40).map { CorpusArticle(text: ingestSyntheticText(500 + $0), url: "https://same.example/\($0)") }
        var children: [ChildProcess] = []
        for p in 0..<2 {
            let input = f.path + "/input-\(p).jsonl"
            try writeProbeInput(p == 0 ? articles : articles.reversed(), to: input)
            children.append(try ChildProcess(appendProbe, ["ingest", "--corpus", f.corpus, "--state", f.state, input]))
        }
        #expect(children.map { $0.wait() } == [0, 0])
        let outputs = children.flatMap { $0.output.split(separator: "\n") }
        #expect(outputs.filter { $0.contains("\tadded ") }.count == 40)
        #expect(outputs.filter { $0.contains("\tduplicate of ") }.count == 40)
        #expect(f.changeLogLines().count == 40)
    }

    /// 50 children killed with SIGKILL at random instants of appending: afterwards `verify` is
    /// clean and every text a child reported added is in the corpus with its line.
    @Test func killedAppendersLoseNothingTheyReportedAdded() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        var reported: [(name: String, text: String)] = []
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        for round in 0..<50 {
            let articles = (0..<12).map { CorpusArticle(text: ingestSyntheticText(10_000 + round * 100 + $0), url: "https://k.example/\(round)/\($0)") }
            let input = f.path + "/input.jsonl"
            try writeProbeInput(articles, to: input)
            let child = try ChildProcess(appendProbe, ["ingest", "--corpus", f.corpus, "--state", f.state, input])
            #expect(child.waitFor("ready\n"), "round \(round): \(child.output)")
            // Kill at a random instant inside the run whatever the machine's speed: after a random
            // number of reported outcomes, then a random sub-append delay.
            let after = Int.random(in: 0..<articles.count - 1, using: &generator)
            if after > 0 { _ = child.waitFor("\n\(after - 1)\t") }
            usleep(UInt32.random(in: 0...4_000, using: &generator))
            child.kill()
            child.wait()
            let lines = child.output.split(separator: "\n").map(String.init)
            if lines.count > 1 && lines.count < articles.count + 1 { killedMidway += 1 }
            for line in lines where line.contains("\tadded ") {
                let parts = line.split(separator: "\t")
                let index = Int(parts[0])!
                let name = String(parts[1].split(separator: " ")[1])
                reported.append((name, articles[index].text))
            }
        }
        #expect(killedMidway >= 10, "most kills should land mid-run, got \(killedMidway)")
        // The next start reconciles; then the corpus verifies.
        let opener = try ChildProcess(appendProbe, ["open", "--corpus", f.corpus, "--state", f.state])
        #expect(opener.wait() == 0)
        let report = try CorpusVerifier.verify(Corpus.open(directory: f.corpus, mode: .readOnly))
        #expect(report.isClean, "\(report.faults)")
        #expect(!f.corpusEntries().contains { $0.hasPrefix(".tmp") })
        let logged = Set(try f.changeLogLines().map { try ChangeRecord(parsing: $0).file.name })
        for (name, text) in reported {
            let data = FileManager.default.contents(atPath: f.corpus + "/" + name)
            #expect(data.map { Array($0) } == Array(text.utf8), "\(name) lost or changed")
            #expect(logged.contains(name), "\(name) has no change-log line")
        }
        #expect(!reported.isEmpty)
        // And the index caught up with everything in the corpus.
        let state = try StateStore(path: f.state)
        #expect(try state.indexCount() == f.corpusEntries().compactMap { CorpusFileName(parsing: $0) }.count)
    }

    @Test func aFileTooLargeIsATypedErrorThatLeavesNothing() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        // Open once so the corpus and state files exist, then append under a 2 KiB file-size limit.
        _ = try f.open()
        let input = f.path + "/input.jsonl"
        try writeProbeInput([CorpusArticle(text: ingestSyntheticText(1, words: 2_000), url: "https://big.example/1")], to: input)
        let child = try ChildProcess(appendProbe, ["ingest", "--corpus", f.corpus, "--state", f.state, "--fsize-limit", "2048", input])
        #expect(child.wait() == 1)
        #expect(child.output.contains("0\terror: corpus: cannot write \(f.corpus)/.tmp-000_"), "\(child.output)")
        #expect(child.output.contains(": File too large (EFBIG)\n"))
        #expect(f.corpusEntries() == [".lock", "changes.jsonl"])
        // No number was consumed.
        let ingestor = try f.open()
        #expect(try ingestor.ingest(CorpusArticle(text: ingestSyntheticText(2), url: "https://small.example/1")).record?.file.number == 0)
    }

    @Test func aFolderTurnedReadOnlyUnderAnOpenCorpusIsATypedErrorThatLeavesNothing() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        _ = try ingestor.ingest(CorpusArticle(text: ingestSyntheticText(1), url: "https://ro.example/0"))
        let input = f.path + "/input.jsonl"
        try writeProbeInput([CorpusArticle(text: ingestSyntheticText(2), url: "https://ro.example/1")], to: input)
        let ready = f.path + "/ready", go = f.path + "/go"
        // In a private mount namespace: the probe opens the corpus, then the folder is remounted
        // read-only under it, then it appends.
        let script = """
            mount --bind '\(f.corpus)' '\(f.corpus)' || exit 90
            '\(appendProbe)' ingest --corpus '\(f.corpus)' --state '\(f.state)' --ready-file '\(ready)' --go-file '\(go)' '\(input)' &
            child=$!
            while [ ! -e '\(ready)' ]; do sleep 0.01; done
            mount -o remount,bind,ro '\(f.corpus)' || { kill -9 $child; exit 91; }
            touch '\(go)'
            wait $child
            """
        let child = try ChildProcess("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script])
        #expect(child.wait() == 1, "\(child.output)")
        #expect(child.output.contains("0\terror: corpus: cannot create \(f.corpus)/.tmp-intent-1: Read-only file system (EROFS)"), "\(child.output)")
        #expect(f.corpusEntries().filter { $0.hasPrefix(".tmp") || $0.hasPrefix("001_") }.isEmpty)
        #expect(f.changeLogLines().count == 1)
        #expect(try ingestor.ingest(CorpusArticle(text: ingestSyntheticText(3), url: "https://ro.example/2")).record?.file.number == 1)
    }
}
