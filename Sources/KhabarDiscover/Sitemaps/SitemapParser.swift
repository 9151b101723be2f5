import Foundation
import KhabarHTML

/// Reads sitemaps (sitemaps.org 0.9): `<sitemapindex>`, `<urlset>` with optional Google News data,
/// and plain-text sitemaps (one URL per line). Gzipped sitemaps arrive decompressed.
///
/// Walks only the elements that matter, child by child (a 50,000-URL sitemap is read in one
/// pass without searching the tree). Locations are resolved against the sitemap URL (the
/// protocol wants absolute URLs, but relative ones occur) and canonicalised; entries beyond
/// `SitemapLimits.maxEntriesPerSitemap` are ignored.
public enum SitemapParser {
    public static func parse(_ bytes: [UInt8], url: HTTPURL) throws(DiscoveryError) -> Sitemap {
        let firstMark = bytes.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        if let firstMark, firstMark != UInt8(ascii: "<") {
            return .urlset(text(bytes, url: url))
        }
        let document = try XMLInput.document(bytes, url: url)
        return try parse(document: document, url: url)
    }

    /// Reads an already parsed XML document (see `DiscoveryDocument`).
    public static func parse(document: Document, url: HTTPURL) throws(DiscoveryError) -> Sitemap {
        guard let root = document.root else { throw .notASitemap(url: url.string, root: "") }
        switch root.name {
        case "sitemapindex":
            var refs: [SitemapReference] = []
            var seen = Set<HTTPURL>()
            for node in root.childElements where node.name == "sitemap" {
                guard refs.count < SitemapLimits.maxEntriesPerSitemap else { break }
                var loc: HTTPURL?
                var lastmod: PublicationDate?
                for child in node.childElements {
                    if child.name == "loc" { loc = location(child, base: url) }
                    else if child.name == "lastmod" { lastmod = PublicationDate.parse(child.textContent) }
                }
                if let loc, seen.insert(loc).inserted { refs.append(SitemapReference(url: loc, lastModified: lastmod)) }
            }
            return .index(refs)
        case "urlset":
            var entries: [SitemapEntry] = []
            var seen = Set<HTTPURL>()
            for node in root.childElements where node.isElement(named: "url") {
                guard entries.count < SitemapLimits.maxEntriesPerSitemap else { break }
                if let entry = urlEntry(node, base: url), seen.insert(entry.url).inserted { entries.append(entry) }
            }
            return .urlset(entries)
        default:
            throw .notASitemap(url: url.string, root: root.name)
        }
    }

    private static func urlEntry(_ node: Node, base: HTTPURL) -> SitemapEntry? {
        var loc: HTTPURL?
        var lastmod: PublicationDate?
        var news: NewsInfo?
        for child in node.childElements {
            if child.isElement(named: "loc") {
                loc = location(child, base: base)
            } else if child.isElement(named: "lastmod") {
                lastmod = PublicationDate.parse(child.textContent)
            } else if child.isElement(named: "news"), child.namespace == NS.news {
                news = newsInfo(child)
            }
        }
        guard let loc else { return nil }
        return SitemapEntry(url: loc, lastModified: lastmod, news: news)
    }

    /// A `<loc>`: resolved and canonical; nil when empty or not http(s).
    private static func location(_ node: Node, base: HTTPURL) -> HTTPURL? {
        let text = node.textContent
        guard text.contains(where: { !$0.isWhitespace }) else { return nil }
        return URLCanonicalizer.canonical(text, base: base)
    }

    private static func newsInfo(_ node: Node) -> NewsInfo {
        var info = NewsInfo()
        for child in node.childElements {
            switch child.name {
            case "title": info.title = FeedText.line(child.textContent, markup: false)
            case "publication_date": info.published = PublicationDate.parse(child.textContent)
            case "publication":
                for p in child.childElements {
                    if p.name == "name" { info.publicationName = FeedText.line(p.textContent, markup: false) }
                    if p.name == "language" { info.language = p.textContent.trimmedSpaces.lowercased().nilIfEmpty }
                }
            default: break
            }
        }
        return info
    }

    /// A text sitemap: one absolute URL per line (UTF-8); other lines are ignored.
    private static func text(_ bytes: [UInt8], url: HTTPURL) -> [SitemapEntry] {
        var entries: [SitemapEntry] = []
        var seen = Set<HTTPURL>()
        for line in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            guard entries.count < SitemapLimits.maxEntriesPerSitemap else { break }
            var text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let trimmed = text.trimmedSpaces
            guard trimmed.lowercased().hasPrefix("http"), let u = URLCanonicalizer.canonical(trimmed, base: nil),
                  seen.insert(u).inserted else { continue }
            entries.append(SitemapEntry(url: u))
        }
        return entries
    }
}

/// `Sitemap:` lines of a robots.txt (RFC 9309 §2.4 leaves them to the sitemaps protocol: a full
/// URL, anywhere in the file, independent of user-agent groups).
public enum RobotsSitemaps {
    public static func urls(in robotsTxt: String, robotsURL: HTTPURL) -> [HTTPURL] {
        var out: [HTTPURL] = []
        var seen = Set<HTTPURL>()
        for rawLine in robotsTxt.split(whereSeparator: \.isNewline) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard key == "sitemap" else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let u = URLCanonicalizer.canonical(value, base: robotsURL), seen.insert(u).inserted { out.append(u) }
        }
        return out
    }
}
