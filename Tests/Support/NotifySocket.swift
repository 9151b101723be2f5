import Foundation
import Glibc

/// A bound AF_UNIX datagram socket standing in for systemd's notification socket: give its `name`
/// to a child as `NOTIFY_SOCKET` and read what the child sends (`READY=1`, `STATUS=…`,
/// `WATCHDOG=1`, `RELOADING=1`, `STOPPING=1`), each datagram one message.
public final class NotifySocket: @unchecked Sendable {
    // @unchecked: the descriptor is only read from, by one test at a time.
    public let fd: Int32
    /// A path, or `@name` for the abstract namespace.
    public let name: String

    /// `abstract`: bind in the abstract namespace (`@name`) instead of a path.
    public init(abstract: Bool = false) throws(TestServerError) {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket: \(String(cString: strerror(errno)))") }
        let id = UUID().uuidString.prefix(8)
        name = abstract ? "@khabar-notify-\(id)" : FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(id).sock").path
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let len = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard rc == 0 else {
            close(fd)
            throw .socket("bind \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// The next datagram, or nil when none arrives within `timeout`.
    public func receive(timeout: Duration = .seconds(2)) -> String? {
        let ms = Int32(max(0, timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, ms) > 0 else { return nil }
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    /// Every datagram until `predicate` holds for one (included) or `timeout` passes.
    public func collect(until predicate: (String) -> Bool, timeout: Duration) -> [String] {
        var out: [String] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: min(deadline - ContinuousClock.now, .milliseconds(200))) else { continue }
            out.append(message)
            if predicate(message) { break }
        }
        return out
    }

    deinit {
        close(fd)
        if !name.hasPrefix("@") { unlink(name) }
    }
}
