import Foundation
import Testing
@testable import KhabarHTTP

@Suite("address classification")
struct AddressPolicyTests {
    @Test("non-public addresses are named, public ones pass", arguments: [
        ("127.0.0.1", "loopback"), ("127.5.6.7", "loopback"), ("10.1.2.3", "private"),
        ("172.16.0.1", "private"), ("172.31.255.255", "private"), ("192.168.1.1", "private"),
        ("100.64.0.1", "shared (CGNAT)"), ("100.127.255.254", "shared (CGNAT)"),
        ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"), ("255.255.255.255", "reserved"), ("240.0.0.1", "reserved"),
        ("::1", "loopback"), ("::", "unspecified"), ("fc00::1", "unique local"), ("fd12:3456::1", "unique local"),
        ("fe80::1", "link-local"), ("fe80::1%eth0", "link-local"), ("ff02::1", "multicast"),
        ("::ffff:169.254.169.254", "IPv4-mapped link-local"), ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
        ("::ffff:10.0.0.1", "IPv4-mapped private"), ("64:ff9b::a9fe:a9fe", "NAT64 link-local"),
        ("2002:a9fe:a9fe::1", "6to4 link-local"), ("[::1]", "loopback"),
    ])
    func nonPublic(address: String, expected: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(ip.nonPublicClass == expected)
    }

    @Test("public addresses", arguments: [
        "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
        "169.253.1.1", "192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2a00:1450::1",
    ])
    func publicAddress(address: String) throws {
        let ip = try #require(IPAddress(address))
        #expect(ip.nonPublicClass == nil)
    }

    @Test("host names and junk are not addresses")
    func notAddresses() {
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("") == nil)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("256.1.1.1") == nil)
    }

    @Test("addresses print in their usual form")
    func printing() {
        #expect(IPAddress("169.254.169.254")?.description == "169.254.169.254")
        #expect(IPAddress("::ffff:169.254.169.254")?.description == "::ffff:169.254.169.254")
        #expect(IPAddress("fd00:0:0::1")?.description == "fd00::1")
    }
}

@Suite("URL parts (libcurl's parser)")
struct URLPartsTests {
    @Test("scheme and host lower-cased, default ports filled in, origin without default port")
    func basics() throws {
        let p = try #require(URLParts("HTTPS://News.Example.COM/a/b?c=d#frag"))
        #expect(p.scheme == "https")
        #expect(p.host == "news.example.com")
        #expect(p.port == 443)
        #expect(p.pathAndQuery == "/a/b?c=d")
        #expect(p.origin == "https://news.example.com")
        #expect(p.robotsURL == "https://news.example.com/robots.txt")
        let q = try #require(URLParts("http://127.0.0.1:8080"))
        #expect(q.pathAndQuery == "/")
        #expect(q.origin == "http://127.0.0.1:8080")
        let v6 = try #require(URLParts("http://[::1]:81/x"))
        #expect(v6.host == "::1")
        #expect(v6.origin == "http://[::1]:81")
    }

    @Test("raw UTF-8 and spaces in the path are percent-encoded, the host kept")
    func escaping() throws {
        let p = try #require(URLParts("https://example.com/اخبار/a b?q=روسيا"))
        #expect(p.pathAndQuery == "/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/a%20b?q=%D8%B1%D9%88%D8%B3%D9%8A%D8%A7")
        #expect(p.host == "example.com")
        let escaped = try #require(URLParts("https://example.com/%D8%A7?x=%20"))
        #expect(escaped.pathAndQuery == "/%D8%A7?x=%20", "existing escapes are left alone")
    }

    @Test("not absolute URLs", arguments: ["", "example.com/a", "/relative", "http://", "http://exa mple.com/",
                                            "http://a\u{0}b/", "javascript:alert(1)"])
    func invalid(text: String) {
        let p = URLParts(text)
        #expect(p == nil || p?.isWeb == false)
    }

    @Test("other schemes parse but are not web URLs")
    func otherSchemes() throws {
        #expect(try #require(URLParts("ftp://example.com/x")).isWeb == false)
        #expect(URLParts("file:///etc/passwd")?.isWeb != true)
    }
}

