import Foundation
import Testing
@testable import KhabarService

@Suite struct IngestLogViewTests {
    let now = Date(timeIntervalSince1970: 1_795_430_245)  // 2026-11-23T10:37:25Z

    @Test func parsesDurationsAndDates() {
        #expect(EventLogView.parseTime("24h", now: now) == now.addingTimeInterval(-86_400))
        #expect(EventLogView.parseTime("1h30m", now: now) == now.addingTimeInterval(-5_400))
        #expect(EventLogView.parseTime("2026-11-23", now: now) == Date(timeIntervalSince1970: 1_795_392_000))
        #expect(EventLogView.parseTime("2026-11-23T10:37", now: now) == Date(timeIntervalSince1970: 1_795_430_220))
        #expect(EventLogView.parseTime("2026-11-23 10:37:25", now: now) == now)
        #expect(EventLogView.parseTime("2026-11-23T10:37:25Z", now: now) == now)
        #expect(EventLogView.parseTime("2026-11-23T14:07:25+03:30", now: now) == now)
        #expect(EventLogView.parseTime("2026-11-23T05:37:25-05:00", now: now) == now)
        for bad in ["", "yesterday", "2026-13-01", "2026-02-30", "2026-11-23T25:00", "2026-11-23T10:00+3", "2026-11-23X", "24 hours"] {
            #expect(EventLogView.parseTime(bad, now: now) == nil, "\(bad)")
        }
    }

    @Test func formatsTimesAndFooters() {
        #expect(EventLogView.tableTime(now) == "2026-11-23 10:37:25")
        #expect(EventLogView.jsonTime(now.addingTimeInterval(0.042)) == "2026-11-23T10:37:25.042Z")
        #expect(EventLogView.footer([:]) == "no events")
        #expect(EventLogView.footer([.failed: 2, .added: 1_200]) == "added 1,200, failed 2 — 1,202 events")
    }

    @Test func describesEachOutcome() {
        var e = IngestEvent(outcome: .added, file: "005_x.txt", relatedFile: "003_y.txt", title: "T", chars: 3129)
        #expect(EventLogView.describe(e) == "\"T\" (3,129 chars); near-duplicate of 003_y.txt")
        e = IngestEvent(outcome: .nearDuplicate, relatedFile: "003_y.txt", detail: "fingerprint 2 bits from 003_y.txt")
        #expect(EventLogView.describe(e) == "of 003_y.txt; fingerprint 2 bits from 003_y.txt")
        e = IngestEvent(outcome: .failed, detail: "HTTP 503")
        #expect(EventLogView.describe(e) == "HTTP 503")
        #expect(EventLogView.tableLine(["a", "bb", "last"], widths: [3, 3, 0]) == "a    bb   last")
    }
}
