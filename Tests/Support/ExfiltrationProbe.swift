import Foundation
import Glibc

/// Sees what a parser reaches outside its input: a secret file it opens (inotify watches it) and
/// a loopback port it connects to (a listener that accepts, counts and hangs up, so a parser that
/// does connect gets an answer at once instead of waiting forever).
///
/// The XXE tests point their entities and DTDs here; a control test shows that an unsafe parser is
/// caught, so the probe is known to see what it is meant to. Used by KhabarHTMLTests and
/// KhabarDiscoverTests.
public final class ExfiltrationProbe: @unchecked Sendable {
    /// A file holding `secret`; its path is unique to this probe.
    public let secretPath: String
    public let secret: String
    public let port: UInt16
    private let directory: String
    private let inotify: Int32
    private let listener: Int32
    private let accepted = Counter()
    private var touches = 0

    public init() throws {
        let id = UUID().uuidString
        directory = NSTemporaryDirectory() + "khabar-xxe-" + id
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        secretPath = directory + "/secret.txt"
        secret = "KHABAR-SECRET-" + id
        try Data((secret + "\n").utf8).write(to: URL(fileURLWithPath: secretPath))

        inotify = inotify_init1(Int32(IN_NONBLOCK))
        guard inotify >= 0, inotify_add_watch(inotify, secretPath, UInt32(IN_OPEN | IN_ACCESS)) >= 0 else {
            throw ProbeError.setup("inotify: \(errno)")
        }

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw ProbeError.setup("listener: \(errno)") }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let counter = accepted
        Thread {
            while true {
                let connection = accept(fd, nil, nil)
                if connection < 0 { return }   // the listener was shut down
                counter.increment()
                Glibc.close(connection)
            }
        }.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        Glibc.close(inotify)
        try? FileManager.default.removeItem(atPath: directory)
    }

    public var fileURL: String { "file://" + secretPath }
    public var httpURL: String { "http://127.0.0.1:\(port)/khabar-xxe" }

    /// True when anything has opened or read the secret file since the probe was made.
    public var fileTouched: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(inotify, &buffer, buffer.count) > 0 { touches += 1 }
        return touches > 0
    }

    /// Connections made to the probe's port since it was made. A parser connects synchronously, so
    /// a short wait is enough for the accepting thread to have counted it.
    public var connections: Int {
        usleep(50_000)
        return accepted.value
    }

    public enum ProbeError: Error { case setup(String) }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}

/// CPU time the calling thread has used, in seconds: what a parse on this thread cost, whatever
/// the other tests running at the same time do.
public func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
