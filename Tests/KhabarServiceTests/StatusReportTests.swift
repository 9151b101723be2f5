import Foundation
import Testing
@testable import KhabarService

@Suite struct StatusReportTests {
    /// A state file in a fresh folder with two configured sources, one never polled.
    struct Fixture {
        let dir: URL
        let state: StateStore
        let config: Configuration
        let now = Date(timeIntervalSince1970: 1_795_420_800)   // 2026-11-23T08:00:00Z

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("status-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            state = try StateStore(path: dir.appendingPathComponent("khabar.sqlite").path)
            config = Configuration(path: "k.toml", sources: [
                SourceSettings(name: "roayah", url: "https://roayahnews.com/"),
                SourceSettings(name: "melliun", url: "https://melliun.org/"),
            ])
            try state.upsertSources([("roayah", "https://roayahnews.com/")], now: now.addingTimeInterval(-40 * 86_400))
        }

        func event(_ outcome: EventOutcome, hoursAgo: Double, chars: Int? = nil, source: String = "roayah") throws {
            _ = try state.record(IngestEvent(time: now.addingTimeInterval(-hoursAgo * 3600), source: source,
                                             url: "https://roayahnews.com/\(UUID().uuidString)", outcome: outcome, chars: chars))
        }

        var lockPath: String { dir.appendingPathComponent("khabar.pid").path }
        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func countsWindowsAndSchedule() throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.state.recordPoll(source: "roayah", at: f.now.addingTimeInterval(-600), nextDue: f.now.addingTimeInterval(300),
                               error: nil, pollInterval: .seconds(900))
        try f.state.recordPoll(source: "roayah", at: f.now.addingTimeInterval(-60), nextDue: f.now.addingTimeInterval(840),
                               error: "feed https://roayahnews.com/feed: HTTP 503")
        try f.event(.added, hoursAgo: 1, chars: 3000)          // today (UTC day began 8 h ago)
        try f.event(.added, hoursAgo: 12, chars: 5000)         // yesterday, within 24 h
        try f.event(.added, hoursAgo: 24 * 3, chars: 4000)     // within 7 days
        try f.event(.added, hoursAgo: 24 * 20, chars: 4000)    // within 30 days
        try f.event(.added, hoursAgo: 24 * 60, chars: 4000)    // older
        try f.event(.revised, hoursAgo: 2, chars: 3100)
        try f.event(.duplicate, hoursAgo: 5)
        try f.event(.nearDuplicate, hoursAgo: 30)
        try f.event(.failed, hoursAgo: 3)
        try f.event(.failed, hoursAgo: 24 * 5)
        try f.event(.notArticle, hoursAgo: 4)
        try f.event(.tooShort, hoursAgo: 6, chars: 120)
        try f.event(.added, hoursAgo: 1, chars: 999, source: "melliun")
        let report = try StatusReport.build(configuration: f.config, state: f.state, lockPath: f.lockPath, now: f.now)
        #expect(report.daemon == nil)
        #expect(report.sources.map(\.name) == ["roayah", "melliun"])
        let s = report.sources[0]
        #expect(s.known)
        #expect(s.lastPoll == f.now.addingTimeInterval(-60))
        #expect(s.lastSuccess == f.now.addingTimeInterval(-600))
        #expect(s.nextDue == f.now.addingTimeInterval(840))
        #expect(s.consecutiveFailures == 1)
        #expect(s.lastError == "feed https://roayahnews.com/feed: HTTP 503")
        #expect(s.pollInterval == .seconds(900))
        #expect((s.addedToday, s.added7Days, s.addedTotal) == (1, 3, 5))
        #expect(s.revised7Days == 1)
        #expect(s.duplicates7Days == 2)
        #expect((s.failures24Hours, s.failures7Days) == (1, 2))
        // Judged in 24 h: 2 added, 1 revised, 1 duplicate, 1 not_article, 1 too_short.
        #expect(s.health.pagesLastDay == 6)
        #expect(s.health.rejectedLastDay == 2)
        #expect(s.health.averageCharsLastDay == (3000 + 5000 + 3100) / 3)
        #expect(s.health.averageChars30Days == (3000 + 5000 + 4000 + 4000 + 3100) / 5)
        #expect(s.health.warning == nil)
        // The second source was never polled: the state does not know it; its events still count.
        #expect(!report.sources[1].known)
        #expect(report.sources[1].addedToday == 1)
    }

    @Test func layoutChangeWarnings() {
        var h = StatusReport.Health(pagesLastDay: 12, rejectedLastDay: 7, averageCharsLastDay: 3000, averageChars30Days: 3100)
        #expect(h.warning == "58% of the day's pages were judged not an article or too short")
        h = StatusReport.Health(pagesLastDay: 12, rejectedLastDay: 1, averageCharsLastDay: 900, averageChars30Days: 3000)
        #expect(h.warning == "texts average 900 chars today against 3000 over 30 days")
        // Too few pages to judge.
        h = StatusReport.Health(pagesLastDay: 4, rejectedLastDay: 4, averageCharsLastDay: 100, averageChars30Days: 3000)
        #expect(h.warning == nil)
        #expect(h.rejectedShare == 1)
    }

    @Test func runningDaemonIsReported() throws {
        let f = try Fixture()
        defer { f.remove() }
        let lock = try RunLock(path: f.lockPath, now: Date(timeIntervalSince1970: 1_795_415_600))
        try f.state.registerDaemon(pid: getpid(), host: "h", at: f.now.addingTimeInterval(-100))
        try f.state.daemonHeartbeat(pid: getpid(), at: f.now.addingTimeInterval(-20))
        let report = try StatusReport.build(configuration: f.config, state: f.state, lockPath: f.lockPath, now: f.now)
        #expect(report.daemon == .init(pid: getpid(), since: "2026-11-23T06:33:20Z", heartbeat: f.now.addingTimeInterval(-20)))
        _ = lock
        #expect(StatusView.render(report).hasPrefix("daemon: running, pid \(getpid()), since 2026-11-23T06:33:20Z, last heartbeat 20 s ago\n"))
    }

    @Test func rendersEveryLine() throws {
        let f = try Fixture()
        defer { f.remove() }
        try f.state.recordPoll(source: "roayah", at: f.now.addingTimeInterval(-180), nextDue: f.now.addingTimeInterval(720),
                               error: nil, pollInterval: .seconds(900))
        for _ in 0..<10 { try f.event(.notArticle, hoursAgo: 1) }
        try f.event(.added, hoursAgo: 1, chars: 3129)
        try f.event(.added, hoursAgo: 1, chars: 1000)
        let report = try StatusReport.build(configuration: f.config, state: f.state, lockPath: f.lockPath, now: f.now)
        #expect(StatusView.render(report) == """
            daemon: not running on this state

            roayah  https://roayahnews.com/
              last poll     2026-11-23 07:57Z (3 min ago)   next due 2026-11-23 08:12Z (in 12 min)   interval 15m
              last success  2026-11-23 07:57Z (3 min ago)   failures in a row 0
              last error    —
              added         today 2 · 7 days 2 · total 2
              duplicates    7 days 0   failures 24 h 0 · 7 days 0
              frontier      0 URLs, 0 due
              extraction    83% of 12 pages not an article or too short (24 h) · avg 2,064 chars (30-day norm 2,064)
              WARNING       layout changed? 83% of the day's pages were judged not an article or too short

            melliun  https://melliun.org/
              never polled

            """)
    }
}
