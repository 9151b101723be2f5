import ArgumentParser
import Dispatch
import Foundation
import KhabarExtract
import KhabarService

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract articles from saved .html or .html.gz files, without the network.",
        discussion: """
        Takes files or folders. Without --json, prints each article in the corpus file format. With \
        --json, writes one JSON object mapping each file name (without .html/.html.gz) to \
        {articleBody, title, published, author, lang, url}: the extraction benchmark's format. \
        A file that cannot be read or parsed is reported on stderr and the others go on; the exit \
        code is then 1. Needs no configuration file.
        """)
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Files or folders of .html / .html.gz pages.", valueName: "path"))
    var paths: [String]
    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "out"))
    var json: String?
    @Option(help: ArgumentHelp("The URL the page was fetched from (resolves relative links).", valueName: "url"))
    var url: String?

    func run() async throws {
        common.bootstrapLogging()
        var failed = false
        var files: [String] = []
        for path in paths {
            switch ExtractBatch.inputs(at: path) {
            case .success(let found): files += found
            case .failure(let problem):
                Console.error(problem.description)
                failed = true
            }
        }
        let results = ExtractBatch.run(files: files, url: url)
        for case .failure(let message) in results.map(\.outcome) {
            Console.error(message)
            failed = true
        }
        if let json {
            let text = ExtractBatch.benchmarkJSON(results, url: url)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: json), options: .atomic)
            } catch {
                Console.error("\(json): cannot write the results: \(error.localizedDescription)")
                throw ExitCode(1)
            }
        } else {
            var out = ""
            let many = results.count > 1
            for r in results {
                guard case .success(let article) = r.outcome else { continue }
                if many { out += "==> \(r.path) <==\n" }
                out += article.text
            }
            Console.out(out)
        }
        if failed { throw ExitCode(1) }
    }
}

/// The batch work behind `khabar extract`: find the pages, extract them on every core, write the
/// benchmark JSON.
enum ExtractBatch {
    struct Result {
        var path: String
        var key: String
        var outcome: Outcome
    }

    enum Outcome {
        case success(Article)
        case failure(String)
    }

    /// Largest page read (after decompression).
    static let maxPageBytes = Extractor.maxBytes

    /// The pages at `path`: the file itself, or the .html/.htm/.html.gz files below a folder, sorted.
    static func inputs(at path: String) -> Swift.Result<[String], InputError> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(InputError("\(path): no such file or folder"))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            return .failure(InputError("\(path): cannot read the folder"))
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let lower = relative.lowercased()
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".html.gz") || lower.hasSuffix(".htm.gz") {
                found.append((path as NSString).appendingPathComponent(relative))
            }
        }
        return .success(found.sorted())
    }

    struct InputError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// The benchmark key of a file: its name without `.html`/`.htm` and `.gz`.
    static func key(for path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for suffix in [".gz", ".html", ".htm"] where name.lowercased().hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
        }
        return name
    }

    /// Extracts every file, spread over all cores; results keep the input order.
    static func run(files: [String], url: String?) -> [Result] {
        let slots = ResultSlots(count: files.count)
        let extractor = Extractor()
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let path = files[i]
            slots.set(i, Result(path: path, key: key(for: path), outcome: extractOne(path, url: url, extractor: extractor)))
        }
        return slots.all()
    }

    static func extractOne(_ path: String, url: String?, extractor: Extractor) -> Outcome {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure("\(path): cannot read the file")
        }
        var bytes = [UInt8](data)
        if path.lowercased().hasSuffix(".gz") && !Gzip.isGzip(bytes) {
            return .failure("\(path): not gzip data")
        }
        if Gzip.isGzip(bytes) {
            do {
                bytes = try Gzip.decompress(bytes, limit: maxPageBytes)
            } catch {
                return .failure("\(path): \(error.description)")
            }
        }
        do {
            return .success(try extractor.extract(html: bytes, url: url))
        } catch {
            return .failure("\(path): \(error.description)")
        }
    }

    /// `{key: {"articleBody", "title", "published", "author", "lang", "url"}}`, keys sorted.
    static func benchmarkJSON(_ results: [Result], url: String?) -> String {
        var out = "{"
        var first = true
        for r in results.sorted(by: { $0.key < $1.key }) {
            guard case .success(let a) = r.outcome else { continue }
            out += first ? "\n" : ",\n"
            first = false
            out += "  " + JSONText.quote(r.key) + ": {"
            out += "\"articleBody\": " + JSONText.quote(a.body)
            out += ", \"title\": " + JSONText.quote(a.headline)
            out += ", \"published\": " + JSONText.quote(a.published)
            out += ", \"author\": " + JSONText.quote(a.author)
            out += ", \"lang\": " + JSONText.quote(a.language)
            out += ", \"url\": " + JSONText.quote(a.canonicalURL ?? url)
            out += "}"
        }
        out += first ? "}\n" : "\n}\n"
        return out
    }
}

/// Result slots filled from several threads.
final class ResultSlots: @unchecked Sendable {
    private var slots: [ExtractBatch.Result?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: ExtractBatch.Result) { lock.lock(); slots[i] = r; lock.unlock() }
    func all() -> [ExtractBatch.Result] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}

/// JSON string literals, written by hand so the output is byte-stable.
enum JSONText {
    static func quote(_ s: String?) -> String {
        guard let s else { return "null" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
