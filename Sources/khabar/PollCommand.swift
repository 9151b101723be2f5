import ArgumentParser
import KhabarService

struct Poll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Poll the sources once, ingest what is new, print a summary and exit.",
        discussion: "Exits 0 unless every polled source failed.")
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Sources to poll, by name (default: all).", valueName: "source"))
    var sources: [String] = []

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("poll")
    }
}
