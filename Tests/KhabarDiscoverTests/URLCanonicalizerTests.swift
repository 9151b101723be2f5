import Testing
@testable import KhabarDiscover

@Suite struct HTTPURLTests {
    /// input → expected canonical text (`URLCanonicalizer.canonical`, no base).
    static let canonicalTable: [(String, String)] = [
        ("HTTP://Example.COM/a", "http://example.com/a"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:80/x", "https://example.com:80/x"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com?a=1", "https://example.com/?a=1"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/a/b/..", "https://example.com/a/"),
        ("https://example.com/../../x", "https://example.com/x"),
        ("https://example.com/%7Euser/%2e%2E/x", "https://example.com/x"),
        ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://example.com/a\"b<c>{d}|e^f`g", "https://example.com/a%22b%3Cc%3E%7Bd%7D%7Ce%5Ef%60g"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/%zz%4", "https://example.com/%25zz%254"),
        ("https://example.com/%41%42%2D%5F", "https://example.com/AB-_"),
        ("https://example.com/news/روسيا-وإيران",
         "https://example.com/news/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7-%D9%88%D8%A5%D9%8A%D8%B1%D8%A7%D9%86"),
        ("https://example.com/news/%d8%b1%d9%88%d8%b3%d9%8a%d8%a7", "https://example.com/news/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7"),
        // Persian slug with a ZWNJ: the joiner is kept, encoded like every other non-ASCII byte.
        ("https://example.ir/خبر/می\u{200C}گویم", "https://example.ir/%D8%AE%D8%A8%D8%B1/%D9%85%DB%8C%E2%80%8C%DA%AF%D9%88%DB%8C%D9%85"),
        ("https://example.com/a?q=%7e%41", "https://example.com/a?q=~A"),
        ("https://example.com/a?q=a%2bb+c&r=%26", "https://example.com/a?q=a%2Bb+c&r=%26"),
        ("https://example.com/a?q=روسيا", "https://example.com/a?q=%D8%B1%D9%88%D8%B3%D9%8A%D8%A7"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),
        // Tracking and session parameters
        ("https://example.com/x?utm_source=rss&utm_medium=feed&id=5", "https://example.com/x?id=5"),
        ("https://example.com/x?id=5&fbclid=IwAR0abc&gclid=1&dclid=2&msclkid=3#frag", "https://example.com/x?id=5"),
        ("https://example.com/x?mc_cid=1&mc_eid=2&igshid=3&_ga=4&yclid=5&ref_src=twsrc%5Etfw", "https://example.com/x"),
        ("https://example.com/x?UTM_Source=a&Utm_Campaign=b", "https://example.com/x"),
        ("https://example.com/x?a=1&amp;utm_campaign=z", "https://example.com/x?a=1"),
        ("https://example.com/x?utm%5Fsource=a&k=v", "https://example.com/x?k=v"),
        ("https://www.bbc.com/persian/articles/c0?at_medium=RSS&at_campaign=KARANGA&xtor=AL-73", "https://www.bbc.com/persian/articles/c0"),
        ("https://example.com/x;jsessionid=ABC123?id=1", "https://example.com/x?id=1"),
        // Found by FuzzURL: every session parameter goes, and what is left is normalised again.
        ("https://e.com/p;jsessionid=1/q;JSESSIONID=2", "https://e.com/p/q"),
        ("https://e.com/a/.;jsessionid=1", "https://e.com/a/"),
        ("https://e.com/a/b/..;jsessionid=1/c", "https://e.com/a/c"),
        ("https://example.com/x?PHPSESSID=abc&id=1", "https://example.com/x?id=1"),
        ("https://example.com/x?utmost=1", "https://example.com/x?utmost=1"),
        ("https://example.com/x?&&a=1&&", "https://example.com/x?a=1"),
        // Hosts
        ("https://user:pass@Example.com/", "https://example.com/"),
        ("https://EXAMPLE.com./a", "https://example.com/a"),
        ("https://موقع.example/خبر", "https://xn--4gbrim.example/%D8%AE%D8%A8%D8%B1"),
        ("https://XN--4GBRIM.example/", "https://xn--4gbrim.example/"),
        ("https://%D9%85%D9%88%D9%82%D8%B9.example/", "https://xn--4gbrim.example/"),
        ("https://مثال。إختبار/", "https://xn--mgbh0fb.xn--kgbechtv/"),
        ("https://ＥＸＡＭＰＬＥ.com/", "https://example.com/"),
        ("https://bücher.de/", "https://xn--bcher-kva.de/"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://0177.0.0.1/", "http://127.0.0.1/"),
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/a"),
        ("http://[2001:DB8:0:0:0:0:0:1]:80/", "http://[2001:db8::1]/"),
        ("http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"),
        ("http://[2001:db8:0:1:0:0:1:1]/", "http://[2001:db8:0:1::1:1]/"),
        // What browsers forgive
        ("  https://example.com/a\n/b  ", "https://example.com/a/b"),
        ("https:\\\\example.com\\a\\b", "https://example.com/a/b"),
        ("https:example.com/a", "https://example.com/a"),
        ("https:///example.com/a", "https://example.com/a"),
        ("\tHTTPS://example.com/\r\n", "https://example.com/"),
    ]

    @Test(arguments: canonicalTable)
    func canonicalForm(input: String, expected: String) throws {
        let url = try #require(URLCanonicalizer.canonical(input), "\(input)")
        #expect(url.string == expected)
        // Canonicalisation is idempotent.
        #expect(URLCanonicalizer.canonical(url.string)?.string == expected)
    }

    static let notHTTP: [String] = [
        "", "   ", "mailto:news@example.com", "javascript:alert(1)", "JavaScript:void(0)", "ftp://example.com/",
        "data:text/html,hi", "tel:+982188888888", "file:///etc/passwd", "//", "https://", "https:///",
        "https://exa mple.com/", "https://example.com:99999/", "https://example.com:8a/", "http://a..b/",
        "https://[::1/", "https://[::1]x/", "https://[1:2:3:4:5:6:7:8:9]/", "https://ex<ample.com/", "http://256.1.1.1.1/",
        "http://1.2.3.256/", "/relative/without/base", "relative", "?q=1", "#top",
        "https://" + String(repeating: "a", count: 64) + ".com/",
        "https://" + String(repeating: "a.", count: 200) + "com/",
        // Found by FuzzFeed: ASCII characters no host may hold, inside an internationalised label.
        "https://www.exampleé\"x.com/", "https://موقع=x.example/", "https://é`.com/", "https://a\u{FFFD}b\"c:/",
    ]

    @Test(arguments: notHTTP)
    func refusesWhatIsNotAnHTTPURL(input: String) {
        #expect(HTTPURL(input) == nil)
    }

    /// RFC 3986 §5.4 reference resolution examples (those with an http result).
    static let rfc3986: [(String, String)] = [
        ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"), ("/g", "http://a/g"),
        ("//g", "http://g/"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"), ("#s", "http://a/b/c/d;p?q"),
        ("g#s", "http://a/b/c/g"), ("g?y#s", "http://a/b/c/g?y"), (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"),
        ("g;x?y#s", "http://a/b/c/g;x?y"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"),
        ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"),
        ("../../", "http://a/"), ("../../g", "http://a/g"), ("../../../g", "http://a/g"), ("../../../../g", "http://a/g"),
        ("/./g", "http://a/g"), ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."), (".g", "http://a/b/c/.g"),
        ("g..", "http://a/b/c/g.."), ("..g", "http://a/b/c/..g"), ("./../g", "http://a/b/g"), ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"), ("g/../h", "http://a/b/c/h"), ("g;x=1/./y", "http://a/b/c/g;x=1/y"),
        ("g;x=1/../y", "http://a/b/c/y"), ("g?y/./x", "http://a/b/c/g?y/./x"), ("g?y/../x", "http://a/b/c/g?y/../x"),
        ("g#s/./x", "http://a/b/c/g"), ("g#s/../x", "http://a/b/c/g"),
        // Same scheme without slashes is relative in browsers (WHATWG).
        ("http:g", "http://a/b/c/g"), ("http:/g", "http://a/g"),
        ("https://other.example/x", "https://other.example/x"), ("\\\\g\\h", "http://g/h"),
    ]

    @Test(arguments: rfc3986)
    func resolvesReferencesPerRFC3986(reference: String, expected: String) throws {
        let base = try #require(HTTPURL("http://a/b/c/d;p?q"))
        #expect(base.resolve(reference)?.string == expected)
    }

    @Test func relativeLinksOnANewsPage() throws {
        let base = try #require(HTTPURL("https://news.example.com/ar/politics/story-1.html?x=1"))
        #expect(base.resolve("story-2.html")?.string == "https://news.example.com/ar/politics/story-2.html")
        #expect(base.resolve("../world/")?.string == "https://news.example.com/ar/world/")
        #expect(base.resolve("//cdn.example.com/i.jpg")?.string == "https://cdn.example.com/i.jpg")
        #expect(base.resolve("/fa/خبر/12345")?.string == "https://news.example.com/fa/%D8%AE%D8%A8%D8%B1/12345")
        #expect(base.resolve("mailto:x@example.com") == nil)
        #expect(base.resolve("javascript:void(0)") == nil)
    }

    @Test func partsAndHelpers() throws {
        let url = try #require(HTTPURL("https://News.Example.com:8443/fa/%D8%AE%D8%A8%D8%B1/12?a=1&b&c=x%20y"))
        #expect(url.scheme == .https)
        #expect(url.host == "news.example.com")
        #expect(url.port == 8443)
        #expect(url.authority == "news.example.com:8443")
        #expect(url.path == "/fa/%D8%AE%D8%A8%D8%B1/12")
        #expect(url.pathSegments == ["fa", "خبر", "12"])
        #expect(url.queryItems.map(\.name) == ["a", "b", "c"])
        #expect(url.queryItems.map(\.value) == ["1", nil, "x%20y"])
        #expect(!url.isRoot)
        #expect(try #require(HTTPURL("https://example.com")).isRoot)
        #expect(HTTPURL("https://EXAMPLE.com/a") == HTTPURL("https://example.com:443/a#x"))
        #expect(Set([HTTPURL("https://a.com/x"), HTTPURL("HTTPS://A.COM/x")]).count == 1)
    }

    @Test func punycodeMatchesRFC3492() {
        #expect(Punycode.encode("ليهمابتكلموشعربي؟") == "egbpdaj6bu4bxfgehfvwxn")
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("mañana") == "maana-pta")
        #expect(Punycode.encode("مثال") == "mgbh0fb")
        #expect(Punycode.encode("آزمایشی") == "hgbk6aj7f53bba")
        #expect(Punycode.encode("abc") == "abc-")
    }

    @Test func hugeAndHostileInputIsRefusedOrBounded() {
        #expect(HTTPURL("https://example.com/" + String(repeating: "a", count: 70_000)) == nil)
        let long = "https://example.com/" + String(repeating: "%", count: 10_000)
        #expect(HTTPURL(long)?.path.count == 1 + 30_000)
        #expect(HTTPURL("https://example.com/a\u{0}\u{1}b\u{7F}")?.path == "/a%00%01b%7F")
        #expect(HTTPURL("https://\u{FFFD}.com/")?.host.hasPrefix("xn--") == true)
        #expect(HTTPURL("https://%FF%FE.com/") == nil)
    }
}

@Suite struct ArticleIdentityTests {
    let policy = SitePolicy(homepage: "https://www.example.com/")

    func url(_ s: String) throws -> HTTPURL { try #require(HTTPURL(s)) }

    @Test func ampAndTrackingVariantsJoinOneArticle() throws {
        let canonical = try url("https://www.example.com/news/123-russia-iran")
        let variants = [
            "https://www.example.com/news/123-russia-iran?utm_source=rss&utm_medium=rss",
            "https://www.example.com/amp/news/123-russia-iran",
            "https://www.example.com/news/123-russia-iran/amp/?fbclid=x",
            "https://m.example.com/news/123-russia-iran",
        ]
        for v in variants {
            #expect(URLCanonicalizer.articleIdentity(fetchedURL: try url(v), canonicalURL: canonical, policy: policy) == canonical)
        }
    }

    @Test func canonicalIsCanonicalisedToo() throws {
        let id = URLCanonicalizer.articleIdentity(
            fetchedURL: try url("https://www.example.com/amp/1"),
            canonicalURL: try url("HTTPS://WWW.example.com:443/news/1?utm_campaign=x#top"), policy: policy)
        #expect(id.string == "https://www.example.com/news/1")
    }

    @Test func offSiteCanonicalIsIgnored() throws {
        let id = URLCanonicalizer.articleIdentity(
            fetchedURL: try url("https://www.example.com/news/1?utm_source=x"),
            canonicalURL: try url("https://aggregator.example.net/news/1"), policy: policy)
        #expect(id.string == "https://www.example.com/news/1")
    }

    @Test func noCanonicalMeansTheFetchedURL() throws {
        let id = URLCanonicalizer.articleIdentity(fetchedURL: try url("https://www.example.com/a?gclid=1&id=2#c"), canonicalURL: nil, policy: policy)
        #expect(id.string == "https://www.example.com/a?id=2")
    }

    @Test func homepageAsCanonicalOfAnArticleIsIgnored() throws {
        let id = URLCanonicalizer.articleIdentity(
            fetchedURL: try url("https://www.example.com/news/77"), canonicalURL: try url("https://www.example.com/"), policy: policy)
        #expect(id.string == "https://www.example.com/news/77")
        let home = URLCanonicalizer.articleIdentity(
            fetchedURL: try url("https://www.example.com/?utm_source=x"), canonicalURL: try url("https://example.com/"), policy: policy)
        #expect(home.string == "https://example.com/")
    }

    @Test func baseHrefResolvesLinks() throws {
        let html = "<html><head><base href='/ar/'><base href='/ignored/'></head><body><a href='news/1'>x</a></body></html>"
        let doc = try HTMLParserShim.parse(html)
        let base = URLCanonicalizer.baseURL(of: doc, documentURL: try url("https://www.example.com/section/page"))
        #expect(base.string == "https://www.example.com/ar/")
        #expect(base.resolve("news/1")?.string == "https://www.example.com/ar/news/1")
        let none = try HTMLParserShim.parse("<html><body><p>x</p></body></html>")
        #expect(URLCanonicalizer.baseURL(of: none, documentURL: try url("https://e.com/a/b")).string == "https://e.com/a/b")
    }
}
