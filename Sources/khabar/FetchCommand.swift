import ArgumentParser
import Foundation
import KhabarDiscover
import KhabarHTTP
import KhabarService
import Logging

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch article URLs now and ingest them.",
        discussion: """
        Prints one line per URL, in the order given: added, revised, duplicate, not modified, or why \
        it did not end in the corpus (failed, not an article, too short, filtered). The URL's own host \
        is trusted. With --source the article is attributed to that source and its filters apply; \
        without it only min_chars and the not-an-article judgement do. Exits 1 when any URL did not \
        end in the corpus. --dry-run prints each article in the corpus text format after a metadata \
        header and writes nothing (no corpus, no state).
        """)
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Article URLs.", valueName: "url"))
    var urls: [String]
    @Option(help: ArgumentHelp("Attribute the articles to this configured source.", valueName: "name"))
    var source: String?
    @Flag(help: "Print the extracted article; write nothing.")
    var dryRun = false

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        var sourceContext: SourceContext?
        if let source {
            guard let settings = config.source(named: source) else {
                Console.error("unknown source \"\(source)\" (configured: \(config.sources.map(\.name).joined(separator: ", ")))")
                throw ExitCode(2)
            }
            sourceContext = SourceContext(source: settings, daemon: config.daemon)
        }
        ProcessSetup.ignoreFileSizeSignal()
        let logger = Logger(label: "khabar")

        let pipeline: ArticlePipeline
        var runtime: ServiceRuntime?
        var dryRunPools: [BlockingPool] = []
        if dryRun {
            let cpu = BlockingPool(threads: 2, name: "khabar-cpu"), store = BlockingPool(threads: 1, name: "khabar-store")
            dryRunPools = [cpu, store]
            let client = HTTPClient(settings: ServiceRuntime.httpSettings(config.daemon, environment: ProcessInfo.processInfo.environment))
            pipeline = ArticlePipeline(client: client, ingestor: nil, schedule: URLSchedule(revisits: RevisitPlan(daemon: config.daemon)),
                                       cpu: cpu, store: store, logger: logger)
        } else {
            do { runtime = try ServiceRuntime(configuration: config, logger: logger) } catch {
                Console.error("\(error)")
                throw ExitCode(1)
            }
            try? runtime?.registerSources()
            pipeline = runtime!.pipeline
        }

        let daemon = config.daemon
        let state = runtime?.state
        let attributed = sourceContext
        let results = await withTaskGroup(of: (Int, PageResult).self) { group in
            for (index, typed) in urls.enumerated() {
                group.addTask {
                    guard let parsed = HTTPURL(typed) else {
                        return (index, PageResult(url: typed, outcome: .failed, line: "failed: invalid URL: \(typed) is not an absolute http or https URL"))
                    }
                    let url = URLCanonicalizer.canonical(parsed).string
                    let context = attributed ?? SourceContext.manual(url: url, daemon: daemon)
                    let frontier = state.flatMap { try? $0.frontierURL(url) }
                    let job = PageJob(url: url, context: context, origin: .manual, frontier: frontier, trustedHosts: [parsed.host])
                    return (index, await pipeline.process(job))
                }
            }
            var out: [(Int, PageResult)] = []
            for await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }

        var text = ""
        var allWell = true
        for result in results {
            let well = dryRun ? (result.judgement == .keep) : result.endedWell
            if !well { allWell = false }
            if dryRun, let article = result.corpusArticle {
                if !text.isEmpty { text += "\n" }
                text += DryRunText.render(result: result, article: article)
            } else {
                text += result.line + "\n"
            }
        }
        Console.out(text)
        if let runtime { await runtime.close() } else {
            await pipeline.client.shutdown()
            for pool in dryRunPools { pool.shutdown() }
        }
        if !allWell { throw ExitCode(1) }
    }
}

/// What `fetch --dry-run` prints for a page: a metadata header (`key: value`, absent values
/// left out), the judgement, an empty line, then the text exactly as the corpus file would hold it.
enum DryRunText {
    static func render(result: PageResult, article: CorpusArticle) -> String {
        var out = ""
        func field(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { out += "\(key): \(value.replacingOccurrences(of: "\n", with: " "))\n" }
        }
        field("url", article.url)
        if let final = result.finalURL, final != article.url, final != result.url { field("fetched", final) }
        field("canonical_url", article.canonicalURL)
        field("source", article.source)
        field("title", article.title)
        field("published", article.published)
        field("modified", article.modified)
        field("author", article.author)
        field("lang", article.lang)
        field("chars", IngestOutcome.grouped(article.text.unicodeScalars.count))
        field("hash", ContentHash.hash16(article.text))
        field("judgement", result.judgement.map { $0 == .keep ? "would be ingested" : $0.line })
        return out + "\n" + article.text
    }
}
