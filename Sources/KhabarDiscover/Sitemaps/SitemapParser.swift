import Foundation
import KhabarHTML

/// Reads sitemaps (sitemaps.org 0.9): `<sitemapindex>`, `<urlset>` with optional Google News data,
/// and plain-text sitemaps (one URL per line). Gzipped sitemaps arrive decompressed.
///
/// Streams (`XMLPullReader`): a 50,000-URL sitemap is read in one pass that holds the entries,
/// never a document tree. Only the elements that matter are looked at, by depth: `loc` and
/// `lastmod` of each `url`/`sitemap`, and the Google News `news:news` block. Locations are
/// resolved against the sitemap URL (the protocol wants absolute URLs, but relative ones occur)
/// and canonicalised; empty ones are skipped; entries beyond `SitemapLimits.maxEntriesPerSitemap`
/// are ignored. A sitemap cut short keeps its complete entries.
public enum SitemapParser {
    public static func parse(_ bytes: [UInt8], url: HTTPURL) throws(DiscoveryError) -> Sitemap {
        let firstMark = bytes.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        if let firstMark, firstMark != UInt8(ascii: "<") {
            return .urlset(text(bytes, url: url))
        }
        let reader: XMLPullReader
        do {
            reader = try XMLPullReader(XMLInput.repair(bytes), url: url.string)
        } catch {
            throw .unreadable(url: url.string, error)
        }
        let streamed: Sitemap
        do {
            streamed = try read(reader, url: url)
        } catch {
            if case .notASitemap = error { throw error }
            return try recovering(bytes, url: url)
        }
        guard reader.failed else { return streamed }
        // Malformed markup: libxml2's tree parser recovers what its reader cannot. Memory is
        // spent on a tree only for such a sitemap; the better of the two readings wins.
        guard let recovered = try? recovering(bytes, url: url), recovered.count > streamed.count else { return streamed }
        return recovered
    }

    /// Which text a record is collecting.
    private enum Field { case loc, lastmod, newsTitle, newsDate, publicationName, language }

    /// One `<url>` or `<sitemap>` being read.
    private struct Record {
        var loc = "", lastmod = "", newsTitle = "", newsDate = "", publicationName = "", language = ""
        var hasNews = false

        mutating func append(_ text: UnsafePointer<UInt8>, to field: Field) {
            func add(_ s: inout String) {
                // No real value is long; a hostile one is cut rather than grown without bound.
                if s.utf8.count < 65_536 { s += String(cString: text) }
            }
            switch field {
            case .loc: add(&loc)
            case .lastmod: add(&lastmod)
            case .newsTitle: add(&newsTitle)
            case .newsDate: add(&newsDate)
            case .publicationName: add(&publicationName)
            case .language: add(&language)
            }
        }
    }

