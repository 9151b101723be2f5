import Foundation
import KhabarTestSupport
import Testing
@testable import KhabarDiscover

/// Feeds and sitemaps that attack the XML parser (issue 8, "XXE and billion-laughs feeds
/// harmless"): every reader — `FeedParser`, `SitemapParser` (streaming and recovering),
/// `DiscoveryDocument` — ends in a value or a typed error; nothing from the file or the URL the
/// entities name reaches the result; the file is never opened and no connection is made
/// (`ExfiltrationProbe`, whose control test is in KhabarHTMLTests); entities are never expanded,
/// so a parse costs milliseconds of CPU however many gigabytes the document asks for.
@Suite(.serialized) struct XMLAttackTests {
    let feedURL = HTTPURL("https://www.example.com/feed.xml")!
    let sitemapURL = HTTPURL("https://www.example.com/sitemap.xml")!

    /// The ways a document can point outside itself, for an entity reference `&x;` in the body,
    /// and whether the rest is well-formed enough that its one entry must survive.
    static func prologs(_ target: String) -> [(prolog: String, entrySurvives: Bool)] {
        [
            ("<!DOCTYPE r [ <!ENTITY x SYSTEM \"\(target)\"> ]>", true),
            ("<!DOCTYPE r [ <!ENTITY % p SYSTEM \"\(target)\"> %p; ]>", true),
            ("<!DOCTYPE r SYSTEM \"\(target)\">", true),
            ("<!DOCTYPE r PUBLIC \"-//X//Y//EN\" \"\(target)\" [ <!ENTITY x SYSTEM \"\(target)\"> ]>", true),
            ("<!doctype r [ <!ENTITY x SYSTEM \"\(target)\"> ]>", true),
            // Malformed on purpose; a typed error is as good as a value here. A `]>` inside a
            // quoted value (cutting the subset there leaves a declaration behind as text), and a
            // document type in mixed case (not XML: libxml2 gives up on the whole prolog).
            ("<!DOCTYPE r [ <!ENTITY a \"]>\"> <!ENTITY x SYSTEM \"\(target)\"> ]>", false),
            ("<!DocType r [ <!ENTITY x SYSTEM \"\(target)\"> ]>", false),
        ]
    }

