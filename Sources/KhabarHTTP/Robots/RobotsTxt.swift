/// A robots.txt file as it applies to one crawler, per RFC 9309.
///
/// - Group selection: the groups whose `User-agent` names our product token (case-insensitively)
///   are merged; when none does, the `*` groups are; when there are none, everything is allowed.
/// - Matching: the longest matching pattern wins; between an `Allow` and a `Disallow` of the same
///   length, `Allow` wins. `*` matches any run of characters, a final `$` the end of the path.
///   Paths and patterns are compared after percent-normalisation (unreserved characters decoded,
///   escapes in upper case, bytes outside ASCII escaped), so `/اخبار/` in the file matches the
///   escaped path libcurl sends.
/// - `/robots.txt` itself is always allowed.
/// - `Crawl-delay` (not in the RFC, widely used) and `Sitemap` lines are read too.
public struct RobotsTxt: Sendable, Equatable {
    public struct Rule: Sendable, Equatable, CustomStringConvertible {
        public var allow: Bool
        /// Normalised pattern bytes.
        var pattern: [UInt8]
        /// As written in the file.
        public var text: String

        public var description: String { "\(allow ? "Allow" : "Disallow"): \(text)" }
    }

    /// The rules of the selected groups, in file order.
    public private(set) var rules: [Rule]
    /// The selected groups' `Crawl-delay`, if any.
    public private(set) var crawlDelay: Duration?
    /// Every `Sitemap:` value, in file order, duplicates removed. Any group, or none: they are global.
    public private(set) var sitemaps: [String]

    /// No rules: everything allowed (also what a 4xx robots.txt means).
    public static let allowAll = RobotsTxt(rules: [], crawlDelay: nil, sitemaps: [])

    /// Rules beyond these are ignored: a hostile file cannot make each URL check expensive.
    static let maxRules = 10_000
    static let maxPatternBytes = 2_048

    init(rules: [Rule], crawlDelay: Duration?, sitemaps: [String]) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// Parses a robots.txt body for the crawler named `productToken` (e.g. `khabar`). Never fails:
    /// lines that are not rules are skipped, as the RFC asks.
    public init(parsing body: [UInt8], productToken: String) {
        let token = productToken.lowercased()
        var groups: [Group] = []
        var current: Int?
        var lastLineWasAgent = false
        var sitemaps: [String] = []
        var seenSitemaps = Set<String>()

        for (key, value) in Self.lines(body) {
            switch key {
            case .userAgent:
                if current == nil || !lastLineWasAgent {
                    groups.append(Group())
                    current = groups.count - 1
                }
                if let c = current { groups[c].agents.append(Self.agentToken(value)) }
                lastLineWasAgent = true
            case .allow, .disallow:
                lastLineWasAgent = false
                guard let c = current, !value.isEmpty, value.count <= Self.maxPatternBytes,
                      groups[c].rules.count < Self.maxRules else { continue }
                let text = String(decoding: value, as: UTF8.self)
                groups[c].rules.append(Rule(allow: key == .allow, pattern: Self.normalize(value), text: text))
            case .crawlDelay:
                lastLineWasAgent = false
                guard let c = current, groups[c].crawlDelay == nil,
                      let seconds = Double(String(decoding: value, as: UTF8.self)), seconds.isFinite, seconds >= 0
                else { continue }
                groups[c].crawlDelay = .milliseconds(Int64(min(seconds, 86_400) * 1000))
            case .sitemap:
                let url = String(decoding: value, as: UTF8.self)
                if !url.isEmpty, sitemaps.count < 10_000, seenSitemaps.insert(url).inserted { sitemaps.append(url) }
            }
        }

        var selected = groups.filter { $0.agents.contains(token) }
        if selected.isEmpty { selected = groups.filter { $0.agents.contains("*") } }
        self.rules = Array(selected.flatMap(\.rules).prefix(Self.maxRules))
        self.crawlDelay = selected.lazy.compactMap(\.crawlDelay).first
        self.sitemaps = sitemaps
    }

