import Testing
@testable import KhabarDiscover

@Suite struct FeedParserTests {
    let feedURL = HTTPURL("https://www.roayahnews.com/feed/")!

    static let rss2 = """
    <?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
         xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
    <channel>
      <title>رؤية الإخبارية</title>
      <link>https://www.roayahnews.com</link>
      <atom:link href="https://www.roayahnews.com/feed/" rel="self" type="application/rss+xml" />
      <description>أخبار</description>
      <item>
        <title><![CDATA[روسيا وإيران توقعان اتفاقاً للتعاون الأمني]]></title>
        <link>https://www.roayahnews.com/2022/07/19/russia-iran-security/?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign=russia-iran</link>
        <dc:creator><![CDATA[محمد علي]]></dc:creator>
        <pubDate>Tue, 19 Jul 2022 11:30:00 +0300</pubDate>
        <guid isPermaLink="false">https://www.roayahnews.com/?p=4521</guid>
        <description><![CDATA[<p>وقعت <b>روسيا</b> وإيران&nbsp;اتفاقاً…</p><a href="/x">المزيد</a>]]></description>
        <content:encoded><![CDATA[<p>نص كامل</p>]]></content:encoded>
      </item>
      <item>
        <title>طهران &amp; موسكو: &quot;شراكة&quot; استراتيجية</title>
        <link>/2022/07/18/tehran-moscow/</link>
        <author>desk@roayahnews.com (قسم الأخبار)</author>
        <pubDate>Mon, 18 Jul 2022 20:00:00 GMT</pubDate>
      </item>
      <item>
        <title>&lt;b&gt;عاجل&lt;/b&gt;: بيان الخارجية</title>
        <guid>https://www.roayahnews.com/2022/07/17/statement/</guid>
        <pubDate>Sun, 17 Jul 2022 09:15:00 EST</pubDate>
      </item>
      <item>
        <title>No link at all</title>
        <guid isPermaLink="false">tag:roayahnews.com,2022:1</guid>
      </item>
      <item>
        <title>Duplicate of the first</title>
        <link>https://www.roayahnews.com/2022/07/19/russia-iran-security/#comments</link>
      </item>
    </channel>
    </rss>
    """

