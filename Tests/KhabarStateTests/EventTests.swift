import Foundation
import GRDB
import Testing
@testable import KhabarState

@Suite struct EventTests {
    let base = Date(timeIntervalSince1970: 1_795_430_245)

    func seeded() throws -> TempState {
        let t = try TempState()
        let outcomes: [(String, EventOutcome, String, String?)] = [
            ("roayah", .added, "https://roayah/1", nil), ("roayah", .duplicate, "https://roayah/2", "same text as 000_x.txt"),
            ("roayah", .failed, "https://roayah/3", "timeout after 30 s"), ("irna", .added, "https://irna/1", nil),
            ("irna", .failed, "https://irna/2", "HTTP 404"), ("irna", .tooShort, "https://irna/3", "120 characters"),
            ("roayah", .revised, "https://roayah/1", "supersedes 000_x.txt"), ("irna", .notArticle, "https://irna/4", "a listing page"),
        ]
        try t.store.record(outcomes.enumerated().map { i, o in
            IngestEvent(time: base.addingTimeInterval(Double(i) * 3600), source: o.0, url: o.2, outcome: o.1,
                        httpStatus: o.1 == .failed && o.0 == "irna" ? 404 : 200, bytes: 1000 * i, milliseconds: 10 * i,
                        file: o.1 == .added || o.1 == .revised ? "00\(i)_x.txt" : nil, title: "عنوان \(i)",
                        chars: o.1 == .added ? 3000 : o.1 == .tooShort ? 120 : nil, detail: o.3)
        })
        return t
    }

    @Test func recordsEveryField() throws {
        let t = try TempState()
        defer { t.remove() }
        let event = IngestEvent(time: base, source: "s", url: "https://x/1", outcome: .nearDuplicate, httpStatus: 200, bytes: 512,
                                milliseconds: 33, file: nil, relatedFile: "003_x.txt", title: "t", chars: 999, detail: "fingerprint 2 bits from 003_x.txt")
        let id = try t.store.record(event)
        var expected = event
        expected.id = id
        #expect(try t.store.events(matching: EventQuery()) == [expected])
        #expect(try t.store.latestEventID() == id)
    }

    @Test func filtersByTimeSourceOutcomeURLAndText() throws {
        let t = try seeded()
        defer { t.remove() }
        func urls(_ q: EventQuery) throws -> [String] { try t.store.events(matching: q).compactMap(\.url) }
        #expect(try urls(EventQuery(since: base.addingTimeInterval(5 * 3600))) == ["https://irna/3", "https://roayah/1", "https://irna/4"])
        #expect(try urls(EventQuery(until: base.addingTimeInterval(2 * 3600))) == ["https://roayah/1", "https://roayah/2"])
        #expect(try urls(EventQuery(sources: ["irna"], outcomes: [.failed, .tooShort])) == ["https://irna/2", "https://irna/3"])
        #expect(try urls(EventQuery(urls: ["https://roayah/1"])) == ["https://roayah/1", "https://roayah/1"])
        #expect(try urls(EventQuery(files: ["006_x.txt"])) == ["https://roayah/1"])
        #expect(try urls(EventQuery(grep: "TIMEOUT")) == ["https://roayah/3"])
        #expect(try urls(EventQuery(grep: "404")) == ["https://irna/2"])
        #expect(try urls(EventQuery(grep: "50%_")) == [])
        #expect(try urls(EventQuery(grep: "عنوان 7")) == ["https://irna/4"])
        #expect(try urls(EventQuery(afterID: 6)) == ["https://roayah/1", "https://irna/4"])
        #expect(try urls(EventQuery(limit: 2)) == ["https://roayah/1", "https://irna/4"])
    }

    @Test func countsForTheFooterAndStatus() throws {
        let t = try seeded()
        defer { t.remove() }
        #expect(try t.store.outcomeCounts(matching: EventQuery(sources: ["irna"], limit: 1)) == [.added: 1, .failed: 1, .tooShort: 1, .notArticle: 1])
        let counts = try t.store.sourceOutcomeCounts(since: base)
        #expect(counts.contains(SourceOutcomeCount(source: "roayah", outcome: .added, count: 1, chars: 3000)))
        #expect(counts.contains(SourceOutcomeCount(source: "irna", outcome: .tooShort, count: 1, chars: 120)))
        #expect(counts.count == 8)
        #expect(try t.store.lastEvent(source: "roayah", outcomes: [.failed])?.detail == "timeout after 30 s")
        #expect(try t.store.lastEvent(source: "irna")?.outcome == .notArticle)
        #expect(try t.store.lastEvent(source: "nobody") == nil)
    }

