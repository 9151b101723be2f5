import ArgumentParser
import Foundation
import KhabarService

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon in the foreground.",
        discussion: """
        Polls every configured source at its interval, forever, ingesting what is new. Meant for \
        systemd (Type=notify): READY once the configuration, state and corpus are open; STATUS each \
        cycle; WATCHDOG pings from the work loop when WatchdogSec is set. SIGTERM or SIGINT stops it \
        cleanly (exit 0 within 10 s); SIGHUP reloads the configuration (a bad file keeps the running \
        one). One daemon per state: a second one exits 1.
        """)
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        ProcessSetup.ignoreFileSizeSignal()
        // Watch the signals first: a SIGTERM during start-up is then a clean stop, not a kill.
        let signals = SignalWatcher()
        let stateFolder = (config.daemon.stateDB as NSString).deletingLastPathComponent
        if !stateFolder.isEmpty {
            try? FileManager.default.createDirectory(atPath: stateFolder, withIntermediateDirectories: true)
        }
        let lock: RunLock
        do { lock = try RunLock(path: RunLock.path(forStateDB: config.daemon.stateDB)) } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        let runtime = try await ServiceRuntime.openedForCommand(config)
        let daemon = Daemon(configuration: config, runtime: runtime)
        await daemon.run(signals: signals)
        await runtime.close()
        signals.cancel()
        withExtendedLifetime(lock) {}
    }
}