@Suite("retry timing")
struct RetryTests {
    @Test("Retry-After in seconds")
    func seconds() {
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .zero)
        #expect(RetryAfter.parse("soon") == nil)
        #expect(RetryAfter.parse("-5") == nil)
        #expect(RetryAfter.parse(nil) == nil)
        #expect(RetryAfter.parse("99999999999999999999") != nil, "absurd values saturate instead of failing")
    }

    @Test("Retry-After as an HTTP-date in all three forms")
    func dates() throws {
        let now = try #require(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(now.timeIntervalSince1970 == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == now)
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994") == now)
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:40:00 GMT", now: now) == .zero, "a past date means now")
        #expect(HTTPDate.parse("Sun, 32 Nov 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("yesterday") == nil)
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 23:59:59 GMT")?.timeIntervalSince1970 == 1_709_251_199)
    }

    @Test("full-jitter backoff stays under min(cap, base·2ⁿ⁻¹)")
    func backoff() {
        let b = Backoff(base: .milliseconds(100), cap: .seconds(1))
        for attempt in 1...8 {
            let ceiling = min(1000.0, 100 * pow(2, Double(attempt - 1)))
            for _ in 0..<200 {
                let d = b.delay(afterAttempt: attempt)
                #expect(d >= .zero && d < .milliseconds(Int64(ceiling)))
            }
        }
        // Jitter is real: 200 draws are not all equal.
        let draws = Set((0..<200).map { _ in b.delay(afterAttempt: 4) })
        #expect(draws.count > 10)
    }
}

@Suite("fetch errors")
struct FetchErrorTests {
    @Test("one-line descriptions and stable codes")
    func descriptions() {
        let cases: [(FetchFailure, String, String)] = [
            (.timeout(.total(.seconds(30))), "timeout", "timeout after 30 s"),
            (.timeout(.connect(.milliseconds(1500))), "timeout", "connect timeout after 1.5 s"),
            (.timeout(.lowSpeed(bytesPerSecond: 64, for: .seconds(20))), "timeout", "timeout: slower than 64 bytes/s for 20 s"),
            (.http(404), "http", "HTTP 404"),
            (.tooLarge(limit: 5_000_000), "too_large", "body larger than 5000000 bytes"),
            (.contentType("image/png", .page), "content_type", "content type image/png not accepted for a page"),
            (.tooManyRedirects(limit: 5), "too_many_redirects", "more than 5 redirects"),
            (.blockedAddress("169.254.169.254 (link-local)"), "blocked_address", "blocked address 169.254.169.254 (link-local)"),
            (.robotsDenied(.rule("Disallow: /private/")), "robots_denied", "disallowed by robots.txt (Disallow: /private/)"),
            (.robotsDenied(.unreachable("HTTP 503")), "robots_denied", "robots.txt unreachable (HTTP 503): host treated as disallowed"),
            (.dns("Could not resolve host: x.test"), "dns", "DNS lookup failed: Could not resolve host: x.test"),
            (.cancelled, "cancelled", "cancelled"),
            (.circuitOpen(host: "a.test"), "circuit_open", "circuit open for a.test after repeated failures"),
        ]
        for (failure, code, text) in cases {
            #expect(failure.code == code)
            #expect(failure.description == text)
            #expect(!failure.description.contains("\n"))
        }
        let e = FetchError(reason: .http(429), requestedURL: "https://a.test/",
                           retryAfter: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(e.description == "HTTP 429, retry after 2023-11-14T22:13:20Z")
    }

    @Test("media types accepted per kind")
    func kinds() {
        #expect(RequestKind.page.accepts(mediaType: "text/html"))
        #expect(RequestKind.page.accepts(mediaType: "application/xhtml+xml"))
        #expect(!RequestKind.page.accepts(mediaType: "application/rss+xml"))
        #expect(!RequestKind.page.accepts(mediaType: "image/png"))
        #expect(RequestKind.feed.accepts(mediaType: "application/rss+xml"))
        #expect(RequestKind.feed.accepts(mediaType: "application/atom+xml"))
        #expect(RequestKind.feed.accepts(mediaType: "application/vnd.custom+xml"))
        #expect(RequestKind.feed.accepts(mediaType: "application/x-gzip"))
        #expect(!RequestKind.feed.accepts(mediaType: "text/html"))
        #expect(RequestKind.sitemap.accepts(mediaType: "application/octet-stream"))
        #expect(RequestKind.robots.accepts(mediaType: "text/plain"))
        #expect(!RequestKind.robots.accepts(mediaType: "image/gif"))
        #expect(ContentType("Text/HTML; Charset=\"windows-1256\"") == ContentType("text/html; charset=windows-1256"))
        #expect(ContentType("text/html;charset=windows-1256")?.charset == "windows-1256")
        #expect(ContentType("  ") == nil)
    }

    @Test("the robots.txt product token comes from the User-Agent")
    func token() {
        #expect(HTTPClientSettings(userAgent: "Khabar/0.1 (+https://example.org/khabar)").effectiveRobotsToken == "khabar")
        var s = HTTPClientSettings(userAgent: "Mozilla/5.0")
        s.robotsToken = "Khabar-News"
        #expect(s.effectiveRobotsToken == "khabar-news")
    }
}
