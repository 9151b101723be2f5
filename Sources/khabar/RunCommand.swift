import ArgumentParser
import KhabarService

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon in the foreground.",
        discussion: """
        Polls every configured source at its interval, forever, ingesting what is new. Meant for \
        systemd (Type=notify): READY once the configuration, state and corpus are open. SIGTERM or \
        SIGINT stops it cleanly; SIGHUP reloads the configuration (a bad file keeps the running one).
        """)
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("run")
    }
}
