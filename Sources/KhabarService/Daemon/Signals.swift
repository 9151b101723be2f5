import Dispatch
import Foundation

/// The signals the daemon acts on, delivered as an async sequence instead of C handlers: the work
/// loop decides what to do between steps, so an append is never interrupted half way.
public enum DaemonSignal: Sendable, Equatable {
    /// SIGTERM or SIGINT: stop cleanly.
    case stop(Int32)
    /// SIGHUP: reload the configuration.
    case reload
}

/// `@unchecked Sendable`: the sources are only touched at init and in `cancel()`, and dispatch
/// sources are themselves safe to cancel from any thread.
public final class SignalWatcher: @unchecked Sendable {
    public let signals: AsyncStream<DaemonSignal>
    private let sources: [any DispatchSourceSignal]

    /// Starts watching SIGTERM, SIGINT and SIGHUP (their default actions are switched off while watched).
    public init() {
        let (stream, continuation) = AsyncStream.makeStream(of: DaemonSignal.self)
        signals = stream
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                continuation.yield(number == SIGHUP ? .reload : .stop(number))
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops watching and restores the default actions.
    public func cancel() {
        for source in sources { source.cancel() }
        for number in [SIGTERM, SIGINT, SIGHUP] { signal(number, SIG_DFL) }
    }
}