    /// Each filter `log` and `status` use reads an index, never the whole table.
    @Test(arguments: [
        (EventQuery(since: Date()), "event_ts"), (EventQuery(since: Date(), sources: ["a"]), "event_source"),
        (EventQuery(since: Date(), outcomes: [.failed]), "event_outcome_ts"), (EventQuery(urls: ["u"]), "event_url_ts"),
        (EventQuery(since: Date(), grep: "x"), "event_ts"), (EventQuery(afterID: 5), "INTEGER PRIMARY KEY"),
        (EventQuery(since: Date(), sources: ["a"], outcomes: [.failed]), "USING"),
        (EventQuery(sources: ["a"], outcomes: [.failed], limit: 1), "USING"),
    ])
    func queriesUseIndexes(query: EventQuery, index: String) throws {
        let t = try TempState()
        defer { t.remove() }
        let (sql, arguments) = StateStore.selectSQL(query)
        let plan = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }.joined(separator: " | ")
        #expect(plan.contains(index), "\(plan)")
        #expect(!plan.contains("SCAN event "), "\(plan)")
    }

    @Test func commitIngestionWritesIndexEventAndFrontierTogether() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.addURLs([DiscoveredURL(url: "https://a/1", source: "a", kind: .feed)], now: base)
        let e = entry(4, url: "https://a/1")
        try t.store.commitIngestion(index: e, event: IngestEvent(time: base, source: "a", url: "https://a/1", outcome: .added, file: e.name))
        #expect(try t.store.indexEntry(named: e.name) == e)
        #expect(try t.store.frontierURL("https://a/1")?.corpusFile == e.name)
        #expect(try t.store.events(matching: EventQuery()).map(\.outcome) == [.added])
    }
}

@Suite struct FrontierTests {
    let now = Date(timeIntervalSince1970: 1_795_430_245)

    @Test func addsNewURLsAndKeepsKnownOnes() throws {
        let t = try TempState()
        defer { t.remove() }
        let first = try t.store.addURLs([
            DiscoveredURL(url: "https://a/1", source: "a", kind: .sitemap, modifiedHint: "2026-01-01"),
            DiscoveredURL(url: "https://a/2", source: "a", kind: .feed, titleHint: "T2", publishedHint: "2026-11-23T08:00:00+03:30"),
        ], now: now)
        #expect(first == 2)
        // Known again: from a feed now (better priority), with the same lastmod (not due again).
        try t.store.recordURLFetch(URLFetchUpdate(url: "https://a/1", fetchedAt: now, httpStatus: 200, outcome: .added,
                                                  etag: "\"e1\"", lastModified: "Mon, 23 Nov 2026 08:00:00 GMT",
                                                  nextDue: now.addingTimeInterval(3600), revisitStep: 1, corpusFile: "000_x.txt"), source: "a")
        let second = try t.store.addURLs([DiscoveredURL(url: "https://a/1", source: "a", kind: .feed, titleHint: "T1", modifiedHint: "2026-01-01")], now: now)
        #expect(second == 0)
        var row = try #require(try t.store.frontierURL("https://a/1"))
        #expect(row.kind == .feed && row.priority == 1 && row.titleHint == "T1" && row.etag == "\"e1\"" && row.revisitStep == 1)
        #expect(row.nextDue == now.addingTimeInterval(3600) && row.corpusFile == "000_x.txt" && row.lastOutcome == .added)
        // The sitemap's lastmod moved: due again now.
        try t.store.addURLs([DiscoveredURL(url: "https://a/1", source: "a", kind: .sitemap, modifiedHint: "2026-02-02")], now: now)
        row = try #require(try t.store.frontierURL("https://a/1"))
        #expect(row.nextDue == now && row.modifiedHint == "2026-02-02" && row.kind == .feed)
    }

