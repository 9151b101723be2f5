import ArgumentParser
import KhabarService

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Paragraph-level diff of two corpus files (an article's revisions).")
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("The older file.", valueName: "file-a"))
    var fileA: String
    @Argument(help: ArgumentHelp("The newer file.", valueName: "file-b"))
    var fileB: String

    func run() async throws {
        common.bootstrapLogging()
        try notAvailableYet("diff")
    }
}