    /// Whether a path (with its query, as sent: `/a/b?c`) may be fetched, and the rule that decided
    /// (nil when no rule matched).
    public func decision(for pathAndQuery: String) -> (allowed: Bool, rule: Rule?) {
        if pathAndQuery == "/robots.txt" { return (true, nil) }
        let path = Self.normalize(Array(pathAndQuery.utf8))
        var best: Rule?
        for rule in rules where Self.matches(path, rule.pattern) {
            guard let b = best else { best = rule; continue }
            if rule.pattern.count > b.pattern.count || (rule.pattern.count == b.pattern.count && rule.allow && !b.allow) {
                best = rule
            }
        }
        return (best?.allow ?? true, best)
    }

    public func isAllowed(_ pathAndQuery: String) -> Bool { decision(for: pathAndQuery).allowed }

    // MARK: Parsing

    private struct Group {
        var agents: [String] = []
        var rules: [Rule] = []
        var crawlDelay: Duration?
    }

    private enum Key { case userAgent, allow, disallow, crawlDelay, sitemap }

    /// Key/value pairs of the lines that matter; comments and unknown keys dropped. A few common
    /// misspellings are accepted, as the large crawlers do.
    private static func lines(_ body: [UInt8]) -> [(Key, [UInt8])] {
        var out: [(Key, [UInt8])] = []
        var start = 0
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var i = start
        func take(_ line: ArraySlice<UInt8>) {
            var l = line
            if let hash = l.firstIndex(of: UInt8(ascii: "#")) { l = l[..<hash] }
            guard let colon = l.firstIndex(of: UInt8(ascii: ":")) else { return }
            let rawKey = trim(l[..<colon]).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
            let key: Key
            switch String(decoding: rawKey, as: UTF8.self) {
            case "user-agent", "useragent", "user agent": key = .userAgent
            case "allow": key = .allow
            case "disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw": key = .disallow
            case "crawl-delay", "crawldelay", "crawl delay": key = .crawlDelay
            case "sitemap", "site-map": key = .sitemap
            default: return
            }
            out.append((key, Array(trim(l[(colon + 1)...]))))
        }
        while i < body.count {
            var j = i
            while j < body.count, body[j] != 0x0A, body[j] != 0x0D { j += 1 }
            take(body[i..<j])
            i = j + 1
        }
        return out
    }

    private static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return s
    }

    /// The product token a `User-agent` value names: its leading letters, `_` and `-`, lower case
    /// (`Googlebot/2.1` → `googlebot`), or `*`.
    private static func agentToken(_ value: [UInt8]) -> String {
        if value.first == UInt8(ascii: "*") { return "*" }
        let token = value.prefix { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
        return String(decoding: token, as: UTF8.self).lowercased()
    }

    // MARK: Matching

    /// RFC 9309 §2.2.2 normalisation: `%XX` of unreserved characters decoded, other escapes in upper
    /// case, bytes outside printable ASCII escaped.
    static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let hex = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                let v = hi << 4 | lo
                if isUnreserved(v) {
                    out.append(v)
                } else {
                    out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(hi)], hex[Int(lo)]])
                }
                i += 3
                continue
            }
            if b >= 0x80 || b <= 0x20 || b == 0x7F {
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    /// Prefix match with `*` and a final `$`. Wildcard patterns track the set of path positions
    /// reachable so far (linear in pattern × path, no backtracking blow-up).
    static func matches(_ path: [UInt8], _ pattern: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*"), dollar = UInt8(ascii: "$")
        let anchored = pattern.last == dollar
        let body = anchored ? pattern.dropLast() : pattern[...]
        if !body.contains(star) {
            guard path.count >= body.count, path.starts(with: body) else { return false }
            return !anchored || path.count == body.count
        }
        // reachable[k]: the pattern so far can end at path position k.
        var reachable = [Bool](repeating: false, count: path.count + 1)
        reachable[0] = true
        var lowest = 0
        for c in body {
            if c == star {
                for k in lowest...path.count { reachable[k] = true }
                continue
            }
            var any = false
            var newLowest = path.count + 1
            var k = path.count
            while k > lowest {
                let hit = reachable[k - 1] && path[k - 1] == c
                reachable[k] = hit
                if hit { any = true; newLowest = k }
                k -= 1
            }
            reachable[lowest] = false
            guard any else { return false }
            lowest = newLowest
        }
        return anchored ? reachable[path.count] : true
    }
}
