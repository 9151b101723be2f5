import ArgumentParser
import Foundation
import KhabarService

/// The process entry point. It owns the exit codes of docs/DESIGN.md: 0 success, 1 the work
/// failed, 2 usage or configuration error — argument-parser's own usage code (64) is mapped to 2,
/// and every error is one line on stderr.
@main
enum Entry {
    static func main() async {
        var command: any ParsableCommand
        do {
            command = try Khabar.parseAsRoot()
        } catch {
            let code = Khabar.exitCode(for: error)
            if code == .success {
                print(Khabar.fullMessage(for: error))
                exit(0)
            }
            let message = Khabar.message(for: error)
                .split(separator: "\n").first.map(String.init) ?? "invalid usage"
            Console.error("\(message) (see 'khabar --help')")
            exit(2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            if Khabar.exitCode(for: error) == .success {
                // Help and version requests surface as clean exits from `run()` too.
                print(Khabar.fullMessage(for: error))
                exit(0)
            }
            Console.error("\(error)")
            exit(1)
        }
    }
}

/// Writing to the terminal's standard streams.
enum Console {
    /// `khabar: MESSAGE` on stderr, as one line.
    static func error(_ message: String) {
        let line = "khabar: " + message.replacingOccurrences(of: "\n", with: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

extension ServiceRuntime {
    /// The runtime of a command that ingests from the configured sources (`run`, `poll`): corpus,
    /// state and client opened, the sources registered. A failure is one line on stderr, exit 1.
    static func openedForCommand(_ config: Configuration) async throws -> ServiceRuntime {
        let runtime: ServiceRuntime
        do { runtime = try ServiceRuntime(configuration: config) } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        do { try runtime.registerSources() } catch {
            Console.error("\(error)")
            await runtime.close()
            throw ExitCode(1)
        }
        return runtime
    }
}
