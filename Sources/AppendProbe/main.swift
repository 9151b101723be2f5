// khabar-append-probe: a test-only driver of the real ingestor, run as a child process by the
// concurrency and crash tests (two appenders at once; SIGKILL at random points).
//
//   khabar-append-probe ingest --corpus DIR --state DB [--distance N] [--keep] [--fsize-limit BYTES]
//                              [--ready-file PATH --go-file PATH] INPUT.jsonl
//       INPUT.jsonl: one {"text", "url", "canonical_url", "source", "title", "published", "lang"} per line.
//       Prints "ready" once open, then "<line>\t<outcome summary>" (or "<line>\terror: …") per input,
//       each written at once. With --ready-file/--go-file: creates the first once open and waits
//       for the second before ingesting (so a test can change the disk under an open corpus).
//   khabar-append-probe events --state DB INPUT.jsonl
//       INPUT.jsonl: one {"ts_ms", "source", "url", "outcome", "http_status", "bytes", "ms", "file",
//       "related_file", "title", "chars", "detail"} per line, recorded as ingestion events.
//   khabar-append-probe open --corpus DIR --state DB
//       Opens (reconciles) and prints what was repaired.
import Foundation
import KhabarService

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("khabar-append-probe: \(message)\n".utf8))
    exit(2)
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("usage: khabar-append-probe ingest|events|open …") }
arguments.removeFirst()
var options: [String: String] = [:]
var flags = Set<String>()
var positional: [String] = []
var index = 0
while index < arguments.count {
    let a = arguments[index]
    if a == "--keep" {
        flags.insert(a)
    } else if a.hasPrefix("--") {
        guard index + 1 < arguments.count else { fail("\(a) needs a value") }
        options[a] = arguments[index + 1]
        index += 1
    } else {
        positional.append(a)
    }
    index += 1
}

func jsonLines(_ path: String) -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            fail("not a JSON object: \(line.prefix(80))")
        }
        return object
    }
}

switch command {
case "ingest":
    guard let corpus = options["--corpus"], let state = options["--state"], let input = positional.first else {
        fail("ingest needs --corpus, --state and an input file")
    }
    let articles = jsonLines(input)
    let policy = IngestPolicy(nearDuplicateDistance: Int(options["--distance"] ?? "3") ?? 3,
                              nearDuplicates: flags.contains("--keep") ? .keep : .skip)
    let opened: (ingestor: Ingestor, corpus: ReconcileReport, index: IndexReconcileReport)
    do {
        opened = try Ingestor.open(corpusDirectory: corpus, stateDatabase: state, policy: policy)
    } catch {
        fail("\(error)")
    }
    // The file-size limit starts once the state is open (SQLite's own files must not hit it).
    if let limit = options["--fsize-limit"].flatMap({ rlim_t($0) }) {
        signal(SIGXFSZ, SIG_IGN)
        var r = rlimit(rlim_cur: limit, rlim_max: limit)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &r)
    }
    say("ready")
    if let ready = options["--ready-file"], let go = options["--go-file"] {
        _ = FileManager.default.createFile(atPath: ready, contents: nil)
        while !FileManager.default.fileExists(atPath: go) { usleep(10_000) }
    }
    var failures = 0
    for (n, object) in articles.enumerated() {
        let article = CorpusArticle(
            text: object["text"] as? String ?? "", url: object["url"] as? String,
            canonicalURL: object["canonical_url"] as? String, source: object["source"] as? String,
            title: object["title"] as? String, published: object["published"] as? String, lang: object["lang"] as? String)
        do {
            let outcome = try opened.ingestor.ingest(article)
            say("\(n)\t\(outcome.summary)")
        } catch {
            failures += 1
            say("\(n)\terror: \(error)")
        }
    }
    exit(failures == 0 ? 0 : 1)

case "events":
    guard let state = options["--state"], let input = positional.first else { fail("events needs --state and an input file") }
    let store: StateStore
    do { store = try StateStore(path: state) } catch { fail("\(error)") }
    var events: [IngestEvent] = []
    for object in jsonLines(input) {
        guard let outcomeText = object["outcome"] as? String, let outcome = EventOutcome(rawValue: outcomeText) else {
            fail("an event needs a known \"outcome\"")
        }
        let ms = (object["ts_ms"] as? NSNumber)?.int64Value ?? Int64(Date().timeIntervalSince1970 * 1000)
        events.append(IngestEvent(
            time: Date(timeIntervalSince1970: Double(ms) / 1000), source: object["source"] as? String,
            url: object["url"] as? String, outcome: outcome, httpStatus: (object["http_status"] as? NSNumber)?.intValue,
            bytes: (object["bytes"] as? NSNumber)?.intValue, milliseconds: (object["ms"] as? NSNumber)?.intValue,
            file: object["file"] as? String, relatedFile: object["related_file"] as? String,
            title: object["title"] as? String, chars: (object["chars"] as? NSNumber)?.intValue,
            detail: object["detail"] as? String))
    }
    do { try store.record(events) } catch { fail("\(error)") }
    say("recorded \(events.count)")

case "open":
    guard let corpus = options["--corpus"], let state = options["--state"] else { fail("open needs --corpus and --state") }
    do {
        let opened = try Ingestor.open(corpusDirectory: corpus, stateDatabase: state)
        let r = opened.corpus
        say("removed \(r.removedTempFiles.count) recovered \(r.recoveredLines.count) torn \(r.tornBytesRemoved) indexed \(opened.index.indexed.count)")
    } catch {
        fail("\(error)")
    }

default:
    fail("unknown command \(command)")
}
