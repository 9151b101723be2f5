import ArgumentParser
import KhabarService

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print it resolved, defaults filled in.",
        discussion: "Exits 0 when the file is valid; otherwise prints every error and exits 2.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        Console.out(ConfigPrinter.render(config))
    }
}
