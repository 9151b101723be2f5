import ArgumentParser
import KhabarService

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract articles from saved .html or .html.gz files, without the network.",
        discussion: """
        Takes files or folders. Without --json, prints each article in the corpus file format. With \
        --json, writes one JSON object mapping each file name (without .html/.html.gz) to \
        {articleBody, title, published, author, lang, url}: the extraction benchmark's format.
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
        try notAvailableYet("extract")
    }
}
