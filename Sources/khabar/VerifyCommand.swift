import ArgumentParser
import KhabarService

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the corpus: names against hashes, change log against files, numbering.",
        discussion: "Exits 1 on any fault. Legacy names (adopted files) are listed apart, not as faults.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("verify")
    }
}