    static func documents(_ prolog: String) -> [(kind: String, xml: String)] {
        [
            ("rss", "<?xml version=\"1.0\"?>\(prolog)<rss version=\"2.0\"><channel><title>t&x;</title>"
                + "<item><title>&x;</title><link>https://www.example.com/news/1&x;</link><author>&x;</author></item></channel></rss>"),
            ("atom", "<?xml version=\"1.0\"?>\(prolog)<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&x;</title>"
                + "<entry><title>&x;</title><link href=\"https://www.example.com/news/2\"/><id>&x;</id></entry></feed>"),
            ("urlset", "<?xml version=\"1.0\"?>\(prolog)<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                + "<url><loc>https://www.example.com/news/3/&x;</loc></url></urlset>"),
            ("news", "<?xml version=\"1.0\"?>\(prolog)<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                + "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>https://www.example.com/news/4</loc>"
                + "<news:news><news:title>&x;</news:title></news:news></url></urlset>"),
            ("index", "<?xml version=\"1.0\"?>\(prolog)<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                + "<sitemap><loc>https://www.example.com/s-&x;.xml</loc></sitemap></sitemapindex>"),
        ]
    }

    @Test func externalEntitiesToAFileReadNothing() throws {
        let probe = try ExfiltrationProbe()
        for (prolog, survives) in Self.prologs(probe.fileURL) {
            for (kind, xml) in Self.documents(prolog) {
                try readHarmlessly(xml, kind: kind, probe: probe, entrySurvives: survives, label: prolog)
            }
        }
        #expect(!probe.fileTouched, "the secret file was opened")
    }

    @Test func externalEntitiesToAURLConnectNowhere() throws {
        let probe = try ExfiltrationProbe()
        for (prolog, survives) in Self.prologs(probe.httpURL) {
            for (kind, xml) in Self.documents(prolog) {
                try readHarmlessly(xml, kind: kind, probe: probe, entrySurvives: survives, label: prolog)
            }
        }
        #expect(probe.connections == 0, "a connection was made")
    }

    /// The classic: ten levels of ten references, 3 GB of "lol" if expanded.
    @Test func billionLaughsFeedAndSitemap() throws {
        var declarations = "<!ENTITY lol \"lol\">"
        var previous = "lol"
        for i in 1...9 {
            declarations += "<!ENTITY lol\(i) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            previous = "lol\(i)"
        }
        let prolog = "<!DOCTYPE lolz [\(declarations)]>"
        for (kind, xml) in Self.documents(prolog) {
            let laughs = xml.replacingOccurrences(of: "&x;", with: "&lol9;&lol9;&lol9;")
            let result = try readHarmlessly(laughs, kind: kind, probe: nil)
            #expect(!result.contains("lollol"), "\(kind): an entity was expanded")
        }
    }

    /// One 2 KB entity referenced 10,000 times: no nesting, so libxml2's own loop limits never
    /// trigger; 20 MB of text if expanded.
    @Test func quadraticBlowupFeedAndSitemap() throws {
        let prolog = "<!DOCTYPE r [<!ENTITY big \"" + String(repeating: "A", count: 2_000) + "\">]>"
        for (kind, xml) in Self.documents(prolog) {
            let blowup = xml.replacingOccurrences(of: "&x;", with: String(repeating: "&big;", count: 10_000))
            let result = try readHarmlessly(blowup, kind: kind, probe: nil)
            #expect(!result.contains("AAAA"), "\(kind): an entity was expanded")
        }
    }

    /// Reads `xml` with every discovery reader. Each must end in a value or a typed error (one line),
    /// with nothing of the probe's secret in it and under two seconds of this thread's CPU; when
    /// `entrySurvives`, the one entry the document really has must come out of the reader made for
    /// its kind. Returns everything read, as text.
    @discardableResult
    func readHarmlessly(_ xml: String, kind: String, probe: ExfiltrationProbe?, entrySurvives: Bool = true, label: String = "",
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let what = "\(kind) \(label.prefix(60))"
        let isFeed = kind == "rss" || kind == "atom"
        let bytes = Array(xml.utf8)
        var seen = ""
        let before = threadCPUSeconds()
        do {
            let feed = try FeedParser.parse(bytes, url: feedURL)
            seen += "\(feed)"
            if isFeed && entrySurvives {
                #expect(feed.entries.count == 1, "\(what): \(feed)", sourceLocation: sourceLocation)
            }
        } catch {
            seen += error.description
            #expect(!isFeed || !entrySurvives, "\(what): \(error)", sourceLocation: sourceLocation)
        }
        do {
            let sitemap = try SitemapParser.parse(bytes, url: sitemapURL)
            seen += "\(sitemap)"
            if !isFeed && entrySurvives {
                #expect(sitemap.count == 1, "\(what): \(sitemap)", sourceLocation: sourceLocation)
            }
        } catch {
            seen += error.description
            #expect(isFeed || !entrySurvives, "\(what): \(error)", sourceLocation: sourceLocation)
        }
        do {
            seen += "\(try DiscoveryDocument.parse(bytes, url: sitemapURL))"
        } catch {
            seen += error.description
            #expect(!entrySurvives, "\(what): \(error)", sourceLocation: sourceLocation)
        }
        let cpu = threadCPUSeconds() - before
        #expect(!seen.contains("\n"), "\(what): a description of several lines", sourceLocation: sourceLocation)
        #expect(cpu < 2, "\(what): \(cpu) s of CPU", sourceLocation: sourceLocation)
        if let probe {
            #expect(!seen.contains(probe.secret), "\(what): the secret file's content was read", sourceLocation: sourceLocation)
        }
        return seen
    }
}
