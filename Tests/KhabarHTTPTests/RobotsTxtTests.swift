import Testing
@testable import KhabarHTTP

@Suite("robots.txt parsing and matching (RFC 9309)")
struct RobotsTxtTests {
    private func robots(_ text: String, token: String = "khabar") -> RobotsTxt {
        RobotsTxt(parsing: Array(text.utf8), productToken: token)
    }

    @Test("the group naming our product token wins over *, case-insensitively")
    func groupSelection() {
        let r = robots("""
        User-agent: *
        Disallow: /

        User-Agent: KHABAR
        Disallow: /private/
        """)
        #expect(r.isAllowed("/news/1"))
        #expect(!r.isAllowed("/private/x"))
        let other = robots("User-agent: *\nDisallow: /\n\nUser-agent: khabar\nDisallow: /private/\n", token: "otherbot")
        #expect(!other.isAllowed("/news/1"))
    }

    @Test("a user-agent value's product token is its leading letters: Khabar/1.0 names khabar")
    func agentTokenPrefix() {
        let r = robots("User-agent: Khabar/1.0 (compatible)\nDisallow: /x\n")
        #expect(!r.isAllowed("/x"))
    }

    @Test("several user-agent lines share one group; matching groups are merged")
    func groupsMerged() {
        let r = robots("""
        User-agent: otherbot
        User-agent: khabar
        Disallow: /a

        User-agent: khabar
        Disallow: /b

        User-agent: *
        Disallow: /c
        """)
        #expect(!r.isAllowed("/a1"))
        #expect(!r.isAllowed("/b1"))
        #expect(r.isAllowed("/c1"), "the * group does not apply once a named group matched")
    }

    @Test("no matching group and no * group: everything allowed")
    func noGroup() {
        let r = robots("User-agent: otherbot\nDisallow: /\n")
        #expect(r.isAllowed("/anything"))
        #expect(r.rules.isEmpty)
    }

    @Test("longest match wins; Allow overrides an equally long Disallow")
    func longestMatch() {
        let r = robots("""
        User-agent: *
        Disallow: /news/
        Allow: /news/public/
        Disallow: /news/public/secret
        Allow: /page
        Disallow: /page
        """)
        #expect(!r.isAllowed("/news/2024"))
        #expect(r.isAllowed("/news/public/1"))
        #expect(!r.isAllowed("/news/public/secret-file"))
        #expect(r.isAllowed("/page"), "equal length: allow wins")
        let decision = r.decision(for: "/news/2024")
        #expect(decision.rule?.description == "Disallow: /news/")
    }

    @Test("* matches any run, a final $ anchors the end")
    func wildcards() {
        let r = robots("""
        User-agent: *
        Disallow: /*.pdf$
        Disallow: /search*q=
        Disallow: /exact$
        Allow: /*.pdf$keep
        """)
        #expect(!r.isAllowed("/files/report.pdf"))
        #expect(r.isAllowed("/files/report.pdf?download=1"), "$ anchors: a query after .pdf escapes it")
        #expect(!r.isAllowed("/search/?lang=ar&q=روسيا"))
        #expect(r.isAllowed("/search/?lang=ar"))
        #expect(!r.isAllowed("/exact"))
        #expect(r.isAllowed("/exact/more"))
        #expect(robots("User-agent: *\nDisallow: *\n").isAllowed("/x") == false)
        #expect(robots("User-agent: *\nDisallow: /a*b*c*d$\n").isAllowed("/a_b_c_d") == false)
        #expect(robots("User-agent: *\nDisallow: /a*b*c*d$\n").isAllowed("/a_b_c_d_") == true)
    }

    @Test("$ in the middle of a pattern is an ordinary character")
    func dollarInside() {
        let r = robots("User-agent: *\nDisallow: /price$list\n")
        #expect(!r.isAllowed("/price$list/1"))
        #expect(r.isAllowed("/price"))
    }

    @Test("paths and patterns are compared percent-normalised (RFC 9309 §2.2.2)")
    func percentEncoding() {
        // Unreserved characters escaped in the file match their plain form in the path.
        #expect(!robots("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n").isAllowed("/foo/bar/baz"))
        // UTF-8 written raw in robots.txt matches the escaped path libcurl sends.
        let arabic = robots("User-agent: *\nDisallow: /اخبار/\n")
        #expect(!arabic.isAllowed("/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/1"))
        #expect(!arabic.isAllowed("/%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1/1"), "hex case does not matter")
        #expect(arabic.isAllowed("/%D8%A7/1"))
        // And the other way round: an escaped pattern, a raw path.
        #expect(!robots("User-agent: *\nDisallow: /%E3%83%84\n").isAllowed("/ツ"))
    }

    @Test("an empty Disallow allows everything; rules before any user-agent are ignored")
    func emptyAndOrphanRules() {
        #expect(robots("User-agent: *\nDisallow:\n").isAllowed("/a"))
        #expect(robots("Disallow: /\nUser-agent: *\nAllow: /\n").isAllowed("/a"))
    }

    @Test("/robots.txt is always allowed")
    func robotsItself() {
        #expect(robots("User-agent: *\nDisallow: /\n").isAllowed("/robots.txt"))
    }

    @Test("comments, a BOM, CRLF and CR line ends, odd spacing and common misspellings")
    func lexical() {
        let text = "\u{FEFF}# header comment\r\nUser-agent : * # all\r\nDissallow:/a # typo\rDISALLOW:   /b\t\r\n"
        let r = robots(text)
        #expect(!r.isAllowed("/a1"))
        #expect(!r.isAllowed("/b1"))
        #expect(r.isAllowed("/c"))
    }

    @Test("Crawl-delay of the selected group, fractional seconds allowed")
    func crawlDelay() {
        let r = robots("User-agent: *\nCrawl-delay: 10\n\nUser-agent: khabar\nCrawl-delay: 2.5\nDisallow: /x\n")
        #expect(r.crawlDelay == .milliseconds(2500))
        #expect(robots("User-agent: *\nCrawl-delay: soon\n").crawlDelay == nil)
        #expect(robots("User-agent: *\nCrawl-delay: -3\n").crawlDelay == nil)
    }

    @Test("Sitemap lines are global, in order, without duplicates")
    func sitemaps() {
        let r = robots("""
        Sitemap: https://example.com/news-sitemap.xml
        User-agent: otherbot
        Disallow: /
        Sitemap: https://example.com/sitemap_index.xml
        sitemap: https://example.com/news-sitemap.xml
        """)
        #expect(r.sitemaps == ["https://example.com/news-sitemap.xml", "https://example.com/sitemap_index.xml"])
    }

    @Test("a user-agent line after rules starts a new group")
    func groupBoundary() {
        let r = robots("User-agent: khabar\nDisallow: /a\nUser-agent: otherbot\nDisallow: /b\n")
        #expect(!r.isAllowed("/a"))
        #expect(r.isAllowed("/b"))
    }

    @Test("hostile input ends in rules, never a crash or a stall")
    func hostile() {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = RobotsTxt(parsing: noise, productToken: "khabar").isAllowed("/a")
        // Many wildcard rules against a long path: linear per rule, so this stays quick.
        let stars = String(repeating: "*a", count: 100)
        let text = "User-agent: *\n" + String(repeating: "Disallow: /\(stars)b\n", count: 20)
        let r = robots(text)
        #expect(r.isAllowed("/" + String(repeating: "a", count: 2000)))
        #expect(!r.isAllowed("/" + String(repeating: "a", count: 2000) + "b"))
        #expect(RobotsTxt(parsing: [], productToken: "khabar").isAllowed("/"))
    }
}
