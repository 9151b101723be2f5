/// Which URLs belong to a source: the links discovery may follow and the canonical URLs that
/// may name an article's identity (docs/DESIGN.md, "Defaults that protect others and us").
///
/// A source's own site is:
/// - every host on the registrable domain of its homepage (`https://www.example.com/` owns
///   `news.example.com` and `example.com`, not `example.net`);
/// - the exact hosts of its configured feeds, sitemaps and listing pages (a feed on
///   `feeds.example.net` trusts that host, not all of `example.net`);
/// - its `allowed_hosts`, each an exact host; written `*.example.net` or `.example.net`, that
///   domain and every host below it.
///
/// Only `http` and `https` are ever allowed (an `HTTPURL` cannot be anything else). Whether a
/// host resolves to a private address is the HTTP layer's check, at connect time, not this one's.
public struct SitePolicy: Sendable, Equatable {
    /// Registrable domains all of whose hosts are the source's own.
    public let domains: Set<String>
    /// Exact hosts that are the source's own.
    public let hosts: Set<String>
    /// Domains that, with every host below them, are the source's own (`*.x` in allowed_hosts).
    public let domainWildcards: Set<String>

    /// Builds the policy from a source's configuration (strings as in `SourceSettings`).
    /// Entries that are not valid http(s) URLs or host names are ignored: the configuration
    /// loader has already refused them with a message.
    public init(homepage: String, feeds: [String] = [], sitemaps: [String] = [], listingPages: [String] = [],
                allowedHosts: [String] = []) {
        var domains = Set<String>()
        var hosts = Set<String>()
        var wildcards = Set<String>()
        if let home = HTTPURL(homepage) {
            domains.insert(RegistrableDomain.of(host: home.host))
            hosts.insert(home.host)
        }
        for configured in feeds + sitemaps + listingPages {
            if let url = HTTPURL(configured) { hosts.insert(url.host) }
        }
        for entry in allowedHosts {
            var name = Substring(entry)
            var wildcard = false
            if name.hasPrefix("*.") { name = name.dropFirst(2); wildcard = true } else if name.hasPrefix(".") { name = name.dropFirst(); wildcard = true }
            guard let host = HostName.canonical(Array(name.utf8)[...]) else { continue }
            if wildcard { wildcards.insert(host) } else { hosts.insert(host) }
        }
        self.domains = domains
        self.hosts = hosts
        self.domainWildcards = wildcards
    }

    /// True when `host` (canonical form, as in `HTTPURL.host`) is the source's own.
    public func isOwn(host: String) -> Bool {
        if hosts.contains(host) { return true }
        if !domains.isEmpty && domains.contains(RegistrableDomain.of(host: host)) { return true }
        for domain in domainWildcards where host == domain || host.hasSuffix("." + domain) { return true }
        return false
    }

    /// True when discovery may follow `url`: http(s) on one of the source's own hosts.
    public func allows(_ url: HTTPURL) -> Bool { isOwn(host: url.host) }

    /// `allows` for text; false when `text` is not an absolute http(s) URL.
    public func allows(_ text: some StringProtocol) -> Bool {
        HTTPURL(text).map(allows) ?? false
    }
}
