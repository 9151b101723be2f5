import ArgumentParser
import KhabarService

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review ingestion events and corpus changes.")
    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("Only events since this long ago (24h) or this date.", valueName: "when"))
    var since: String?
    @Option(help: ArgumentHelp("Only events before this long ago or this date.", valueName: "when"))
    var until: String?
    @Option(help: ArgumentHelp("Only this source.", valueName: "name"))
    var source: String?
    @Option(help: ArgumentHelp("Only this outcome (repeatable): added, revised, duplicate, failed, …", valueName: "action"))
    var action: [String] = []
    @Option(help: ArgumentHelp("Only this URL: an article's history.", valueName: "url"))
    var url: String?
    @Option(help: ArgumentHelp("Only events whose URL, title or detail contains this text.", valueName: "text"))
    var grep: String?
    @Flag(help: "JSON lines instead of a table.")
    var json = false
    @Flag(help: "Keep streaming new events as they are written.")
    var follow = false

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("log")
    }
}