    @Test func dueURLsComeByPriorityThenAge() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.addURLs([DiscoveredURL(url: "https://a/backlog", source: "a", kind: .sitemap)], now: now, due: now.addingTimeInterval(-100))
        try t.store.addURLs([DiscoveredURL(url: "https://a/news", source: "a", kind: .newsSitemap)], now: now, due: now.addingTimeInterval(-10))
        try t.store.addURLs([DiscoveredURL(url: "https://b/feed", source: "b", kind: .feed)], now: now, due: now.addingTimeInterval(-50))
        try t.store.addURLs([DiscoveredURL(url: "https://a/later", source: "a", kind: .feed)], now: now, due: now.addingTimeInterval(60))
        #expect(try t.store.dueURLs(now: now, limit: 10).map(\.url) == ["https://b/feed", "https://a/news", "https://a/backlog"])
        #expect(try t.store.dueURLs(now: now, limit: 10, source: "a").map(\.url) == ["https://a/news", "https://a/backlog"])
        #expect(try t.store.dueURLs(now: now, limit: 1).map(\.url) == ["https://b/feed"])
        #expect(try t.store.frontierCounts(source: "a", now: now) == (total: 3, due: 2))
    }

    @Test func aManualFetchOfAnUnknownURLGetsARowAndValidatorsSurviveA304() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.recordURLFetch(URLFetchUpdate(url: "https://m/1", fetchedAt: now, httpStatus: 200, outcome: .added, etag: "W/\"1\"", nextDue: nil), source: "m")
        try t.store.recordURLFetch(URLFetchUpdate(url: "https://m/1", fetchedAt: now, httpStatus: 304, outcome: .notModified, nextDue: nil, attempts: 0), source: "m")
        let row = try #require(try t.store.frontierURL("https://m/1"))
        #expect(row.kind == .manual && row.etag == "W/\"1\"" && row.lastStatus == 304 && row.nextDue == nil)
    }

    @Test func sourcesChannelsAndTheDaemon() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.upsertSources([(name: "a", url: "https://a/"), (name: "b", url: "https://b/")], now: now)
        try t.store.upsertSources([(name: "a", url: "https://a2/")], now: now.addingTimeInterval(5))
        try t.store.recordPoll(source: "a", at: now, nextDue: now.addingTimeInterval(900), error: "DNS: no such host")
        try t.store.recordPoll(source: "a", at: now, nextDue: now.addingTimeInterval(900), error: "timeout after 30 s")
        var a = try #require(try t.store.source(named: "a"))
        #expect(a.url == "https://a2/" && a.firstSeen == now && a.consecutiveFailures == 2 && a.lastError == "timeout after 30 s")
        #expect(try t.store.dueSources(now: now).map(\.name) == ["b"])
        try t.store.recordPoll(source: "a", at: now, nextDue: now, error: nil)
        a = try #require(try t.store.source(named: "a"))
        #expect(a.consecutiveFailures == 0 && a.lastSuccess == now && a.lastError == "timeout after 30 s")
        // The adaptive interval survives in the state; a poll that gives none keeps it.
        #expect(a.pollInterval == nil)
        try t.store.recordPoll(source: "a", at: now, nextDue: now, error: nil, pollInterval: .milliseconds(675_500))
        #expect(try t.store.source(named: "a")?.pollInterval == .milliseconds(675_500))
        try t.store.recordPoll(source: "a", at: now, nextDue: now, error: "HTTP 503")
        #expect(try t.store.source(named: "a")?.pollInterval == .milliseconds(675_500))
        #expect(try t.store.sources().map(\.name) == ["a", "b"])

        try t.store.upsertChannel(url: "https://a/feed.xml", source: "a", kind: .feed, now: now)
        try t.store.recordChannelFetch(url: "https://a/feed.xml", at: now, status: 200, etag: "\"f\"", lastModified: nil, nextDue: now, error: nil)
        try t.store.recordChannelFetch(url: "https://a/feed.xml", at: now, status: 500, etag: nil, lastModified: nil, nextDue: now, error: "HTTP 500")
        let channel = try #require(try t.store.channel(url: "https://a/feed.xml"))
        #expect(channel.etag == "\"f\"" && channel.consecutiveFailures == 1 && channel.lastError == "HTTP 500" && channel.kind == .feed)
        #expect(try t.store.channels(source: "a").count == 1)

        try t.store.registerDaemon(pid: 4242, host: "h", at: now)
        try t.store.daemonHeartbeat(pid: 4242, at: now.addingTimeInterval(30))
        #expect(try t.store.daemon() == DaemonRow(pid: 4242, host: "h", started: now, heartbeat: now.addingTimeInterval(30)))
        try t.store.unregisterDaemon(pid: 1)
        #expect(try t.store.daemon() != nil)
        try t.store.unregisterDaemon(pid: 4242)
        #expect(try t.store.daemon() == nil)
    }
}

@Suite struct StatisticsTests {
    @Test func openingABigLogRefreshesThePlannerStatistics() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.record((0..<1_500).map { IngestEvent(time: Date(timeIntervalSince1970: Double($0) * 60), source: "s\($0 % 3)", outcome: $0 % 2 == 0 ? .added : .failed) })
        let before = try t.store.pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'") ?? false }
        #expect(!before)
        _ = try StateStore(path: t.path)
        let stat = try t.store.pool.read { db in try String.fetchOne(db, sql: "SELECT stat FROM sqlite_stat1 WHERE tbl = 'event' LIMIT 1") }
        let rows = stat?.split(separator: " ").first.flatMap { Int($0) } ?? 0
        #expect((1_000...3_000).contains(rows), "\(stat ?? "no statistics")")
        // The last day's footer then reads only that day's index entries.
        let plan = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT outcome, COUNT(*) FROM event WHERE ts >= ? GROUP BY outcome", arguments: [89_000_000]).map { $0["detail"] as String }
        }.joined()
        #expect(plan.contains("ts>?"), "\(plan)")
    }
}
