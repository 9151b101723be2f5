import Foundation
import KhabarTestSupport
import Glibc
import KhabarText
@testable import KhabarService

/// A fresh folder holding a corpus and a state file, removed by `remove()`.
struct IngestFolder {
    let path: String
    var corpus: String { path + "/corpus" }
    var state: String { path + "/khabar.sqlite" }

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-ingest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A copy of ../shared/seeds as the corpus folder.
    func adoptSeeds() throws {
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: ingestSeedsDirectory) {
            try FileManager.default.copyItem(atPath: "\(ingestSeedsDirectory)/\(name)", toPath: "\(corpus)/\(name)")
        }
    }

    func open(_ policy: IngestPolicy = IngestPolicy()) throws -> Ingestor {
        try Ingestor.open(corpusDirectory: corpus, stateDatabase: state, policy: policy).ingestor
    }

    func corpusEntries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted()
    }

    func changeLogLines() -> [String] {
        guard let data = FileManager.default.contents(atPath: corpus + "/changes.jsonl") else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

let ingestSeedsDirectory = "/work/shared/seeds"

/// The seed articles as well-formed corpus texts (lines cleaned, empty ones dropped), by name.
let ingestSeeds: [(name: String, text: String)] = {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: ingestSeedsDirectory)) ?? []).sorted()
    return names.compactMap { name in
        guard let data = FileManager.default.contents(atPath: "\(ingestSeedsDirectory)/\(name)") else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return (name, CorpusText.render(headline: nil, paragraphs: lines))
    }
}()

/// A distinct well-formed text of pseudo-random Arabic-letter words.
func ingestSyntheticText(_ seed: Int, words: Int = 90) -> String {
    CorpusText.render(headline: "خبر رقم \(seed)", paragraphs: syntheticParagraphs(seed: seed, salt: 0x1234_5678, words: words, perParagraph: 30))
}

/// Writes articles as the probe's JSON-lines input.
func writeProbeInput(_ articles: [CorpusArticle], to path: String) throws {
    var out = ""
    for a in articles {
        var object: [String: Any] = ["text": a.text]
        if let u = a.url { object["url"] = u }
        if let c = a.canonicalURL { object["canonical_url"] = c }
        if let s = a.source { object["source"] = s }
        if let t = a.title { object["title"] = t }
        let data = try JSONSerialization.data(withJSONObject: object)
        out += String(decoding: data, as: UTF8.self) + "\n"
    }
    try Data(out.utf8).write(to: URL(fileURLWithPath: path))
}

/// The test-only `khabar-append-probe` built beside this test bundle.
let appendProbe: String = {
    var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
        dir.deleteLastPathComponent()
    }
    return dir.appendingPathComponent("khabar-append-probe").path
}()

/// A running child process whose stdout is collected as it arrives.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var buffer = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = pipe.fileHandleForReading
        DispatchQueue.global().async { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                buffer.append(chunk)
                lock.unlock()
            }
            done.signal()
        }
    }

    var output: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Waits until stdout holds `text` (or `timeout` seconds pass).
    func waitFor(_ text: String, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            usleep(2_000)
        }
        return false
    }

    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the exit and the end of stdout; returns the exit status.
    @discardableResult
    func wait(timeout: TimeInterval = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        _ = done.wait(timeout: .now() + 10)
        return process.terminationStatus
    }
}
