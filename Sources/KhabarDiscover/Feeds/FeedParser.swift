import KhabarHTML

/// Reads RSS 0.9x/1.0/2.0 and Atom 1.0 (and 0.3) feeds into entries.
///
/// Liberal in what it reads, as feed readers must be: libxml2 recovers from malformed XML (after
/// `XMLInput`'s repairs), elements are matched by local name in the namespaces feeds really use
/// (and without one, where sloppy feeds drop it), and each field has an ordered list of places
/// to look. Entity references are never expanded (see `XMLInput`).
public enum FeedParser {
    public static func parse(_ bytes: [UInt8], url: HTTPURL) throws(DiscoveryError) -> Feed {
        let document = try XMLInput.document(bytes, url: url)
        return try parse(document: document, url: url)
    }

    /// Reads an already parsed XML document (see `DiscoveryDocument`).
    public static func parse(document: Document, url: HTTPURL) throws(DiscoveryError) -> Feed {
        guard let root = document.root else { throw .notAFeed(url: url.string, root: "") }
        let base = XMLBase.resolve(root, against: url)
        switch root.name {
        case "rss", "channel":
            return rss(root, base: base, format: .rss)
        case "RDF":
            return rss(root, base: base, format: .rdf)
        case "feed":
            return atom(root, base: base)
        default:
            throw .notAFeed(url: url.string, root: root.name)
        }
    }

    // MARK: RSS and RDF

    private static func rss(_ root: Node, base: HTTPURL, format: FeedFormat) -> Feed {
        var channel: Node?
        var items: [(Node, HTTPURL)] = []
        for child in root.childElements {
            if child.name == "channel" && channel == nil {
                channel = child
                let channelBase = XMLBase.resolve(child, against: base)
                for item in child.childElements where item.name == "item" {
                    items.append((item, XMLBase.resolve(item, against: channelBase)))
                }
            } else if child.name == "item" {
                items.append((child, XMLBase.resolve(child, against: base)))
            }
        }
        if root.name == "channel" {
            channel = root
            for item in root.childElements where item.name == "item" {
                items.append((item, XMLBase.resolve(item, against: base)))
            }
        }
        var feed = Feed(format: format, title: nil, homepage: nil, entries: [])
        if let channel {
            for child in channel.childElements where NS.isRSS(child.namespace) {
                if child.name == "title", feed.title == nil { feed.title = FeedText.line(child.textContent, markup: false) }
                if child.name == "link", feed.homepage == nil { feed.homepage = URLCanonicalizer.canonical(child.textContent, base: base) }
            }
        }
        var seen = Set<HTTPURL>()
        for (item, itemBase) in items {
            guard let entry = rssEntry(item, base: itemBase), seen.insert(entry.url).inserted else { continue }
            feed.entries.append(entry)
        }
        return feed
    }

    private static func rssEntry(_ item: Node, base: HTTPURL) -> FeedEntry? {
        var title: String?
        var links: [HTTPURL] = []
        var origLink: HTTPURL?
        var atomLink: HTTPURL?
        var guid: (text: String, permalink: Bool)?
        var pubDate: PublicationDate?, dcDate: PublicationDate?, issued: PublicationDate?, atomPublished: PublicationDate?
        var modified: PublicationDate?
        var author: String?, creator: String?

        for child in item.childElements {
            let ns = child.namespace
            switch child.name {
            case "title" where NS.isRSS(ns) && title == nil:
                title = FeedText.line(child.textContent, markup: false)
            case "link" where NS.isRSS(ns):
                if let u = URLCanonicalizer.canonical(child.textContent, base: XMLBase.resolve(child, against: base)) { links.append(u) }
            case "link" where NS.isAtom(ns) && atomLink == nil:
                let rel = child.attribute("rel") ?? "alternate"
                if rel == "alternate", let href = child.attribute("href") {
                    atomLink = URLCanonicalizer.canonical(href, base: XMLBase.resolve(child, against: base))
                }
            case "origLink" where ns == NS.feedburner:
                origLink = URLCanonicalizer.canonical(child.textContent, base: base)
            case "guid" where NS.isRSS(ns):
                guid = (child.textContent.trimmedSpaces, child.attribute("isPermaLink")?.lowercased() != "false")
            case "pubDate" where NS.isRSS(ns):
                pubDate = PublicationDate.parse(child.textContent)
            case "date" where ns == NS.dc:
                dcDate = dcDate ?? PublicationDate.parse(child.textContent)
            case "issued" where ns == NS.dcterms, "created" where ns == NS.dcterms:
                issued = issued ?? PublicationDate.parse(child.textContent)
            case "modified" where ns == NS.dcterms, "updated" where NS.isAtom(ns):
                modified = modified ?? PublicationDate.parse(child.textContent)
            case "published" where NS.isAtom(ns):
                atomPublished = PublicationDate.parse(child.textContent)
            case "author" where NS.isRSS(ns):
                author = author ?? FeedText.person(child.textContent)
            case "creator" where ns == NS.dc:
                creator = creator ?? FeedText.person(child.textContent)
            default:
                break
            }
        }
        var url = origLink ?? links.first ?? atomLink
        if url == nil, let guid, guid.permalink, let u = URLCanonicalizer.canonical(guid.text, base: nil) { url = u }
        if url == nil, let about = item.attribute("about") { url = URLCanonicalizer.canonical(about, base: base) }
        guard let url else { return nil }
        return FeedEntry(url: url, title: title, published: pubDate ?? dcDate ?? issued ?? atomPublished,
                         updated: modified, author: author ?? creator, id: guid?.text.nilIfEmpty)
    }

