import Foundation

/// The systemd notification protocol (`sd_notify(3)`) without libsystemd: one datagram per message
/// to the AF_UNIX socket named by `$NOTIFY_SOCKET` (a path, or `@name` for an abstract socket).
/// With no `$NOTIFY_SOCKET` every call is a no-op, so the daemon behaves the same outside systemd.
public final class SystemdNotifier: Sendable {
    /// The socket address, or nil when not running under a notify-aware supervisor.
    private let address: [UInt8]?
    /// The watchdog interval systemd asked for (`$WATCHDOG_USEC`), when it is meant for this process.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.utf8.count < 108,
           path.hasPrefix("/") || path.hasPrefix("@") {
            var bytes = Array(path.utf8)
            if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }   // abstract namespace
            address = bytes
        } else {
            address = nil
        }
        var interval: Duration? = nil
        if let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            let forUs = environment["WATCHDOG_PID"].flatMap(Int32.init).map { $0 == getpid() } ?? true
            if forUs { interval = .microseconds(Int64(usec)) }
        }
        watchdogInterval = interval
    }

    /// Whether a supervisor listens.
    public var isEnabled: Bool { address != nil }

    /// How often to ping the watchdog: half its interval, as sd_watchdog_enabled(3) advises.
    public var watchdogPingInterval: Duration? { watchdogInterval.map { $0 / 2 } }

    /// `READY=1`: configuration, state and corpus are open.
    public func ready(status: String? = nil) { send(["READY=1"] + statusLine(status)) }

    /// `STATUS=…`: a one-line summary for `systemctl status`.
    public func status(_ text: String) { send(statusLine(text)) }

    /// `WATCHDOG=1`: the work loop is alive.
    public func watchdog() { send(["WATCHDOG=1"]) }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (required by systemd ≥ 253 for Type=notify-reload).
    public func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let usec = UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
        send(["RELOADING=1", "MONOTONIC_USEC=\(usec)"])
    }

    /// `STOPPING=1`: shutting down.
    public func stopping() { send(["STOPPING=1"]) }

    private func statusLine(_ text: String?) -> [String] {
        guard let text else { return [] }
        return ["STATUS=" + text.replacingOccurrences(of: "\n", with: " ")]
    }

    /// Sends one datagram of newline-separated assignments. Failures are ignored on purpose:
    /// a missing supervisor must never stop the daemon. Never blocks: a datagram socket whose
    /// reader lags has a short queue (`net.unix.max_dgram_qlen`, often 10), and a blocking send
    /// would stall the work loop that pings the watchdog — the message is dropped instead.
    public func send(_ assignments: [String]) {
        guard let address, !assignments.isEmpty else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in address.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + address.count)
        let message = Array(assignments.joined(separator: "\n").utf8)
        _ = withUnsafePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { buf in
                    sendto(fd, buf.baseAddress, buf.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sa, length)
                }
            }
        }
    }
}
