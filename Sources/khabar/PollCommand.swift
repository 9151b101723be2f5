import ArgumentParser
import Foundation
import KhabarService
import Logging

struct Poll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Poll the sources once, ingest what is new, print a summary and exit.",
        discussion: """
        One pass: discover each source's article URLs (homepage, feeds, sitemaps, listing pages), \
        fetch every URL that is due, ingest. On a terminal a progress line shows the counts per \
        outcome; a summary table follows at the end. Exits 0 unless every polled source failed \
        (no channel of it answered); 2 for an unknown source name. SIGTERM or SIGINT stops the pass \
        cleanly (exit 0): appends in progress finish, the rest stays due.
        """)
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Sources to poll, by name (default: all).", valueName: "source"))
    var sources: [String] = []

    func run() async throws {
        let live = isatty(2) == 1
        // On a terminal the progress line is the report; per-article log lines would tear it
        // (an explicit --log-level is honoured).
        if live && !CommandLine.arguments.contains(where: { $0 == "--log-level" || $0.hasPrefix("--log-level=") }) {
            LogfmtHandler.bootstrap(level: .notice)
        } else {
            common.bootstrapLogging()
        }
        let config = try common.loadConfiguration()
        if let unknown = sources.first(where: { config.source(named: $0) == nil }) {
            Console.error("unknown source \"\(unknown)\" (configured: \(config.sources.map(\.name).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        ProcessSetup.ignoreFileSizeSignal()
        let signals = SignalWatcher()
        let runtime = try await ServiceRuntime.openedForCommand(config)
        let selected = sources.isEmpty ? runtime.contexts : runtime.contexts.filter { sources.contains($0.name ?? "") }
        let harvester = runtime.harvester
        let pass = Task { await harvester.pollOnce(selected) }
        let interrupted = Guarded(false)
        let listener = Task {
            for await signal in signals.signals {
                if case .stop = signal {
                    interrupted.withLock { $0 = true }
                    pass.cancel()
                    return
                }
            }
        }
        let progress = live ? Task {
            while !Task.isCancelled {
                let line = PollSummary.progressLine(sources: selected.count, totals: harvester.progress.totals)
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
                try? await Task.sleep(for: .milliseconds(250))
            }
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        } : nil
        let results = await pass.value
        progress?.cancel()
        _ = await progress?.value
        listener.cancel()
        Console.out(PollSummary.table(results))
        await runtime.close()
        signals.cancel()
        if interrupted.current {
            // A stop that was asked for is not a failure (systemd stops a timer's poll this way);
            // what was ingested is in, whole, and the rest is still due for the next pass.
            Console.error("stopped by a signal; the rest is due at the next poll")
            return
        }
        if !results.isEmpty && results.allSatisfy(\.failed) { throw ExitCode(1) }
    }
}