    // MARK: Atom

    private static func atom(_ root: Node, base: HTTPURL) -> Feed {
        var feed = Feed(format: .atom, title: nil, homepage: nil, entries: [])
        var feedAuthor: String?
        var seen = Set<HTTPURL>()
        for child in root.childElements where NS.isAtomOrNone(child.namespace) {
            switch child.name {
            case "title" where feed.title == nil:
                feed.title = atomText(child)
            case "link" where feed.homepage == nil:
                if (child.attribute("rel") ?? "alternate") == "alternate", let href = child.attribute("href") {
                    feed.homepage = URLCanonicalizer.canonical(href, base: XMLBase.resolve(child, against: base))
                }
            case "author" where feedAuthor == nil:
                feedAuthor = atomPerson(child)
            case "entry":
                guard let entry = atomEntry(child, base: XMLBase.resolve(child, against: base)),
                      seen.insert(entry.url).inserted else { continue }
                feed.entries.append(entry)
            default:
                break
            }
        }
        if let feedAuthor {
            for i in feed.entries.indices where feed.entries[i].author == nil { feed.entries[i].author = feedAuthor }
        }
        return feed
    }

    private static func atomEntry(_ entry: Node, base: HTTPURL) -> FeedEntry? {
        var title: String?
        var htmlLink: HTTPURL?, otherAlternate: HTTPURL?, origLink: HTTPURL?
        var published: PublicationDate?, updated: PublicationDate?
        var author: String?
        var id: String?
        for child in entry.childElements {
            let ns = child.namespace
            if ns == NS.feedburner && child.name == "origLink" {
                origLink = URLCanonicalizer.canonical(child.textContent, base: base)
                continue
            }
            guard NS.isAtomOrNone(ns) else { continue }
            switch child.name {
            case "title" where title == nil:
                title = atomText(child)
            case "link":
                guard (child.attribute("rel") ?? "alternate") == "alternate", let href = child.attribute("href"),
                      let u = URLCanonicalizer.canonical(href, base: XMLBase.resolve(child, against: base)) else { continue }
                let type = child.attribute("type")?.lowercased() ?? "text/html"
                if htmlLink == nil && (type == "text/html" || type == "application/xhtml+xml") {
                    htmlLink = u
                } else if otherAlternate == nil {
                    otherAlternate = u
                }
            case "published", "issued", "created":
                published = published ?? PublicationDate.parse(child.textContent)
            case "updated", "modified":
                updated = updated ?? PublicationDate.parse(child.textContent)
            case "author" where author == nil:
                author = atomPerson(child)
            case "id" where id == nil:
                id = child.textContent.trimmedSpaces.nilIfEmpty
            default:
                break
            }
        }
        var url = origLink ?? htmlLink ?? otherAlternate
        if url == nil, let id, let u = URLCanonicalizer.canonical(id, base: nil) { url = u }
        guard let url else { return nil }
        return FeedEntry(url: url, title: title, published: published, updated: updated, author: author, id: id)
    }

    /// An Atom text construct: `type="text"` (default), `"html"` (escaped markup) or `"xhtml"`.
    private static func atomText(_ node: Node) -> String? {
        let type = node.attribute("type")?.lowercased() ?? "text"
        return FeedText.line(node.textContent, markup: type == "html" || type == "text/html")
    }

    private static func atomPerson(_ node: Node) -> String? {
        for child in node.childElements where child.name == "name" {
            return FeedText.person(child.textContent)
        }
        return FeedText.person(node.textContent)
    }
}

/// The namespaces feeds use.
enum NS {
    static let atom = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let dc = "http://purl.org/dc/elements/1.1/"
    static let dcterms = "http://purl.org/dc/terms/"
    static let feedburner = "http://rssnamespace.org/feedburner/ext/1.0"
    static let sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
    static let news = "http://www.google.com/schemas/sitemap-news/0.9"

    /// RSS 2.0 has no namespace; RSS 1.0 and 0.90 have their own.
    static func isRSS(_ ns: String?) -> Bool { ns == nil || ns == rss10 || ns == rss090 }
    static func isAtom(_ ns: String?) -> Bool { ns == atom || ns == atom03 }
    static func isAtomOrNone(_ ns: String?) -> Bool { ns == nil || isAtom(ns) }
}

/// `xml:base` (XML Base, used by Atom): each element's base is its own `xml:base` resolved
/// against its parent's. Callers walk top-down and pass the parent's base along.
enum XMLBase {
    static func resolve(_ node: Node, against parent: HTTPURL) -> HTTPURL {
        // `attribute("base")` finds `xml:base` (libxml2's lookup ignores the prefix).
        guard let value = node.attribute("base"), !value.isEmpty else { return parent }
        return parent.resolve(value) ?? parent
    }
}

extension String {
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    var nilIfEmpty: String? { isEmpty ? nil : self }
}
