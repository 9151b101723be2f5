import KhabarTestSupport
import Testing
@testable import KhabarDiscover

/// Whatever arrives, every reader ends in a value or a typed error.
@Suite struct HostileInputTests {
    let url = HTTPURL("https://e.com/feed.xml")!

    /// Runs every byte reader on `bytes`; a crash fails the whole run, so reaching the end is the
    /// assertion, plus: errors are the typed ones.
    func readEverything(_ bytes: [UInt8]) {
        do { _ = try FeedParser.parse(bytes, url: url) } catch { #expect(isExpected(error)) }
        do { _ = try SitemapParser.parse(bytes, url: url) } catch { #expect(isExpected(error)) }
        do { _ = try DiscoveryDocument.parse(bytes, url: url) } catch { #expect(isExpected(error)) }
        if let doc = try? HTMLParserShim.parseBytes(bytes) {
            _ = FeedAutodiscovery.feeds(in: doc, pageURL: url)
            _ = ListingPage.articleLinks(in: doc, pageURL: url, policy: SitePolicy(homepage: url.string))
        }
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        _ = PublicationDate.parse(text)
        _ = HTTPURL(text, relativeTo: url)
        _ = RobotsSitemaps.urls(in: text, robotsURL: url)
    }

    func isExpected(_ error: DiscoveryError) -> Bool {
        switch error {
        case .unreadable, .notAFeed, .notASitemap: return true
        case .badPattern: return false
        }
    }

    @Test func randomBytes() {
        var rng = SeededRandom(seed: 0x6B68_6162_6172)
        for length in [0, 1, 2, 7, 64, 512, 4_096, 65_536] {
            for _ in 0..<8 {
                readEverything((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
        }
    }

    @Test func randomMarkupSoup() {
        // Random sequences of feed-ish fragments: far more likely than random bytes to reach
        // deep into the parsers.
        let pieces = ["<rss>", "<channel>", "<item>", "</item>", "<link>", "</link>", "https://e.com/a/12345", "<title>",
                      "</title>", "<![CDATA[", "]]>", "&amp;", "&", "&#x0;", "&#99999999;", "&nbsp;", "<!DOCTYPE x [", "]>",
                      "<!ENTITY a \"b\">", "&a;", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<link href='",
                      "'/>", "xml:base='../../'", "<urlset>", "<url>", "<loc>", "</loc>", "<sitemapindex>", "<sitemap>",
                      "<!--", "-->", "<?", "?>", "روسيا", "\u{200C}", "\u{0}", "\u{FFFD}", "<", ">", "\"", "'", " ", "\n"]
        var rng = SeededRandom(seed: 42)
        for _ in 0..<300 {
            var s = ""
            for _ in 0..<Int.random(in: 1...60, using: &rng) { s += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            readEverything(Array(s.utf8))
        }
    }

    @Test func deeplyNestedXML() throws {
        let deep = String(repeating: "<item>", count: 100_000) + "<link>https://e.com/a</link>" + String(repeating: "</item>", count: 100_000)
        readEverything(Array(("<rss><channel>" + deep + "</channel></rss>").utf8))
        readEverything(Array(("<urlset>" + String(repeating: "<url>", count: 100_000) + "</urlset>").utf8))
    }

    @Test func invalidUTF8InAFeed() throws {
        var bytes = Array("<?xml version='1.0' encoding='utf-8'?><rss><channel><item><title>ok ".utf8)
        bytes += [0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80]
        bytes += Array(" end</title><link>https://e.com/news/12345</link></item></channel></rss>".utf8)
        readEverything(bytes)
        // When libxml2 recovers, the link survives; when it gives up, the error is typed.
        if let feed = try? FeedParser.parse(bytes, url: url) {
            #expect(feed.entries.allSatisfy { $0.url.host == "e.com" })
        }
    }

    @Test func hugeTitleAndManyEntries() throws {
        let title = String(repeating: "روسيا ", count: 200_000)
        var xml = "<rss><channel><title>\(title)</title>"
        for i in 0..<5_000 { xml += "<item><title>t\(i)</title><link>https://e.com/news/\(100_000 + i)</link></item>" }
        xml += "</channel></rss>"
        let feed = try FeedParser.parse(Array(xml.utf8), url: url)
        #expect(feed.entries.count == 5_000)
        #expect(feed.title?.hasPrefix("روسيا روسيا") == true)
    }

    @Test func feedWithOnlyEntitiesAndCharacterReferences() throws {
        let xml = "<rss><channel><item><title>&#0;&#xD800;&#1114112;&#65;&#x42;</title><link>https://e.com/n/1</link></item></channel></rss>"
        readEverything(Array(xml.utf8))
    }
}
