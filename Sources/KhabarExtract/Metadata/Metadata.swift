import CLibXML2
import Foundation
import KhabarText

/// What the page says about itself, read from `<head>`, JSON-LD and a few body elements, before
/// pruning: titles, dates, author, canonical URL, site name, declared language, description,
/// the page's declared type, and a JSON-LD `articleBody` when there is one.
struct PageMetadata {
    var title: String?
    var ogTitle: String?
    var ldHeadline: String?
    var h1: String?
    /// The h1 stands inside an `<article>`, `<main>` or body container (not a logo in a header).
    var h1InArticle = false
    var published: String?
    var modified: String?
    var author: String?
    var canonical: String?
    var ogURL: String?
    var siteName: String?
    var description: String?
    var declaredLanguage: String?
    var ogType: String?
    var ldTypes: Set<String> = []
    var ldArticleBody: String?
    /// Texts of elements that look like date lines, for dates written for people.
    var dateTexts: [String] = []
    var timeDatetime: String?
    /// Short texts of elements marked as the author or byline, in document order.
    var bylineTexts: [String] = []

    static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "reviewnewsarticle", "backgroundnewsarticle", "askpublicnewsarticle", "report", "techarticle",
        "scholarlyarticle", "liveblogposting", "socialmediaposting", "posting", "review", "medicalscholarlyarticle",
    ]
    static let listingTypes: Set<String> = ["collectionpage", "itemlist", "searchresultspage", "profilepage", "website"]

    var hasArticleType: Bool { !ldTypes.isDisjoint(with: Self.articleTypes) || ogType == "article" }
}

/// Step 0, metadata: one pass over the numbered elements, reading only meta, link, title, time,
/// h1, JSON-LD scripts and itemprop'd or date-classed elements.
enum MetadataReader {
    static func run(_ t: PageTree, contentLanguage: String?) -> PageMetadata {
        var m = PageMetadata()
        var published: [String] = []   // raw candidates in priority order
        var modified: [String] = []
        var metaAuthor: String?
        var h1Candidates: [(Int, String)] = []
        for i in 0..<t.count {
            let n = t.node[i]
            switch t.tag[i] {
            case .html:
                if m.declaredLanguage == nil { m.declaredLanguage = Language.normalize(attr(n, "lang") ?? attr(n, "xml:lang")) }
            case .meta:
                readMeta(n, &m, &published, &modified, &metaAuthor)
            case .link:
                if let rel = attr(n, "rel")?.lowercased(), rel.split(separator: " ").contains("canonical"), m.canonical == nil {
                    m.canonical = attr(n, "href")
                }
            case .title:
                if m.title == nil { m.title = clean(text(of: n)) }
            case .script:
                if let type = attr(n, "type")?.lowercased(), type.contains("ld+json") {
                    JSONLD.read(text(of: n, limit: 2_000_000), into: &m, published: &published, modified: &modified)
                }
            case .time:
                if m.timeDatetime == nil, let dt = attr(n, "datetime"), DateText.parseMachine(dt) != nil {
                    m.timeDatetime = dt
                }
                if m.dateTexts.count < 8 { m.dateTexts.append(text(of: n, limit: 200)) }
            case .h1:
                if h1Candidates.count < 4 {
                    let s = clean(text(of: n, limit: 2000))
                    if !s.isEmpty { h1Candidates.append((i, s)) }
                }
            default:
                break
            }
            if t.tag[i] != .meta, t.node[i].pointee.properties != nil, let prop = attr(n, "itemprop") {
                let value = attr(n, "content") ?? attr(n, "datetime")
                switch prop {
                case "datePublished": if let v = value ?? Optional(text(of: n, limit: 200)) { published.append(v) }
                case "dateModified": if let v = value { modified.append(v) }
                case "headline": if m.ldHeadline == nil { m.ldHeadline = clean(value ?? text(of: n, limit: 2000)) }
                default: break
                }
            }
            if t.flags[i].contains(.authorHint), m.bylineTexts.count < 6, t.chars[i] >= 3, t.chars[i] <= 80, t.tag[i] != .meta, t.tag[i] != .link {
                m.bylineTexts.append(clean(text(of: n, limit: 400)))
            }
            if t.flags[i].contains(.dateClass), m.dateTexts.count < 8, t.chars[i] < 120 {
                m.dateTexts.append(text(of: n, limit: 300))
            }
        }
        if m.declaredLanguage == nil { m.declaredLanguage = Language.normalize(contentLanguage) }
        m.published = published.lazy.compactMap(DateText.parseMachine).first
            ?? m.timeDatetime.flatMap(DateText.parseMachine)
            ?? m.dateTexts.lazy.compactMap(DateText.parseHuman).first
        m.modified = modified.lazy.compactMap(DateText.parseMachine).first
        if m.author == nil, let a = metaAuthor, !a.hasPrefix("http") { m.author = a }
        if m.author == nil { m.author = m.bylineTexts.lazy.compactMap(Self.personName).first }
        // The article's h1: the first one inside an <article>/body hint, else the first one.
        if let inside = h1Candidates.first(where: { (i, _) in insideArticle(t, i) }) {
            m.h1 = inside.1
            m.h1InArticle = true
        } else {
            m.h1 = h1Candidates.first?.1
        }
        return m
    }

