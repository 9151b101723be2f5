import Foundation
import KhabarTestSupport
import Testing
@testable import KhabarService

private let t0 = Date(timeIntervalSince1970: 1_700_000_000)
private func minutes(_ m: Double) -> Duration { .seconds(m * 60) }
private func seconds(_ d: Duration) -> Double { ScheduleMath.seconds(d) }

@Suite struct SchedulingPollTests {
    let policy = PollPolicy(interval: .seconds(900))

    @Test func aNewSourceIsDueAtOnce() {
        let s = policy.initial(now: t0)
        #expect(s.nextPoll == t0)
        #expect(s.isDue(at: t0))
        #expect(!s.isDue(at: t0.addingTimeInterval(-1)))
        #expect(s.currentInterval == .seconds(900))
        #expect(s.consecutiveFailures == 0)
    }

    @Test func jitterStaysWithinTenPercentAndSpreads() {
        var rng = SeededRandom(seed: 7)
        var lowest = Double.infinity, highest = -Double.infinity
        for _ in 0..<10_000 {
            let f = seconds(policy.jittered(.seconds(1_000), using: &rng)) / 1_000
            lowest = min(lowest, f)
            highest = max(highest, f)
        }
        #expect(lowest >= 0.9 && lowest < 0.905)
        #expect(highest <= 1.1 && highest > 1.095)
        var none = policy
        none.jitter = 0
        #expect(none.jittered(.seconds(1_000), using: &rng) == .seconds(1_000))
    }

    @Test func nextPollIsTheIntervalPlusJitter() {
        var rng = SeededRandom(seed: 1)
        let s = policy.next(after: policy.initial(now: t0), outcome: .succeeded(newArticles: 0), now: t0, using: &rng)
        // No new articles: the interval grew to 18m45s; the due time is that ±10 %.
        #expect(s.currentInterval == .seconds(1_125))
        let wait = s.nextPoll.timeIntervalSince(t0)
        #expect(wait >= 1_125 * 0.9 && wait <= 1_125 * 1.1)
        // The same seed gives the same schedule.
        var again = SeededRandom(seed: 1)
        #expect(policy.next(after: policy.initial(now: t0), outcome: .succeeded(newArticles: 0), now: t0, using: &again) == s)
    }

    @Test func productivePollsShortenTheIntervalDownToAQuarter() {
        var rng = SeededRandom(seed: 2)
        var s = policy.initial(now: t0)
        var seen: [Double] = []
        for _ in 0..<8 {
            s = policy.next(after: s, outcome: .succeeded(newArticles: 3), now: t0, using: &rng)
            seen.append(seconds(s.currentInterval))
        }
        #expect(seen.prefix(4).map { ($0 * 1_000).rounded() / 1_000 } == [675, 506.25, 379.688, 284.766].map { ($0 * 1_000).rounded() / 1_000 })
        #expect(seen.last == 225)          // interval / 4
        #expect(seen.allSatisfy { $0 >= 225 })
    }

    @Test func quietPollsLengthenTheIntervalUpToFourTimes() {
        var rng = SeededRandom(seed: 3)
        var s = policy.initial(now: t0)
        for _ in 0..<20 { s = policy.next(after: s, outcome: .succeeded(newArticles: 0), now: t0, using: &rng) }
        #expect(s.currentInterval == .seconds(3_600))   // interval × 4
        let wait = s.nextPoll.timeIntervalSince(t0)
        #expect(wait >= 3_240 && wait <= 3_960)
        // One productive poll brings it back down.
        s = policy.next(after: s, outcome: .succeeded(newArticles: 1), now: t0, using: &rng)
        #expect(s.currentInterval == .seconds(2_700))
    }

    @Test func failuresBackOffExponentiallyToSixHours() {
        var rng = SeededRandom(seed: 5)
        var exact = policy
        exact.jitter = 0
        var s = exact.initial(now: t0)
        var waits: [Double] = []
        for _ in 0..<8 {
            s = exact.next(after: s, outcome: .failed, now: t0, using: &rng)
            waits.append((s.nextPoll.timeIntervalSince(t0) / 60).rounded())
        }
        #expect(waits == [30, 60, 120, 240, 360, 360, 360, 360])
        // With jitter, each wait stays within ±10 % of those.
        var jittered = policy.initial(now: t0)
        for expected in [30.0, 60, 120, 240, 360, 360] {
            jittered = policy.next(after: jittered, outcome: .failed, now: t0, using: &rng)
            let wait = jittered.nextPoll.timeIntervalSince(t0) / 60
            #expect(wait >= expected * 0.9 && wait <= expected * 1.1)
        }
        #expect(s.consecutiveFailures == 8)
        #expect(s.currentInterval == .seconds(900))   // backoff does not touch the adaptive interval
        // The first success resets the count.
        s = exact.next(after: s, outcome: .succeeded(newArticles: 0), now: t0, using: &rng)
        #expect(s.consecutiveFailures == 0)
        #expect((s.nextPoll.timeIntervalSince(t0) / 60).rounded() == 19)   // 18m45s
    }

    @Test func aFailingSourceIsNeverPolledMoreOftenThanAHealthyOne() {
        let daily = PollPolicy(interval: .seconds(86_400))
        #expect(daily.backoff(current: .seconds(86_400), failures: 1) == .seconds(86_400))
        #expect(daily.backoff(current: .seconds(86_400), failures: 30) == .seconds(86_400))
        #expect(policy.backoff(current: .seconds(900), failures: 1_000_000) == .seconds(21_600))
        #expect(policy.backoff(current: .seconds(900), failures: 0) == .seconds(900))
    }

