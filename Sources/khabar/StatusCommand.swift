import ArgumentParser
import Foundation
import KhabarService

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show per-source health: last poll, next due, last error, counts.",
        discussion: """
        For each configured source: the last poll, the next due time and the adaptive interval; the \
        last success, consecutive failures and the last error; articles added today (UTC), in 7 days \
        and in all; duplicates and failures; the frontier; and the extraction health signals that \
        show a site changed its layout — the share of the day's pages judged not an article or too \
        short, and the day's average text length against its 30-day norm (a WARNING line when they \
        look wrong). First line: whether a daemon runs on this state, its pid and since when.
        """)
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        let path = config.daemon.stateDB
        var state: StateStore?
        if FileManager.default.fileExists(atPath: path) {
            do { state = try StateStore(path: path) } catch {
                Console.error("\(error)")
                throw ExitCode(1)
            }
        }
        do {
            let report = try StatusReport.build(configuration: config, state: state,
                                                lockPath: RunLock.path(forStateDB: path))
            var text = StatusView.render(report)
            if state == nil { text += "\n(no state at \(path) yet: run khabar poll or khabar run)\n" }
            Console.out(text)
        } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
    }
}