    static let bylineLead: [String] = ["by ", "by:", "written by ", "author:", "posted by ", "بقلم:", "بقلم ", "كتب:", "كتب ", "كتبت ", "نویسنده:", "نویسنده ", "نوشته ", "تحرير:", "von ", "par ", "por "]

    /// The name in a byline ("By Jane Doe", "بقلم: سارة أحمد"): a few words, no digits, no URL.
    static func personName(_ line: String) -> String? {
        var s = Substring(line)
        for lead in bylineLead where s.lowercased().hasPrefix(lead) { s = s.dropFirst(lead.count); break }
        let name = String(s).trimmingCharacters(in: " :|-–—,\u{00A0}")
        let words = name.split(separator: " ")
        guard words.count >= 1, words.count <= 6, name.unicodeScalars.count >= 3,
              !name.contains("http"), !name.unicodeScalars.contains(where: { $0.properties.numericType != nil }),
              name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == " " || $0 == "." || $0 == "-" || $0 == "'" || $0 == "\u{200C}" || $0 == "’" })
        else { return nil }
        return name
    }

    static func insideArticle(_ t: PageTree, _ i: Int) -> Bool {
        var a = Int(t.parent[i])
        while a >= 0 {
            if t.tag[a] == .article || t.flags[a].contains(.strongContent) || t.tag[a] == .main { return true }
            a = Int(t.parent[a])
        }
        return false
    }

    static func readMeta(_ n: xmlNodePtr, _ m: inout PageMetadata, _ published: inout [String], _ modified: inout [String], _ author: inout String?) {
        guard let content = attr(n, "content") else { return }
        let key = (attr(n, "property") ?? attr(n, "name") ?? attr(n, "itemprop") ?? attr(n, "http-equiv") ?? "").lowercased()
        let value = content.trimmingCharacters(in: " \t\r\n")
        guard !value.isEmpty else { return }
        switch key {
        case "og:title": if m.ogTitle == nil { m.ogTitle = clean(value) }
        case "twitter:title", "parsely-title", "headline": if m.ogTitle == nil { m.ogTitle = clean(value) }
        case "og:site_name", "application-name": if m.siteName == nil { m.siteName = clean(value) }
        case "og:url": if m.ogURL == nil { m.ogURL = value }
        case "og:type": m.ogType = value.lowercased()
        case "og:description", "description", "twitter:description", "dc.description":
            if m.description == nil || key == "og:description" { m.description = clean(value) }
        case "content-language", "language", "dc.language", "og:locale":
            if m.declaredLanguage == nil { m.declaredLanguage = Language.normalize(value) }
        case "article:published_time", "og:article:published_time", "article:published", "datepublished", "pubdate",
             "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created",
             "dcterms.issued", "dcterms.date", "sailthru.date", "parsely-pub-date", "og:published_time", "published_time",
             "article.published", "citation_publication_date", "release_date", "original-publish-date", "publication_date",
             "article:post_date", "created", "cxenseparse:recs:publishtime":
            published.append(value)
        case "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified", "article:modified",
             "modified_time":
            modified.append(value)
        case "author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl", "citation_author":
            if author == nil {
                var a = clean(value)
                if a.lowercased().hasPrefix("by ") { a = String(a.dropFirst(3)) }
                if !a.isEmpty { author = a }
            }
        default: break
        }
    }

    static func attr(_ n: xmlNodePtr, _ name: String) -> String? {
        guard let v = xmlGetProp(n, name) else { return nil }
        defer { khabar_xml_free(v) }
        return String(cString: v)
    }

    /// Text below a node (entity references skipped), at most `limit` bytes.
    static func text(of n: xmlNodePtr, limit: Int = 100_000) -> String {
        var out: [UInt8] = []
        var node: xmlNodePtr? = n.pointee.children
        if n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE { node = n }
        while let c = node, out.count < limit {
            let type = c.pointee.type
            if (type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE), let content = c.pointee.content {
                var i = 0
                while content[i] != 0 && out.count < limit { out.append(content[i]); i += 1 }
            } else if type == XML_ELEMENT_NODE, let child = c.pointee.children {
                node = child
                continue
            }
            if c == n { break }
            var cur: xmlNodePtr? = c
            node = nil
            while let x = cur, x != n {
                if let next = x.pointee.next { node = next; break }
                cur = x.pointee.parent
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A one-line value to corpus rules.
    static func clean(_ s: String) -> String { CorpusText.cleanParagraph(s) }
}

/// JSON-LD (`<script type="application/ld+json">`): the article object's headline, dates, author,
/// body, publisher and language, found in plain objects, arrays and `@graph`s.
enum JSONLD {
    static func read(_ json: String, into m: inout PageMetadata, published: inout [String], modified: inout [String]) {
        // Raw control characters inside strings are common and make strict parsers fail.
        var bytes = Array(json.utf8)
        for k in bytes.indices where bytes[k] < 0x20 { bytes[k] = 0x20 }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return }
        var objects: [[String: Any]] = []
        collect(object, into: &objects, depth: 0)
        // Article objects first, then the rest (WebPage …) for what articles lack.
        let sorted = objects.sorted { isArticle($0) && !isArticle($1) }
        for o in sorted {
            let types = typeNames(o)
            m.ldTypes.formUnion(types)
            let article = isArticle(o)
            if article || types.contains("webpage") || types.isEmpty {
                if let d = o["datePublished"] as? String { published.insert(d, at: article ? 0 : published.count) }
                if let d = o["dateModified"] as? String { modified.insert(d, at: article ? 0 : modified.count) }
            }
            guard article else {
                if types.contains("organization") || types.contains("newsmediaorganization"), m.siteName == nil {
                    m.siteName = (o["name"] as? String).map(MetadataReader.clean)
                }
                continue
            }
            if m.ldHeadline == nil, let h = (o["headline"] as? String) ?? (o["name"] as? String) {
                m.ldHeadline = MetadataReader.clean(Entities.decode(h))
            }
            if m.author == nil, let a = names(o["author"]) ?? names(o["creator"]) { m.author = a }
            if m.ldArticleBody == nil, let b = o["articleBody"] as? String ?? o["text"] as? String, b.count > 100 {
                m.ldArticleBody = Entities.decode(b)
            }
            if m.siteName == nil, let p = o["publisher"] as? [String: Any], let n = p["name"] as? String {
                m.siteName = MetadataReader.clean(n)
            }
            if m.declaredLanguage == nil, let l = o["inLanguage"] as? String { m.declaredLanguage = Language.normalize(l) }
            if m.description == nil, let d = o["description"] as? String { m.description = MetadataReader.clean(Entities.decode(d)) }
        }
    }

    static func collect(_ value: Any, into out: inout [[String: Any]], depth: Int) {
        guard depth < 6 else { return }
        if let array = value as? [Any] {
            for v in array.prefix(50) { collect(v, into: &out, depth: depth + 1) }
        } else if let o = value as? [String: Any] {
            out.append(o)
            if let g = o["@graph"] { collect(g, into: &out, depth: depth + 1) }
            if let e = o["mainEntity"] { collect(e, into: &out, depth: depth + 1) }
            if let e = o["mainEntityOfPage"] as? [String: Any], e["@type"] != nil, e["headline"] != nil { collect(e, into: &out, depth: depth + 1) }
        }
    }

    static func typeNames(_ o: [String: Any]) -> Set<String> {
        if let t = o["@type"] as? String { return [t.lowercased()] }
        if let ts = o["@type"] as? [Any] { return Set(ts.compactMap { ($0 as? String)?.lowercased() }) }
        return []
    }

    static func isArticle(_ o: [String: Any]) -> Bool { !typeNames(o).isDisjoint(with: PageMetadata.articleTypes) }

    static func names(_ v: Any?) -> String? {
        var out: [String] = []
        func add(_ x: Any?) {
            if let s = x as? String {
                let c = MetadataReader.clean(Entities.decode(s))
                if !c.isEmpty && !c.hasPrefix("http") && !out.contains(c) { out.append(c) }
            } else if let o = x as? [String: Any] { add(o["name"]) } else if let a = x as? [Any] { for e in a.prefix(10) { add(e) } }
        }
        add(v)
        return out.isEmpty ? nil : out.joined(separator: ", ")
    }
}

/// HTML character references inside JSON-LD strings (`&amp;`, `&quot;`, `&#1605;`, `&#x645;`).
enum Entities {
    static let named: [String: String] = ["amp": "&", "quot": "\"", "apos": "'", "lt": "<", "gt": ">", "nbsp": "\u{00A0}",
                                          "rsquo": "\u{2019}", "lsquo": "\u{2018}", "rdquo": "\u{201D}", "ldquo": "\u{201C}",
                                          "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}", "zwnj": "\u{200C}"]

    static func decode(_ s: String) -> String {
        guard s.contains("&") || s.contains("<") else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "<" {
                // Markup inside a JSON-LD body: block tags become line breaks, the rest goes.
                guard let close = s[i...].firstIndex(of: ">") else { out.append(c); i = s.index(after: i); continue }
                let tag = s[s.index(after: i)..<close].lowercased()
                if tag.hasPrefix("p") || tag.hasPrefix("/p") || tag.hasPrefix("br") || tag.hasPrefix("div") || tag.hasPrefix("/div") || tag.hasPrefix("h") || tag.hasPrefix("/h") || tag.hasPrefix("li") { out.append("\n") }
                i = s.index(after: close)
                continue
            }
            if c == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let u = Unicode.Scalar(v) {
                    replacement = String(Character(u))
                } else { replacement = named[name] }
                if let replacement { out += replacement; i = s.index(after: semi); continue }
            }
            out.append(c)
            i = s.index(after: i)
        }
        return out
    }
}
