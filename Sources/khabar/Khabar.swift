import ArgumentParser
import KhabarService
import Logging

struct Khabar: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "khabar",
        abstract: "Build and keep a plain-text news corpus.",
        discussion: """
        Khabar polls the news sources of its configuration (feeds, sitemaps, section pages), \
        fetches article pages, extracts their clean text and metadata, deduplicates by content \
        hash and appends each new text to the corpus as NNN_<hash>.txt, logging every change.

        Exit codes: 0 success, 1 the work failed, 2 usage or configuration error.
        """,
        version: Versions.summary,
        subcommands: [
            Run.self, Poll.self, Fetch.self, Extract.self, Log.self, Status.self,
            CheckConfig.self, Verify.self, Diff.self, Reindex.self,
        ]
    )
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "path"))
    var config: String = "config/khabar.toml"

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: LogLevelArgument = .init(level: .info)

    /// Starts logging at the chosen level; call once, first thing in `run()`.
    func bootstrapLogging() {
        LogfmtHandler.bootstrap(level: logLevel.level)
    }

    /// Loads the configuration, or prints every issue and exits 2.
    func loadConfiguration() throws -> Configuration {
        do {
            return try ConfigLoader.load(path: config)
        } catch {
            for issue in error.issues { Console.error(issue.description) }
            throw ExitCode(2)
        }
    }
}

struct LogLevelArgument: ExpressibleByArgument {
    let level: Logger.Level
    init(level: Logger.Level) { self.level = level }
    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }
    var defaultValueDescription: String { level.rawValue }
    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}
