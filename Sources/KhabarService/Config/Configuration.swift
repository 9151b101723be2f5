import Foundation

/// What `near_duplicates` says to do with a text whose near-duplicate fingerprint is close to an earlier one.
public enum NearDuplicatePolicy: String, Sendable, Equatable, CaseIterable {
    /// Record a `near_duplicate` event and add no file.
    case skip
    /// Add the file, naming the earlier one in `near_duplicate_of`.
    case keep
}

/// The `[daemon]` table: settings shared by every source. Defaults are the documented ones
/// (docs/DESIGN.md, "Configuration"), so an empty table runs as documented.
public struct DaemonSettings: Sendable, Equatable {
    public var corpusDir = "state/corpus"
    public var stateDB = "state/khabar.sqlite"
    public var userAgent = "Khabar/0.1 (+https://example.org/khabar)"
    /// Requests in flight over all hosts.
    public var maxConcurrency = 16
    public var perHostConcurrency = 2
    /// The least time between two requests to one host; robots.txt `Crawl-delay` raises it.
    public var perHostDelay: Duration = .seconds(1)
    /// Bounds one attempt, connect to last byte.
    public var timeout: Duration = .seconds(30)
    /// Attempts per request, retries with backoff included (network errors, 408, 429, 5xx).
    public var maxAttempts = 4
    /// Whether discovered links may reach loopback, private and link-local addresses.
    public var allowPrivateAddresses = false
    /// The body limit, after decompression.
    public var maxPageBytes: Int64 = 5_000_000
    /// Extractions shorter than this (in characters) are not articles.
    public var minChars = 300
    /// Fingerprint Hamming distance for near-duplicates; 0 disables the check.
    public var nearDuplicateDistance = 3
    public var nearDuplicates: NearDuplicatePolicy = .skip
    /// Offsets after an article was added at which it is fetched again to catch edits.
    public var revisit: [Duration] = [.seconds(3_600), .seconds(21_600), .seconds(86_400), .seconds(259_200)]

    public init() {}
}

/// One `[[source]]` table: a publisher Khabar polls.
public struct SourceSettings: Sendable, Equatable {
    public var name: String
    /// The homepage; feeds and sitemaps are discovered from it.
    public var url: String
    public var feeds: [String] = []
    public var sitemaps: [String] = []
    public var listingPages: [String] = []
    /// Other hosts whose links count as the source's own (beyond its registrable domain).
    public var allowedHosts: [String] = []
    /// A regular expression (NSRegularExpression syntax) an article URL must match; nil: any.
    public var articleURLPattern: String?
    public var interval: Duration = .seconds(900)
    /// Keep only texts in these languages (ISO 639 codes); empty: all.
    public var languages: [String] = []
    /// Keep only texts containing any of these (matched on folded text); empty: all.
    public var includeAny: [String] = []
    /// Drop texts containing any of these.
    public var excludeAny: [String] = []

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }
}

/// A loaded, validated configuration.
public struct Configuration: Sendable, Equatable {
    /// The file it was read from, as given.
    public var path: String
    public var daemon: DaemonSettings
    public var sources: [SourceSettings]

    public init(path: String, daemon: DaemonSettings = DaemonSettings(), sources: [SourceSettings]) {
        self.path = path
        self.daemon = daemon
        self.sources = sources
    }

    public func source(named name: String) -> SourceSettings? {
        sources.first { $0.name == name }
    }
}

/// One thing wrong with a configuration file, with where it is.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, for syntax errors.
    public var column: Int?
    /// The table and key, such as `[daemon] timeout` or `source "roayah" interval`.
    public var key: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `FILE:LINE: KEY: MESSAGE`, the parts that are known.
    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        if let column { where_ += ":\(column)" }
        if let key { return "\(where_): \(key): \(message)" }
        return "\(where_): \(message)"
    }
}

/// Every issue found in a configuration file. Loading reports them all at once, so an operator
/// fixes a file in one round.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ConfigIssue]
    public init(issues: [ConfigIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
