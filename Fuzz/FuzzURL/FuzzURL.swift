import FuzzSupport
@testable import KhabarDiscover
@testable import KhabarHTTP

/// Arbitrary text as URLs, hosts, addresses and dates, one per line (the first line is also the
/// base the others resolve against, and the homepage of a site policy built from the lines).
///
/// Checked, beyond "no crash, no leak, bounded time":
/// - `HTTPURL`: its text parses back to itself, also against any base; it is printable ASCII
///   without spaces; its parts agree with its text; `path?query` resolved against it is itself;
/// - `URLCanonicalizer`: idempotent, a fixed point of parsing, no tracking parameter left, the
///   same from text as from the parsed URL;
/// - libcurl's own parser (`URLParts`, what the HTTP client judges and connects with) reads the
///   same scheme, host, port, path and query from every `HTTPURL` — a disagreement would let the
///   policy approve one host while the client connects to another, or fetch another page;
/// - an IP host is an `IPAddress` the HTTP client reads back; an `IPAddress`'s text parses back to
///   it, and an IPv4-mapped address has the class of its IPv4 address;
/// - `SitePolicy` allows its own homepage and configured hosts, the same for text as for URLs;
///   `RegistrableDomain` is a suffix of the host and idempotent;
/// - a `PublicationDate` reads back from its own RFC 3339 text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    let lines = Array(text.split(separator: "\n", omittingEmptySubsequences: false).prefix(8))
    let base = lines.first.flatMap { HTTPURL($0) } ?? defaultBase

    var urls: [HTTPURL] = []
    for line in lines {
        if let u = HTTPURL(line, relativeTo: base) {
            checkURL(u)
            let c = URLCanonicalizer.canonical(u)
            check(URLCanonicalizer.canonical(c) == c, "canonical not idempotent: \(u) → \(c) → \(URLCanonicalizer.canonical(c))")
            check(HTTPURL(c.string) == c, "canonical \(c) does not parse back to itself")
            check(URLCanonicalizer.canonical(line, base: base) == c, "canonical from text differs for \(line.debugDescription)")
            check(!c.queryItems.contains { URLCanonicalizer.isTrackingParameter($0.name) }, "tracking parameter left in \(c)")
            _ = ArticleURLHeuristic.looksLikeArticle(c)
            urls.append(u)
        }
        if let d = PublicationDate.parse(line) {
            check(PublicationDate.parse(d.rfc3339) == d, "date \(d.rfc3339) from \(line.debugDescription) does not read back")
        }
        if line.utf8.count <= 100, let ip = IPAddress(String(line)) {
            check(IPAddress(ip.description) == ip, "address \(ip) does not read back")
            checkAddressClass(ip)
        }
    }

    // A policy from the lines: homepage, a feed, and the rest as allowed hosts.
    let strings = lines.map(String.init)
    let policy = SitePolicy(homepage: strings.first ?? "", feeds: Array(strings.dropFirst().prefix(1)),
                            allowedHosts: Array(strings.dropFirst(2)))
    if let home = HTTPURL(strings.first ?? "") { check(policy.allows(home), "policy refuses its homepage \(home)") }
    if strings.count > 1, let feed = HTTPURL(strings[1]) { check(policy.allows(feed), "policy refuses its feed \(feed)") }
    for u in urls {
        check(policy.allows(u.string) == policy.allows(u), "policy differs for text and URL: \(u)")
        let domain = RegistrableDomain.of(host: u.host)
        check(u.host == domain || u.host.hasSuffix("." + domain), "registrable domain \(domain) of \(u.host)")
        check(RegistrableDomain.of(host: domain) == domain, "registrable domain not idempotent: \(u.host) → \(domain)")
    }
    return 0
}

let defaultBase = HTTPURL("https://www.example.com/news/2024/story?id=1")!
let otherBase = HTTPURL("http://other.example.net:8080/x/y/z")!

func checkURL(_ u: HTTPURL) {
    check(HTTPURL(u.string) == u, "\(u) does not parse back to itself (got \(String(describing: HTTPURL(u.string))))")
    check(HTTPURL(u.string, relativeTo: otherBase) == u, "\(u) changes against another base")
    check(u.string.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "\(u.string.debugDescription) is not printable ASCII")
    var expected = u.scheme.rawValue + "://" + u.authority + u.path
    if let q = u.query { expected += "?" + q }
    check(expected == u.string, "parts of \(u) do not spell it")
    check(u.path.hasPrefix("/") && !u.host.isEmpty, "path or host of \(u)")
    check(u.port.map { $0 >= 0 && $0 <= 65_535 && $0 != u.scheme.defaultPort } ?? true, "port of \(u)")
    let local = u.path + (u.query.map { "?" + $0 } ?? "")
    // (A path starting `//` cannot be written as a path-absolute reference: it reads as a host.)
    if !u.path.hasPrefix("//") {
        check(HTTPURL(local, relativeTo: u) == u, "\(local) against \(u) is not \(u)")
    }

    // libcurl must read the host Khabar judged.
    guard let parts = URLParts(u.string) else {
        check(false, "libcurl cannot parse \(u)")
        return
    }
    let host = u.host.hasPrefix("[") ? String(u.host.dropFirst().dropLast()) : u.host
    check(parts.scheme == u.scheme.rawValue && parts.host == host && parts.port == (u.port ?? u.scheme.defaultPort),
          "libcurl reads \(parts.scheme)://\(parts.host):\(parts.port) from \(u)")
    // …and request the resource Khabar canonicalised (robots.txt rules and revisits are about it).
    check(parts.pathAndQuery == local, "libcurl requests \(parts.pathAndQuery) for \(u)")
    if HostName.isIPAddress(u.host) {
        check(IPAddress(u.host) != nil, "IP host \(u.host) is not an address to the HTTP client")
    }
}

/// An IPv4-mapped IPv6 address is judged as its IPv4 address.
func checkAddressClass(_ ip: IPAddress) {
    let cls = ip.nonPublicClass
    if let c = cls { check(!c.isEmpty && isOneLine(c), "class \(c.debugDescription)") }
    guard ip.isV4, let mapped = IPAddress(bytes: [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + ip.bytes) else { return }
    check(mapped.nonPublicClass == cls.map { "IPv4-mapped \($0)" }, "\(mapped) is \(String(describing: mapped.nonPublicClass)), \(ip) is \(String(describing: cls))")
}

@_cdecl("FuzzURL_main")
public func fuzzURLMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzURL)
}
