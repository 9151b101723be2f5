import ArgumentParser
import KhabarService

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch article URLs now and ingest them.",
        discussion: """
        Prints one line per URL: added, revised, duplicate, not modified, or why it failed. Exits 1 \
        when any URL did not end in the corpus (failed, not an article, too short, filtered).
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
        _ = try common.loadConfiguration()
        try notAvailableYet("fetch")
    }
}
