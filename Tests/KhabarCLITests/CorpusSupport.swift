import Foundation
import KhabarTestSupport

/// A temporary folder with a configuration pointing at its own corpus and state.
struct CorpusWorkspace {
    let dir: TemporaryDirectory
    var corpus: String { dir.file("corpus").path }
    var state: String { dir.file("state/khabar.sqlite").path }
    var config: String { dir.file("khabar.toml").path }

    init() throws {
        dir = try TemporaryDirectory("khabar-cli-corpus")
        _ = try dir.write("khabar.toml", """
            [daemon]
            corpus_dir = "\(dir.file("corpus").path)"
            state_db = "\(dir.file("state/khabar.sqlite").path)"

            [[source]]
            name = "roayah"
            url = "https://roayahnews.com/"

            """)
    }

    func khabar(_ arguments: [String]) throws -> KhabarProcess.Result {
        try KhabarProcess.run(arguments + ["--config", config], in: dir.url)
    }

    /// Ingests articles through the real ingestor (the append probe), one JSON object per article.
    @discardableResult
    func ingest(_ articles: [[String: String]], extra: [String] = []) throws -> [String] {
        let input = dir.file("input-\(UUID().uuidString).jsonl")
        let lines = try articles.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)
        let r = try runTool(probePath, ["ingest", "--corpus", corpus, "--state", state] + extra + [input.path])
        return r.stdout.split(separator: "\n").dropFirst().map(String.init)
    }

    /// Records ingestion events (probe `events`), one JSON object per event.
    func recordEvents(_ events: [[String: Any]]) throws {
        let input = dir.file("events-\(UUID().uuidString).jsonl")
        let lines = try events.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)
        let r = try runTool(probePath, ["events", "--state", state, input.path])
        guard r.status == 0 else { throw ToolFailure(message: r.stderr) }
    }

    func seedCorpus() throws {
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: cliSeedsDirectory) {
            try FileManager.default.copyItem(atPath: "\(cliSeedsDirectory)/\(name)", toPath: "\(corpus)/\(name)")
        }
    }

    func remove() { dir.remove() }
}

let cliSeedsDirectory = "/work/shared/seeds"

/// The test-only append probe, built beside `khabar`.
let probePath = KhabarProcess.binary.deletingLastPathComponent().appendingPathComponent("khabar-append-probe").path

struct ToolFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs any executable, capturing its output.
func runTool(_ executable: String, _ arguments: [String]) throws -> KhabarProcess.Result {
    try KhabarProcess.run(executable: URL(fileURLWithPath: executable), arguments, timeout: 300)
}

/// A corpus text of `seed`-determined words (distinct texts for distinct seeds).
func cliText(_ seed: Int, headline: String? = nil, words: Int = 70) -> String {
    let paragraphs = syntheticParagraphs(seed: seed, salt: 77, words: words, perParagraph: 25)
    return ([headline ?? "خبر \(seed)"] + paragraphs).joined(separator: "\n") + "\n"
}