    @Test func aStoredIntervalOutsideTheNewBoundsIsClamped() {
        // The operator lowered `interval` from 1h to 15m: a stored 3h interval is out of range.
        var rng = SeededRandom(seed: 4)
        let stale = SourceSchedule(currentInterval: .seconds(10_800), nextPoll: t0)
        let s = policy.next(after: stale, outcome: .succeeded(newArticles: 0), now: t0, using: &rng)
        #expect(s.currentInterval == .seconds(3_600))
    }

    @Test func builtFromSourceSettings() {
        var source = SourceSettings(name: "roayah", url: "https://roayahnews.com/")
        source.interval = .seconds(600)
        let p = PollPolicy(source: source)
        #expect(p.interval == .seconds(600))
        #expect(p.minInterval == .seconds(150))
        #expect(p.maxInterval == .seconds(2_400))
        #expect(PollPolicy(interval: .zero).interval == .seconds(1))
    }
}

@Suite struct SchedulingRevisitTests {
    let plan = RevisitPlan(daemon: DaemonSettings())

    @Test func defaultOffsetsFromTheConfiguration() {
        #expect(plan.offsets == [.seconds(3_600), .seconds(21_600), .seconds(86_400), .seconds(259_200)])
        #expect(plan.times(addedAt: t0).map { $0.timeIntervalSince(t0) / 3_600 } == [1, 6, 24, 72])
    }

    @Test func eachRevisitFollowsTheLastFetch() {
        let added = t0
        var fetched = added
        var visits: [Double] = []
        while let next = plan.nextRevisit(addedAt: added, lastFetched: fetched) {
            visits.append(next.timeIntervalSince(added) / 3_600)
            fetched = next
        }
        #expect(visits == [1, 6, 24, 72])
    }

    @Test func missedRevisitsCollapseIntoOne() {
        // Down from 30 min to 30 h after the article was added: one revisit now, then 72 h.
        let back = t0.addingTimeInterval(30 * 3_600)
        let due = plan.nextRevisit(addedAt: t0, lastFetched: t0.addingTimeInterval(1_800))
        #expect(due == t0.addingTimeInterval(3_600))     // in the past: due at once
        #expect(plan.nextRevisit(addedAt: t0, lastFetched: back) == t0.addingTimeInterval(72 * 3_600))
        #expect(plan.nextRevisit(addedAt: t0, lastFetched: t0.addingTimeInterval(73 * 3_600)) == nil)
    }

    @Test func offsetsAreSortedAndCleaned() {
        let p = RevisitPlan(offsets: [.seconds(86_400), .seconds(3_600), .zero, .seconds(-5), .seconds(3_600)])
        #expect(p.offsets == [.seconds(3_600), .seconds(86_400)])
        #expect(RevisitPlan(offsets: []).nextRevisit(addedAt: t0, lastFetched: t0) == nil)
    }
}

@Suite struct SchedulingDueOrderTests {
    let order = DueOrder()

    func item(_ url: String, _ origin: URLOrigin, hoursAgo: Double? = nil, discovered: Double = 0) -> DueURL {
        DueURL(url: url, origin: origin, published: hoursAgo.map { t0.addingTimeInterval(-$0 * 3_600) },
               discovered: t0.addingTimeInterval(discovered))
    }

    @Test func classes() {
        #expect(order.priorityClass(of: item("a", .feed, hoursAgo: 500), now: t0) == .fresh)
        #expect(order.priorityClass(of: item("a", .newsSitemap), now: t0) == .fresh)
        #expect(order.priorityClass(of: item("a", .listingPage), now: t0) == .fresh)
        #expect(order.priorityClass(of: item("a", .manual), now: t0) == .fresh)
        #expect(order.priorityClass(of: item("a", .revisit), now: t0) == .revisit)
        #expect(order.priorityClass(of: item("a", .sitemap, hoursAgo: 47), now: t0) == .fresh)
        #expect(order.priorityClass(of: item("a", .sitemap, hoursAgo: 49), now: t0) == .backlog)
        #expect(order.priorityClass(of: item("a", .sitemap), now: t0) == .backlog)
    }

    @Test func freshBeforeRevisitsBeforeBacklogNewestFirst() {
        let items = [
            item("sitemap-old", .sitemap, hoursAgo: 24 * 400),
            item("sitemap-undated-b", .sitemap, discovered: 5),
            item("revisit", .revisit, hoursAgo: 6),
            item("feed-2h", .feed, hoursAgo: 2),
            item("sitemap-undated-a", .sitemap, discovered: 5),
            item("news-1h", .newsSitemap, hoursAgo: 1),
            item("listing-undated", .listingPage, discovered: 1),
            item("sitemap-3h", .sitemap, hoursAgo: 3),
            item("sitemap-undated-early", .sitemap, discovered: 0),
            item("feed-30d", .feed, hoursAgo: 24 * 30),
        ]
        #expect(order.sorted(items, now: t0).map(\.url) == [
            "news-1h", "feed-2h", "sitemap-3h", "feed-30d", "listing-undated",
            "revisit",
            "sitemap-old", "sitemap-undated-early", "sitemap-undated-a", "sitemap-undated-b",
        ])
    }

    @Test func theOrderIsTotal() {
        let a = item("https://e.com/a", .feed, hoursAgo: 1)
        let b = item("https://e.com/b", .feed, hoursAgo: 1)
        #expect(order.precedes(a, b, now: t0))
        #expect(!order.precedes(b, a, now: t0))
        #expect(!order.precedes(a, a, now: t0))
    }
}
