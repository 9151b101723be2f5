import Foundation
import KhabarTestSupport
import Testing
@testable import KhabarService

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
