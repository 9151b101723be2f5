import Foundation

/// How a URL entered the frontier. Discovery channels differ in how fresh what they list is.
public enum URLOrigin: String, Sendable, Equatable, CaseIterable {
    /// An RSS/Atom entry.
    case feed
    /// An entry of a Google News sitemap (at most two days old by Google's rules).
    case newsSitemap
    /// A link on a listing or section page (what a section shows is current).
    case listingPage
    /// An article added earlier, fetched again at a revisit offset.
    case revisit
    /// An entry of an ordinary sitemap: mostly the archive.
    case sitemap
    /// A URL an operator asked for (`khabar fetch`).
    case manual
}

/// A URL the frontier says is due, with what ordering needs to know.
public struct DueURL: Sendable, Equatable {
    public var url: String
    public var origin: URLOrigin
    /// The publication (or, for sitemaps, last-modification) time discovery gave, if any.
    public var published: Date?
    /// When the frontier first saw the URL.
    public var discovered: Date

    public init(url: String, origin: URLOrigin, published: Date? = nil, discovered: Date) {
        self.url = url
        self.origin = origin
        self.published = published
        self.discovered = discovered
    }
}

/// The order in which due URLs are fetched: fresh items before the sitemap backlog.
///
/// 1. **Fresh** — operator requests, feed and news-sitemap entries, listing-page links, and
///    ordinary sitemap entries dated within `freshWindow` (a sitemap's `lastmod` of an hour ago is
///    as fresh as a feed's);
/// 2. **Revisits** — re-fetches of recently added articles (conditional requests, cheap);
/// 3. **Backlog** — the rest of the sitemaps: older or undated entries.
///
/// Within a class, newest publication first (undated after dated), then the earliest discovered,
/// then the URL, so the order is total and the same on every run. The key is a plain value, so
/// the frontier can sort in memory or mirror it in SQL (`class, published DESC NULLS LAST,
/// discovered, url`).
public struct DueOrder: Sendable {
    public enum Class: Int, Sendable, Comparable {
        case fresh = 0, revisit = 1, backlog = 2

        public static func < (a: Class, b: Class) -> Bool { a.rawValue < b.rawValue }
    }

    /// How recent a dated sitemap entry must be to count as fresh.
    public var freshWindow: Duration = .seconds(48 * 3_600)

    public init() {}

    public func priorityClass(of item: DueURL, now: Date) -> Class {
        switch item.origin {
        case .manual, .feed, .newsSitemap, .listingPage:
            return .fresh
        case .revisit:
            return .revisit
        case .sitemap:
            if let published = item.published, now.timeIntervalSince(published) <= ScheduleMath.seconds(freshWindow) { return .fresh }
            return .backlog
        }
    }

    /// True when `a` is fetched before `b`.
    public func precedes(_ a: DueURL, _ b: DueURL, now: Date) -> Bool {
        let ca = priorityClass(of: a, now: now), cb = priorityClass(of: b, now: now)
        if ca != cb { return ca < cb }
        switch (a.published, b.published) {
        case let (x?, y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        if a.discovered != b.discovered { return a.discovered < b.discovered }
        return a.url < b.url
    }

    public func sorted(_ items: [DueURL], now: Date) -> [DueURL] {
        items.sorted { precedes($0, $1, now: now) }
    }
}
