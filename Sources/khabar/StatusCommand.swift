import ArgumentParser
import KhabarService

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show per-source health: last poll, next due, last error, counts.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("status")
    }
}
