import ArgumentParser
import KhabarService

struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the state's hash index from the corpus.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("reindex")
    }
}