    private static func read(_ reader: XMLPullReader, url: HTTPURL) throws(DiscoveryError) -> Sitemap {
        typealias R = XMLPullReader
        var isIndex: Bool?
        var entries: [SitemapEntry] = []
        var refs: [SitemapReference] = []
        var seen = Set<HTTPURL>()
        var record: Record?
        var field: Field?
        var inNews = false, inPublication = false

        func finish(_ r: Record) {
            guard let loc = location(r.loc, base: url), seen.insert(loc).inserted else { return }
            let lastmod = PublicationDate.parse(r.lastmod)
            if isIndex == true {
                refs.append(SitemapReference(url: loc, lastModified: lastmod))
                return
            }
            var news: NewsInfo?
            if r.hasNews {
                news = NewsInfo(title: FeedText.line(r.newsTitle, markup: false), published: PublicationDate.parse(r.newsDate),
                                publicationName: FeedText.line(r.publicationName, markup: false),
                                language: r.language.trimmedSpaces.lowercased().nilIfEmpty)
            }
            entries.append(SitemapEntry(url: loc, lastModified: lastmod, news: news))
        }

        while let event = reader.next() {
            switch event {
            case .start(let name, let namespace, let depth, let empty):
                field = nil
                if depth == 0 {
                    if R.equals(name, "urlset") {
                        isIndex = false
                    } else if R.equals(name, "sitemapindex") {
                        isIndex = true
                    } else {
                        throw .notASitemap(url: url.string, root: R.string(name))
                    }
                    continue
                }
                if depth == 1 {
                    guard isIndex == false ? R.equals(name, "url") : R.equals(name, "sitemap") else { continue }
                    if entries.count + refs.count >= SitemapLimits.maxEntriesPerSitemap { return result(isIndex, entries, refs) }
                    record = Record()
                    inNews = false
                    inPublication = false
                    if empty { record = nil }
                    continue
                }
                guard record != nil else { continue }
                if depth == 2 {
                    if R.equals(name, "loc") { field = .loc }
                    else if R.equals(name, "lastmod") { field = .lastmod }
                    else if R.equals(name, "news"), let namespace, R.equals(namespace, "http://www.google.com/schemas/sitemap-news/0.9") {
                        inNews = !empty
                        record?.hasNews = true
                    }
                } else if depth == 3 && inNews {
                    if R.equals(name, "title") { field = .newsTitle }
                    else if R.equals(name, "publication_date") { field = .newsDate }
                    else if R.equals(name, "publication") { inPublication = !empty }
                } else if depth == 4 && inPublication {
                    if R.equals(name, "name") { field = .publicationName }
                    else if R.equals(name, "language") { field = .language }
                }
                if empty { field = nil }
            case .text(let value):
                if let field { record?.append(value, to: field) }
            case .end(let depth):
                field = nil
                if depth == 1, let r = record {
                    finish(r)
                    record = nil
                } else if depth == 2 {
                    inNews = false
                } else if depth == 3 {
                    inPublication = false
                }
            }
        }
        guard let isIndex else { throw .unreadable(url: url.string, .unparsable("XML")) }
        return result(isIndex, entries, refs)
    }

    // MARK: The tree parser, for malformed sitemaps

    private static func recovering(_ bytes: [UInt8], url: HTTPURL) throws(DiscoveryError) -> Sitemap {
        let document = try XMLInput.document(bytes, url: url)
        guard let root = document.root else { throw .notASitemap(url: url.string, root: "") }
        var seen = Set<HTTPURL>()
        switch root.name {
        case "sitemapindex":
            var refs: [SitemapReference] = []
            for node in root.childElements where node.isElement(named: "sitemap") {
                guard refs.count < SitemapLimits.maxEntriesPerSitemap else { break }
                var loc: HTTPURL?
                var lastmod: PublicationDate?
                for child in node.childElements {
                    if child.isElement(named: "loc") { loc = location(child.textContent, base: url) }
                    else if child.isElement(named: "lastmod") { lastmod = PublicationDate.parse(child.textContent) }
                }
                if let loc, seen.insert(loc).inserted { refs.append(SitemapReference(url: loc, lastModified: lastmod)) }
            }
            return .index(refs)
        case "urlset":
            var entries: [SitemapEntry] = []
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
                loc = location(child.textContent, base: base)
            } else if child.isElement(named: "lastmod") {
                lastmod = PublicationDate.parse(child.textContent)
            } else if child.isElement(named: "news"), child.namespace == NS.news {
                var info = NewsInfo()
                for field in child.childElements {
                    switch field.name {
                    case "title": info.title = FeedText.line(field.textContent, markup: false)
                    case "publication_date": info.published = PublicationDate.parse(field.textContent)
                    case "publication":
                        for p in field.childElements {
                            if p.name == "name" { info.publicationName = FeedText.line(p.textContent, markup: false) }
                            if p.name == "language" { info.language = p.textContent.trimmedSpaces.lowercased().nilIfEmpty }
                        }
                    default: break
                    }
                }
                news = info
            }
        }
        guard let loc else { return nil }
        return SitemapEntry(url: loc, lastModified: lastmod, news: news)
    }

    private static func result(_ isIndex: Bool?, _ entries: [SitemapEntry], _ refs: [SitemapReference]) -> Sitemap {
        isIndex == true ? .index(refs) : .urlset(entries)
    }

    /// A `<loc>`: resolved and canonical; nil when empty or not http(s).
    private static func location(_ text: String, base: HTTPURL) -> HTTPURL? {
        guard text.contains(where: { !$0.isWhitespace }) else { return nil }
        return URLCanonicalizer.canonical(text, base: base)
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
