import Testing
@testable import KhabarDiscover

@Suite struct SitemapParserTests {
    let indexURL = HTTPURL("https://www.example.com/sitemap_index.xml")!

    @Test func sitemapIndex() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="//www.example.com/sitemap.xsl"?>
        <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>https://www.example.com/post-sitemap1.xml</loc><lastmod>2022-06-01T10:00:00+00:00</lastmod></sitemap>
          <sitemap><loc>https://www.example.com/post-sitemap2.xml</loc><lastmod>2022-07-19T11:30:00+04:30</lastmod></sitemap>
          <sitemap><loc> /news-sitemap.xml </loc></sitemap>
          <sitemap><loc>https://www.example.com/post-sitemap2.xml</loc></sitemap>
          <sitemap><loc>javascript:alert(1)</loc></sitemap>
          <sitemap><lastmod>2022-07-19</lastmod></sitemap>
        </sitemapindex>
        """
        let sitemap = try SitemapParser.parse(xml.bytes, url: indexURL)
        #expect(sitemap.isIndex)
        #expect(!sitemap.isNews)
        guard case .index(let refs) = sitemap else { Issue.record("not an index"); return }
        #expect(refs.map(\.url.string) == [
            "https://www.example.com/post-sitemap1.xml", "https://www.example.com/post-sitemap2.xml",
            "https://www.example.com/news-sitemap.xml",
        ])
        #expect(refs.map { $0.lastModified?.rfc3339 } == ["2022-06-01T10:00:00Z", "2022-07-19T11:30:00+04:30", nil])
        #expect(refs.map(\.looksLikeNews) == [false, false, true])
    }

    @Test func urlsetWithLastmodAndImages() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
                xmlns:xhtml="http://www.w3.org/1999/xhtml">
          <url><loc>https://www.example.com/2022/07/19/russia-iran/</loc><lastmod>2022-07-19T08:00:00+03:00</lastmod>
               <changefreq>daily</changefreq><priority>0.8</priority>
               <image:image><image:loc>https://www.example.com/wp-content/uploads/a.jpg</image:loc></image:image>
               <xhtml:link rel="alternate" hreflang="en" href="https://www.example.com/en/russia-iran/"/></url>
          <url><loc>https://www.example.com/ar/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7?utm_source=sitemap</loc></url>
          <url><loc>https://www.example.com/ar/روسيا</loc></url>
          <url><loc></loc></url>
        </urlset>
        """
        let sitemap = try SitemapParser.parse(xml.bytes, url: try #require(HTTPURL("https://www.example.com/post-sitemap.xml")))
        guard case .urlset(let entries) = sitemap else { Issue.record("not a urlset"); return }
        #expect(entries.map(\.url.string) == [
            "https://www.example.com/2022/07/19/russia-iran/",
            "https://www.example.com/ar/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7",
        ])
        #expect(entries[0].lastModified?.rfc3339 == "2022-07-19T08:00:00+03:00")
        #expect(entries[0].news == nil)
        #expect(entries[0].latestDate?.rfc3339 == "2022-07-19T08:00:00+03:00")
        #expect(!sitemap.isNews)
    }

    @Test func googleNewsSitemap() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
          <url>
            <loc>https://www.example.ir/fa/news/4821733/روسیه-و-ایران</loc>
            <news:news>
              <news:publication><news:name>خبرگزاری نمونه</news:name><news:language>fa</news:language></news:publication>
              <news:publication_date>2022-07-19T11:30:00+04:30</news:publication_date>
              <news:title><![CDATA[روسیه و ایران توافق‌نامه امنیتی امضا کردند]]></news:title>
              <news:keywords>روسیه, ایران</news:keywords>
            </news:news>
          </url>
          <url>
            <loc>https://www.example.ir/fa/news/4821700</loc>
            <lastmod>2022-07-19T09:00:00+04:30</lastmod>
            <news:news><news:publication><news:name>x</news:name><news:language>FA</news:language></news:publication>
            <news:publication_date>2022-07-19</news:publication_date><news:title>دومی</news:title></news:news>
          </url>
        </urlset>
        """
        let sitemap = try SitemapParser.parse(xml.bytes, url: try #require(HTTPURL("https://www.example.ir/news-sitemap.xml")))
        #expect(sitemap.isNews)
        guard case .urlset(let entries) = sitemap else { Issue.record("not a urlset"); return }
        #expect(entries.count == 2)
        let news = try #require(entries[0].news)
        #expect(Array(try #require(news.title).unicodeScalars) == Array("روسیه و ایران توافق‌نامه امنیتی امضا کردند".unicodeScalars))
        #expect(news.published?.rfc3339 == "2022-07-19T11:30:00+04:30")
        #expect(news.publicationName == "خبرگزاری نمونه")
        #expect(news.language == "fa")
        #expect(entries[0].latestDate?.rfc3339 == "2022-07-19T11:30:00+04:30")
        #expect(entries[1].news?.language == "fa")
        #expect(entries[1].latestDate?.rfc3339 == "2022-07-19")
        #expect(entries[1].lastModified?.rfc3339 == "2022-07-19T09:00:00+04:30")
    }

    @Test func textSitemap() throws {
        let text = "\u{FEFF}https://www.example.com/a/1\r\nhttps://www.example.com/a/2?utm_source=x\n\n# comment\nnot a url\nhttps://www.example.com/a/1\n"
        let sitemap = try SitemapParser.parse(text.bytes, url: try #require(HTTPURL("https://www.example.com/sitemap.txt")))
        guard case .urlset(let entries) = sitemap else { Issue.record("not a urlset"); return }
        #expect(entries.map(\.url.string) == ["https://www.example.com/a/1", "https://www.example.com/a/2"])
    }

    @Test func fiftyThousandURLs() throws {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        xml.reserveCapacity(6_000_000)
        for i in 0..<50_000 {
            xml += "<url><loc>https://www.example.com/news/\(1_000_000 + i)/%D8%AE%D8%A8%D8%B1-\(i)</loc><lastmod>2022-07-19T11:30:00+04:30</lastmod></url>\n"
        }
        // One more than the protocol allows: ignored.
        xml += "<url><loc>https://www.example.com/news/over-the-limit</loc></url>\n</urlset>\n"
        let sitemap = try SitemapParser.parse(xml.bytes, url: try #require(HTTPURL("https://www.example.com/big.xml")))
        guard case .urlset(let entries) = sitemap else { Issue.record("not a urlset"); return }
        #expect(entries.count == SitemapLimits.maxEntriesPerSitemap)
        #expect(entries.last?.url.string == "https://www.example.com/news/1049999/%D8%AE%D8%A8%D8%B1-49999")
        #expect(entries.allSatisfy { $0.lastModified != nil })
    }

    @Test func notASitemapAndBrokenOnes() throws {
        let url = try #require(HTTPURL("https://e.com/sitemap.xml"))
        #expect(throws: DiscoveryError.notASitemap(url: "https://e.com/sitemap.xml", root: "rss")) {
            try SitemapParser.parse("<rss><channel/></rss>".bytes, url: url)
        }
        #expect(throws: DiscoveryError.unreadable(url: "https://e.com/sitemap.xml", .empty)) { try SitemapParser.parse([], url: url) }
        // Truncated in the middle (a download cut short): what was complete is kept.
        let cut = "<urlset><url><loc>https://e.com/a/12345</loc></url><url><loc>https://e.com/b/12"
        guard case .urlset(let entries) = try SitemapParser.parse(cut.bytes, url: url) else { Issue.record("not a urlset"); return }
        #expect(entries.first?.url.string == "https://e.com/a/12345")
    }

    @Test func malformedSitemapsAreRecovered() throws {
        let url = try #require(HTTPURL("https://e.com/s.xml"))
        let cases: [(String, [String])] = [
            ("<urlset><url><loc>https://e.com/a/1</loc></url><url><loc>https://e.com/a/2</lo></url><url><loc>https://e.com/a/3</loc></url></urlset>",
             ["/a/1", "/a/2", "/a/3"]),
            ("<urlset><url><loc>https://e.com/a/1</loc></url><url><loc>https://e.com/a/2</loc><url><loc>https://e.com/a/3</loc></url></urlset>",
             ["/a/1", "/a/2"]),
            ("<urlset><url><loc>https://e.com/a/1?x=1&y=2</loc></url><url><loc>https://e.com/a/2&nbsp;</loc></url></urlset>",
             ["/a/1", "/a/2%C2%A0"]),
            ("<sitemapindex><sitemap><loc>https://e.com/s1.xml</loc></sitemap><sitemap><loc>https://e.com/s2.xml</sitemap></sitemapindex>",
             ["/s1.xml", "/s2.xml"]),
        ]
        for (xml, paths) in cases {
            let sitemap = try SitemapParser.parse(xml.bytes, url: url)
            switch sitemap {
            case .urlset(let entries): #expect(entries.map(\.url.path) == paths, "\(xml)")
            case .index(let refs): #expect(refs.map(\.url.path) == paths, "\(xml)")
            }
        }
        guard case .urlset(let withQuery) = try SitemapParser.parse(cases[2].0.bytes, url: url) else { return }
        #expect(withQuery.first?.url.query == "x=1&y=2")
    }

    @Test func discoveryDocumentTellsFeedsFromSitemaps() throws {
        let url = try #require(HTTPURL("https://e.com/x.xml"))
        guard case .feed(let f) = try DiscoveryDocument.parse("<rss><channel><item><link>https://e.com/1</link></item></channel></rss>".bytes, url: url) else {
            Issue.record("expected a feed"); return
        }
        #expect(f.entries.count == 1)
        guard case .sitemap(let s) = try DiscoveryDocument.parse("<sitemapindex><sitemap><loc>https://e.com/s1.xml</loc></sitemap></sitemapindex>".bytes, url: url) else {
            Issue.record("expected a sitemap"); return
        }
        #expect(s.isIndex)
        guard case .sitemap = try DiscoveryDocument.parse("https://e.com/1\n".bytes, url: url) else { Issue.record("expected a text sitemap"); return }
        #expect(throws: DiscoveryError.notAFeed(url: "https://e.com/x.xml", root: "html")) {
            try DiscoveryDocument.parse("<html><body>x</body></html>".bytes, url: url)
        }
    }

    @Test func robotsSitemapLines() throws {
        let robots = """
        User-agent: *
        Disallow: /search
        Sitemap: https://www.example.com/sitemap_index.xml
        sitemap:/news-sitemap.xml # relative, tolerated
          SITEMAP :  https://www.example.com/sitemap_index.xml
        Sitemap: mailto:x@example.com
        Allow: /
        """
        let urls = RobotsSitemaps.urls(in: robots, robotsURL: try #require(HTTPURL("https://www.example.com/robots.txt")))
        #expect(urls.map(\.string) == ["https://www.example.com/sitemap_index.xml", "https://www.example.com/news-sitemap.xml"])
    }
}

@Suite struct SitemapWalkTests {
    func u(_ s: String) -> HTTPURL { HTTPURL(s)! }
    func d(_ s: String) -> PublicationDate? { PublicationDate.parse(s) }

    @Test func newsFirstThenMostRecentThenDocumentOrder() {
        var walk = SitemapWalk(roots: [u("https://e.com/sitemap_index.xml")])
        #expect(walk.next() == u("https://e.com/sitemap_index.xml"))
        let entries = walk.record(.index([
            SitemapReference(url: u("https://e.com/page-sitemap.xml")),
            SitemapReference(url: u("https://e.com/post-sitemap1.xml"), lastModified: d("2021-01-01")),
            SitemapReference(url: u("https://e.com/post-sitemap2.xml"), lastModified: d("2022-07-19T10:00:00Z")),
            SitemapReference(url: u("https://e.com/news-sitemap.xml"), lastModified: d("2022-07-19T09:00:00Z")),
            SitemapReference(url: u("https://e.com/category-sitemap.xml")),
        ]), from: u("https://e.com/sitemap_index.xml"))
        #expect(entries.isEmpty)
        var order: [String] = []
        while let next = walk.next() { order.append(next.path) }
        #expect(order == ["/news-sitemap.xml", "/post-sitemap2.xml", "/post-sitemap1.xml", "/page-sitemap.xml", "/category-sitemap.xml"])
        #expect(walk.visited == 6)
        #expect(walk.skipped == 0)
    }

    @Test func urlsetEntriesAreHandedBack() {
        var walk = SitemapWalk(roots: [u("https://e.com/s.xml")])
        let url = walk.next()!
        let got = walk.record(.urlset([SitemapEntry(url: u("https://e.com/a/12345"))]), from: url)
        #expect(got.map(\.url.string) == ["https://e.com/a/12345"])
        #expect(walk.next() == nil)
    }

    @Test func depthIsBounded() {
        var walk = SitemapWalk(roots: [u("https://e.com/0.xml")], maxDepth: 3)
        var depth = 0
        while let url = walk.next() {
            depth += 1
            walk.record(.index([SitemapReference(url: u("https://e.com/\(depth).xml"))]), from: url)
        }
        #expect(walk.visited == 3)
        #expect(walk.skipped == 1)
    }

    @Test func cyclesAreFollowedOnce() {
        var walk = SitemapWalk(roots: [u("https://e.com/a.xml")])
        var fetched: [String] = []
        while let url = walk.next() {
            fetched.append(url.path)
            let other = url.path == "/a.xml" ? "https://e.com/b.xml" : "https://e.com/a.xml"
            walk.record(.index([SitemapReference(url: url), SitemapReference(url: u(other))]), from: url)
        }
        #expect(fetched == ["/a.xml", "/b.xml"])
    }

    @Test func countIsBounded() {
        var walk = SitemapWalk(roots: [u("https://e.com/index.xml")], maxSitemaps: 10)
        let index = walk.next()!
        walk.record(.index((0..<500).map { SitemapReference(url: u("https://e.com/s\($0).xml")) }), from: index)
        var n = 0
        while walk.next() != nil { n += 1 }
        #expect(n == 9)
        #expect(walk.visited == 10)
        #expect(walk.skipped == 491)
    }
}
