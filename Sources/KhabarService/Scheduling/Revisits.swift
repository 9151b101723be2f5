import Foundation

/// When to fetch a recently added article again, to catch edits (a changed text becomes a
/// revision through the corpus): at the configured `revisit` offsets after it was added
/// (default 1 h, 6 h, 24 h, 72 h).
///
/// Stateless given two facts the frontier keeps — when the article was added and when it was
/// last fetched — so a daemon that was down through several revisit times fetches the article
/// once when it comes back, not once per missed offset, and then carries on with the next
/// offset still ahead.
public struct RevisitPlan: Sendable, Equatable {
    /// Offsets after the article was added, ascending, duplicates and non-positive ones dropped.
    public let offsets: [Duration]

    public init(offsets: [Duration]) {
        self.offsets = Array(Set(offsets.filter { $0 > .zero })).sorted()
    }

    public init(daemon: DaemonSettings) {
        self.init(offsets: daemon.revisit)
    }

    /// Every revisit time of an article added at `addedAt`.
    public func times(addedAt: Date) -> [Date] {
        offsets.map { addedAt.addingTimeInterval(ScheduleMath.seconds($0)) }
    }

    /// The next revisit: the first revisit time after `lastFetched`. Nil when no revisit is left
    /// (the article is then only fetched again if discovery lists it as new). A time in the past
    /// means due now.
    public func nextRevisit(addedAt: Date, lastFetched: Date) -> Date? {
        times(addedAt: addedAt).first { $0 > lastFetched }
    }
}
