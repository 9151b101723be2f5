import Foundation
import Testing
@testable import KhabarService

/// A bound AF_UNIX datagram socket that collects what a notifier sends.
final class NotifySocket {
    let fd: Int32
    let name: String

    /// `abstract`: bind in the abstract namespace (`@name`) instead of a path.
    init(abstract: Bool) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        let id = UUID().uuidString.prefix(8)
        name = abstract ? "@khabar-test-\(id)" : FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(id).sock").path
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let len = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard rc == 0 else { throw POSIXError(.EADDRINUSE) }
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, or nil after the 2 s timeout.
    func receive() -> String? {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    deinit {
        close(fd)
        if !name.hasPrefix("@") { unlink(name) }
    }
}

@Suite struct SystemdNotifierTests {
    @Test(arguments: [false, true])
    func sendsEachMessageAsOneDatagram(abstract: Bool) throws {
        let sock = try NotifySocket(abstract: abstract)
        let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": sock.name])
        #expect(n.isEnabled)
        n.ready(status: "5 sources")
        #expect(sock.receive() == "READY=1\nSTATUS=5 sources")
        n.status("polling\nroayah")
        #expect(sock.receive() == "STATUS=polling roayah")
        n.watchdog()
        #expect(sock.receive() == "WATCHDOG=1")
        n.reloading()
        let reloading = try #require(sock.receive())
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(UInt64(reloading.split(separator: "=").last ?? "") != nil)
        n.stopping()
        #expect(sock.receive() == "STOPPING=1")
    }

    @Test func aReaderThatLagsNeverBlocksTheSender() throws {
        let sock = try NotifySocket(abstract: false)
        let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": sock.name])
        // Far more than the socket's queue holds (net.unix.max_dgram_qlen), nobody reading. On a
        // thread, so a sender that blocks fails the test instead of hanging it.
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for _ in 0..<2_000 { n.watchdog() }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(sock.receive() == "WATCHDOG=1")
    }

    @Test func withoutNotifySocketNothingIsSent() {
        let n = SystemdNotifier(environment: [:])
        #expect(!n.isEnabled)
        n.ready()   // must not crash or block
        #expect(n.watchdogInterval == nil)
    }

    @Test func watchdogIntervalIsHalvedForPings() {
        let n = SystemdNotifier(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "\(getpid())"])
        #expect(n.watchdogInterval == .seconds(20))
        #expect(n.watchdogPingInterval == .seconds(10))
        let other = SystemdNotifier(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "1"])
        #expect(other.watchdogInterval == nil)
    }
}
