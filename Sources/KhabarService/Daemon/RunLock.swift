import Foundation

/// One daemon per state: `khabar run` holds an exclusive `flock` on `<state>/khabar.pid`, which
/// names its pid and start time. `khabar status` reads it to say whether a daemon runs and since
/// when; the kernel drops the lock when the process dies, so a stale file never lies.
public final class RunLock: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case held(path: String, by: Int32?)
        case io(path: String, reason: String)

        public var description: String {
            switch self {
            case .held(let path, let pid):
                return "another khabar daemon already runs on this state (\(pid.map { "pid \($0)" } ?? "unknown pid"), lock \(path))"
            case .io(let path, let reason): return "cannot use the run lock \(path): \(reason)"
            }
        }
    }

    /// Who holds the lock, as `status` reports it.
    public struct Holder: Sendable, Equatable {
        public var pid: Int32
        public var since: String
    }

    public let path: String
    private let fd: Int32

    /// The lock file beside the state database (`state/khabar.sqlite` → `state/khabar.pid`).
    public static func path(forStateDB stateDB: String) -> String {
        let url = URL(fileURLWithPath: stateDB)
        return url.deletingLastPathComponent().appendingPathComponent("khabar.pid").path
    }

    /// Takes the lock or fails at once; writes this process's pid and start time into it.
    public init(path: String, now: Date = Date()) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.read(fd: fd)
            close(fd)
            throw .held(path: path, by: holder?.pid)
        }
        let line = "\(getpid()) \(ISO8601DateFormatter().string(from: now))\n"
        ftruncate(fd, 0)
        _ = line.withCString { pwrite(fd, $0, strlen($0), 0) }
        fsync(fd)
        self.fd = fd
    }

    deinit {
        ftruncate(fd, 0)
        close(fd)
    }

    /// The daemon holding the lock at `path`, or nil when none does.
    public static func holder(path: String) -> Holder? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil   // nobody holds it
        }
        return read(fd: fd)
    }

    private static func read(fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        let parts = String(decoding: buffer[0..<n], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count >= 2, let pid = Int32(parts[0]) else { return nil }
        return Holder(pid: pid, since: String(parts[1]))
    }
}