    @Test func rss2() throws {
        let feed = try FeedParser.parse(Self.rss2.bytes, url: feedURL)
        #expect(feed.format == .rss)
        #expect(feed.title == "رؤية الإخبارية")
        #expect(feed.homepage?.string == "https://www.roayahnews.com/")
        #expect(feed.entries.map(\.url.string) == [
            "https://www.roayahnews.com/2022/07/19/russia-iran-security/",
            "https://www.roayahnews.com/2022/07/18/tehran-moscow/",
            "https://www.roayahnews.com/2022/07/17/statement/",
        ])
        let first = feed.entries[0]
        #expect(first.title == "روسيا وإيران توقعان اتفاقاً للتعاون الأمني")
        #expect(first.published?.rfc3339 == "2022-07-19T11:30:00+03:00")
        #expect(first.author == "محمد علي")
        #expect(first.id == "https://www.roayahnews.com/?p=4521")
        #expect(feed.entries[1].title == "طهران & موسكو: \"شراكة\" استراتيجية")
        #expect(feed.entries[1].author == "قسم الأخبار")
        #expect(feed.entries[1].published?.rfc3339 == "2022-07-18T20:00:00Z")
        #expect(feed.entries[2].title == "عاجل : بيان الخارجية")
        #expect(feed.entries[2].published?.rfc3339 == "2022-07-17T09:15:00-05:00")
    }

    @Test func persianFeedKeepsZWNJAndHTMLEntities() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>خبرگزاری</title>
        <item><title>می&zwnj;گویم&nbsp;&laquo;روسیه&raquo; و ایران</title>
        <link>https://www.example.ir/fa/news/4821733/روسیه-ایران?ref=rss</link>
        <pubDate>Tue, 19 Jul 2022 11:30:00 +0430</pubDate></item>
        <item><title>دومی‌ها</title><link>https://www.example.ir/fa/news/4821734/%D8%AF%D9%88%D9%85</link></item>
        </channel></rss>
        """
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://www.example.ir/rss")))
        #expect(feed.entries.count == 2)
        let title = try #require(feed.entries[0].title)
        #expect(Array(title.unicodeScalars) == Array("می\u{200C}گویم «روسیه» و ایران".unicodeScalars))
        #expect(feed.entries[0].url.string == "https://www.example.ir/fa/news/4821733/%D8%B1%D9%88%D8%B3%DB%8C%D9%87-%D8%A7%DB%8C%D8%B1%D8%A7%D9%86?ref=rss")
        #expect(feed.entries[0].published?.rfc3339 == "2022-07-19T11:30:00+04:30")
        #expect(Array(try #require(feed.entries[1].title).unicodeScalars) == Array("دومی‌ها".unicodeScalars))
    }

    @Test func rdf10() throws {
        let xml = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="https://news.example.org/">
            <title>Example RDF</title><link>https://news.example.org/</link>
            <items><rdf:Seq><rdf:li resource="https://news.example.org/a/1"/></rdf:Seq></items>
          </channel>
          <item rdf:about="https://news.example.org/a/1">
            <title>First</title><link>https://news.example.org/a/1</link>
            <dc:date>2022-07-19T11:30:00+04:30</dc:date><dc:creator>Sara</dc:creator>
          </item>
          <item rdf:about="https://news.example.org/a/2">
            <title>About only</title>
            <dc:date>2022-07-18</dc:date>
          </item>
        </rdf:RDF>
        """
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://news.example.org/index.rdf")))
        #expect(feed.format == .rdf)
        #expect(feed.title == "Example RDF")
        #expect(feed.entries.map(\.url.string) == ["https://news.example.org/a/1", "https://news.example.org/a/2"])
        #expect(feed.entries[0].published?.rfc3339 == "2022-07-19T11:30:00+04:30")
        #expect(feed.entries[0].author == "Sara")
        #expect(feed.entries[1].published?.rfc3339 == "2022-07-18")
    }

    @Test func rss091WithDoctype() throws {
        let xml = """
        <?xml version="1.0" encoding="ISO-8859-1"?>
        <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
        <rss version="0.91"><channel><title>Old &eacute;cole</title><link>http://old.example.com/</link>
        <item><title>Caf\u{E9} news</title><link>http://old.example.com/story/12345</link></item>
        </channel></rss>
        """
        // Encode as Latin-1, as the declaration says.
        let bytes = xml.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let feed = try FeedParser.parse(bytes, url: try #require(HTTPURL("http://old.example.com/rss.xml")))
        #expect(feed.title == "Old école")
        #expect(feed.entries.first?.title == "Café news")
        #expect(feed.entries.first?.url.string == "http://old.example.com/story/12345")
    }

    @Test func atomWithXMLBase() throws {
        let xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.com/fa/">
          <title type="html">&lt;i&gt;وبلاگ&lt;/i&gt; خبری</title>
          <link rel="alternate" type="text/html" href="./"/>
          <link rel="self" href="feed.atom"/>
          <author><name>تحریریه</name></author>
          <updated>2022-07-19T11:30:00+04:30</updated>
          <entry xml:base="posts/2022/">
            <title>ورود به تهران</title>
            <link rel="alternate" type="text/html" href="tehran.html?utm_source=atom"/>
            <link rel="edit" href="/edit/1"/>
            <id>tag:blog.example.com,2022:1</id>
            <published>2022-07-19T11:30:00+04:30</published>
            <updated>2022-07-19T12:00:00+04:30</updated>
          </entry>
          <entry>
            <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">عنوان <b>پررنگ</b></div></title>
            <link href="/root-relative/2" xml:base="https://other.example.com/ignored/"/>
            <link rel="alternate" type="application/pdf" href="doc.pdf"/>
            <author><name>Ali</name><email>ali@example.com</email></author>
            <id>https://blog.example.com/fa/id-2</id>
            <updated>2022-07-18T08:00:00Z</updated>
          </entry>
          <entry>
            <title>Only an id</title>
            <id>https://blog.example.com/fa/only-id</id>
          </entry>
          <entry>
            <title>PDF only</title>
            <link rel="alternate" type="application/pdf" href="/files/report.pdf"/>
          </entry>
          <entry><title>Nothing</title><id>urn:uuid:1</id></entry>
        </feed>
        """
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://blog.example.com/fa/feed.atom")))
        #expect(feed.format == .atom)
        #expect(feed.title == "وبلاگ خبری")
        #expect(feed.homepage?.string == "https://blog.example.com/fa/")
        #expect(feed.entries.map(\.url.string) == [
            "https://blog.example.com/fa/posts/2022/tehran.html",
            "https://other.example.com/root-relative/2",
            "https://blog.example.com/fa/only-id",
            "https://blog.example.com/files/report.pdf",
        ])
        let first = feed.entries[0]
        #expect(first.title == "ورود به تهران")
        #expect(first.published?.rfc3339 == "2022-07-19T11:30:00+04:30")
        #expect(first.updated?.rfc3339 == "2022-07-19T12:00:00+04:30")
        #expect(first.latestDate?.rfc3339 == "2022-07-19T12:00:00+04:30")
        #expect(first.author == "تحریریه")
        #expect(first.id == "tag:blog.example.com,2022:1")
        #expect(feed.entries[1].title == "عنوان پررنگ")
        #expect(feed.entries[1].author == "Ali")
        #expect(feed.entries[1].published == nil)
        #expect(feed.entries[1].latestDate?.rfc3339 == "2022-07-18T08:00:00Z")
    }

    @Test func feedburnerOrigLinkWins() throws {
        let xml = """
        <rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
        <item><title>x</title><link>http://feedproxy.google.com/~r/Example/~3/abc/</link>
        <feedburner:origLink>https://www.example.com/news/2022/07/19/story?utm_source=feedburner</feedburner:origLink></item>
        </channel></rss>
        """
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://feeds.feedburner.com/Example")))
        #expect(feed.entries.map(\.url.string) == ["https://www.example.com/news/2022/07/19/story"])
    }

    @Test func malformedFeedsAreRecovered() throws {
        // Leading white space, a bare `&`, an unclosed item, no closing tags, an undeclared entity.
        let xml = """

          <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>AT&T &foo; news</title>
        <item><title>One</title><link>https://e.com/news/1?a=1&b=2</link></item>
        <item><title>Two <b>bold</b></title><link>https://e.com/news/2</link>
        <item><title>Three</title><link>https://e.com/news/3</link></item>
        """
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://e.com/feed")))
        #expect(feed.title == "AT&T news")
        #expect(feed.entries.map(\.url.string).prefix(2) == ["https://e.com/news/1?a=1&b=2", "https://e.com/news/2"])
    }

    @Test func itemsOutsideTheChannelAndARootChannel() throws {
        let loose = "<rss><channel><title>t</title></channel><item><link>https://e.com/a</link></item></rss>"
        #expect(try FeedParser.parse(loose.bytes, url: try #require(HTTPURL("https://e.com/f"))).entries.map(\.url.string) == ["https://e.com/a"])
        let bare = "<channel><item><link>https://e.com/b</link></item></channel>"
        #expect(try FeedParser.parse(bare.bytes, url: try #require(HTTPURL("https://e.com/f"))).entries.map(\.url.string) == ["https://e.com/b"])
    }

    @Test func notAFeed() throws {
        let url = try #require(HTTPURL("https://e.com/feed"))
        #expect(throws: DiscoveryError.notAFeed(url: "https://e.com/feed", root: "html")) {
            try FeedParser.parse("<html><head><title>Not found</title></head><body><p>404</p></body></html>".bytes, url: url)
        }
        #expect(throws: DiscoveryError.notAFeed(url: "https://e.com/feed", root: "urlset")) {
            try FeedParser.parse("<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>".bytes, url: url)
        }
        #expect(throws: DiscoveryError.unreadable(url: "https://e.com/feed", .empty)) {
            try FeedParser.parse([], url: url)
        }
        let error = DiscoveryError.notAFeed(url: "https://e.com/feed", root: "html")
        #expect(error.description == "https://e.com/feed is not an RSS or Atom feed (root element <html>)")
    }

    @Test func xxeIsHarmless() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY net SYSTEM "http://127.0.0.1:1/x"> ]>
        <rss version="2.0"><channel><title>t&xxe;&net;</title>
        <item><title>&xxe;</title><link>https://e.com/news/1</link></item></channel></rss>
        """
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://e.com/feed")))
        #expect(feed.title == "t")
        #expect(feed.entries.map(\.url.string) == ["https://e.com/news/1"])
        #expect(feed.entries[0].title == nil)
        #expect(!(feed.title ?? "").contains("root:"))
    }

    @Test func aDoctypeThatHidesItsEndInAQuoteDeclaresNothing() {
        let tricky = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY a "]>"> <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <rss><channel><title>&xxe;</title><item><link>https://e.com/news/1</link><title>&xxe;</title></item></channel></rss>
        """
        let bytes = Array(tricky.utf8)
        // Either a document without the file's content, or a typed refusal: both are fine.
        if let feed = try? FeedParser.parse(bytes, url: url("https://e.com/f")) {
            #expect(!(feed.title ?? "").contains("root:"))
            let entryTitle = feed.entries.first?.title ?? ""
            #expect(!entryTitle.contains("root:"))
        }
        do {
            let sitemap = try SitemapParser.parse(bytes, url: url("https://e.com/s"))
            let text = "\(sitemap)"
            #expect(text.contains("root:") == false)
        } catch {
            #expect(error != .badPattern(""))
        }
    }

    func url(_ s: String) -> HTTPURL { HTTPURL(s)! }

    @Test func billionLaughsIsHarmless() throws {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        var previous = "lol"
        for i in 1...9 {
            xml += "<!ENTITY lol\(i) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            previous = "lol\(i)"
        }
        xml += "]><rss><channel><title>&lol9;</title><item><title>&lol9;&lol9;</title><link>https://e.com/n/1</link></item></channel></rss>"
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://e.com/feed")))
        #expect(feed.title == nil)
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].title == nil)
    }

    @Test func quadraticBlowupWithoutDoctypeStaysSmall() throws {
        // Many references to an undeclared entity: nothing to expand.
        let refs = String(repeating: "&a;", count: 200_000)
        let xml = "<rss><channel><item><title>\(refs)</title><link>https://e.com/n/1</link></item></channel></rss>"
        let feed = try FeedParser.parse(xml.bytes, url: try #require(HTTPURL("https://e.com/feed")))
        #expect(feed.entries.count == 1)
        #expect(feed.entries[0].title == nil)
    }
}

@Suite struct FeedAutodiscoveryTests {
    @Test func linksInTheHomepageHead() throws {
        let html = """
        <!doctype html><html lang="ar" dir="rtl"><head>
        <meta charset="utf-8"><title>رؤية</title>
        <link rel="alternate" type="application/rss+xml" title="رؤية الإخبارية &raquo; الخلاصة" href="https://www.roayahnews.com/feed/">
        <link rel="alternate" type="application/rss+xml" title="رؤية الإخبارية &raquo; خلاصة التعليقات" href="https://www.roayahnews.com/comments/feed/">
        <link rel="alternate" type="application/atom+xml" title="Atom" href="/feed/atom/?utm_source=x">
        <link rel="alternate" type="application/json" href="/wp-json/">
        <link rel="alternate" type="application/feed+json" href="/feed.json">
        <link rel="alternate" hreflang="en" href="/en/">
        <link rel="Alternate Feed" type="application/RSS+XML" href="/feed/">
        <link rel="alternate" type="text/xml" title="RSS 0.92" href="/feed/rss/">
        <link rel="alternate" type="text/xml" href="/oembed.xml">
        <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
        </head><body><link rel="alternate" type="application/rss+xml" href="/body-feed.xml"></body></html>
        """
        let doc = try HTMLParserShim.parse(html)
        let feeds = FeedAutodiscovery.feeds(in: doc, pageURL: try #require(HTTPURL("https://www.roayahnews.com/")))
        #expect(feeds.map(\.url.string) == [
            "https://www.roayahnews.com/feed/",
            "https://www.roayahnews.com/feed/atom/",
            "https://www.roayahnews.com/feed/rss/",
            "https://www.roayahnews.com/body-feed.xml",
        ])
        #expect(feeds[0].title == "رؤية الإخبارية » الخلاصة")
        #expect(feeds[0].type == "application/rss+xml")
        #expect(feeds[1].type == "application/atom+xml")
    }

    @Test func baseHrefApplies() throws {
        let html = "<html><head><base href='https://cdn.example.com/fa/'><link rel=alternate type=application/rss+xml href=rss></head></html>"
        let feeds = FeedAutodiscovery.feeds(in: try HTMLParserShim.parse(html), pageURL: try #require(HTTPURL("https://example.com/")))
        #expect(feeds.map(\.url.string) == ["https://cdn.example.com/fa/rss"])
    }

    @Test func commonPaths() throws {
        let root = FeedAutodiscovery.commonFeedURLs(for: try #require(HTTPURL("https://www.example.com/")))
        #expect(root.map(\.string) == [
            "https://www.example.com/feed", "https://www.example.com/rss", "https://www.example.com/rss.xml",
            "https://www.example.com/feed.xml", "https://www.example.com/atom.xml", "https://www.example.com/index.xml",
            "https://www.example.com/feeds/posts/default", "https://www.example.com/?feed=rss2",
            "https://www.example.com/index.rss", "https://www.example.com/rss/all",
        ])
        let sub = FeedAutodiscovery.commonFeedURLs(for: try #require(HTTPURL("https://www.tasnimnews.com/fa/")))
        #expect(sub.count == 20)
        #expect(sub.prefix(2).map(\.string) == ["https://www.tasnimnews.com/fa/feed", "https://www.tasnimnews.com/fa/rss"])
        #expect(sub[10].string == "https://www.tasnimnews.com/feed")
    }

    @Test func aPageWithoutFeeds() throws {
        let doc = try HTMLParserShim.parse("<html><head><title>x</title></head><body></body></html>")
        #expect(FeedAutodiscovery.feeds(in: doc, pageURL: try #require(HTTPURL("https://e.com/"))).isEmpty)
    }
}
