import CLibXML2
import KhabarHTML
import KhabarText

/// HTML bytes in, an `Article` out, as a pipeline of small named steps:
///
/// 0. **parse** — charset detected first (`HTMLParser`), libxml2 builds the tree; `PageTree`
///    numbers the elements and counts their text in one walk;
/// 1. **metadata** (`MetadataReader`) — head, JSON-LD, `<time>`, h1, before anything is removed;
/// 2. **prune** (`Prune`) — navigation, landmarks, forms, hidden and class-marked boilerplate out;
/// 3. **score** (`Score`) — paragraphs score their ancestors (length, commas, link density);
/// 4. **pick** (`Pick`) — the best candidate and the siblings that continue it;
/// 5. **collect** (`Collect`) — blocks of text at block boundaries;
/// 6. **clean** (`Clean`) — boilerplate lines, link-dominated blocks, captions, bylines out;
/// 7. **reconcile** (`Reconcile`) — a JSON-LD `articleBody` corrects a clearly wrong pick;
/// 8. **judge** (`Judge`) — language, headline, and whether the page is an article at all.
///
/// Stateless and `Sendable`: one extractor can serve every thread.
public struct Extractor: Sendable {
    public let options: ExtractionOptions
    /// Pages larger than this are refused (libxml2 itself takes at most 2 GB).
    public static let maxBytes = 64 * 1024 * 1024

    public init(options: ExtractionOptions = .init()) { self.options = options }

    public func extract(html: [UInt8], url: String? = nil, contentType: String? = nil,
                        contentLanguage: String? = nil) throws(ExtractionError) -> Article {
        do {
            return try html.withUnsafeBytes { raw throws(ExtractionError) -> Article in
                try extract(html: raw, url: url, contentType: contentType, contentLanguage: contentLanguage)
            }
        } catch let e as ExtractionError {
            throw e
        } catch {
            throw .unparsable("\(error)")
        }
    }

    public func extract(html: UnsafeRawBufferPointer, url: String? = nil, contentType: String? = nil,
                        contentLanguage: String? = nil) throws(ExtractionError) -> Article {
        guard html.count > 0 else { throw .empty }
        guard html.count <= Self.maxBytes else { throw .tooLarge(bytes: html.count, limit: Self.maxBytes) }
        let document: Document
        do {
            document = try HTMLParser.parse(html, contentType: contentType, url: url)
        } catch {
            switch error {
            case .empty: throw .empty
            case .tooLarge(let n): throw .tooLarge(bytes: n, limit: Self.maxBytes)
            default: throw .unparsable(error.description)
            }
        }
        return try document.withUnsafeDocument { doc throws(ExtractionError) -> Article in
            guard let root = xmlDocGetRootElement(doc) else { throw .noContent }
            let tree = PageTree(root: root, capacityHint: html.count / 120)
            return run(tree, url: url, contentLanguage: contentLanguage)
        }
    }

    func run(_ tree: PageTree, url: String?, contentLanguage: String?) -> Article {
        let meta = MetadataReader.run(tree, contentLanguage: contentLanguage)
        let page = PageFacts(chars: Int(tree.chars[tree.body]), linkChars: Int(tree.linkChars[tree.body]))
        let headline = Headline.choose(meta)
        let titles = [meta.h1, meta.ogTitle, meta.ldHeadline, meta.title].compactMap { $0 }
        var paragraphs = body(tree, meta: meta, headline: headline, titles: titles, gentle: false)
        // Class names can mislead (page builders call everything a "widget"): when pruning by
        // class left little of a text-rich page, try again trusting only landmarks and tags.
        let found = paragraphs.reduce(0) { $0 + $1.unicodeScalars.count }
        if page.chars >= 1500, found < 1500, found * 5 < page.chars, let root = tree.node.first {
            let again = PageTree(root: root, capacityHint: tree.count)
            let gentle = body(again, meta: meta, headline: headline, titles: titles, gentle: true)
            let gentleChars = gentle.reduce(0) { $0 + $1.unicodeScalars.count }
            if gentleChars > 2 * found + 200 { paragraphs = gentle }
        }
        if options.useJSONLDBody, let body = meta.ldArticleBody {
            paragraphs = Reconcile.run(dom: paragraphs, jsonLD: body, headline: headline)
        }
        var article = Article(headline: headline, paragraphs: paragraphs)
        article.published = meta.published ?? datePrintedNearTheArticle(tree)
        article.modified = meta.modified
        article.author = Byline.author(meta.author, siteName: meta.siteName)
        article.canonicalURL = URLText.absolute(meta.canonical ?? meta.ogURL, base: url)
        article.siteName = meta.siteName
        article.description = meta.description
        article.language = Language.decide(declared: meta.declaredLanguage, paragraphs: paragraphs)
        if let reason = Judge.notArticleReason(article, meta: meta, page: page, url: url, options: options) {
            article.isArticle = false
            article.notArticleReason = reason
        }
        return article
    }
}

extension Extractor {
    /// A date printed for people in a short line of the page's main part, when the page has no
    /// machine-readable one. Header, navigation, footer and aside landmarks are skipped: the header
    /// bar of many Arabic sites prints today's date, which is not the article's.
    func datePrintedNearTheArticle(_ tree: PageTree) -> String? {
        var checked = 0
        var i = tree.body
        while i < tree.count && checked < 400 {
            switch tree.tag[i] {
            case .header, .nav, .footer, .aside, .menu, .form: i = Int(tree.end[i]); continue
            default: break
            }
            if !tree.flags[i].contains(.void), tree.ownChars[i] > 6, tree.ownChars[i] < 80,
               let d = DateText.parseHuman(MetadataReader.text(of: tree.node[i], limit: 400)) {
                return d
            }
            if tree.ownChars[i] > 0 { checked += 1 }
            i += 1
        }
        return nil
    }

    /// Steps 2–6 on a numbered tree: prune, score, pick, collect, clean.
    func body(_ tree: PageTree, meta: PageMetadata, headline: String?, titles: [String], gentle: Bool) -> [String] {
        Prune.run(tree, gentle: gentle)
        let scores = Score.run(tree)
        let roots = Pick.run(tree, scores, description: meta.description)
        let blocks = Collect.run(tree, roots: roots)
        return Clean.run(blocks, headline: headline, titles: titles)
    }
}

/// The author as a person's name: not the site's name, which many pages put in `author`.
enum Byline {
    /// Labels and placeholders that stand where a name should.
    static let placeholders: Set<String> = ["written by", "author", "the author", "posted by", "by", "undefined", "null",
                                            "webmaster", "admin", "administrator", "editor", "staff", "unknown", "guest",
                                            "بقلم", "كتب", "نویسنده", "المحرر", "التحرير", "سردبیر"]
    static func author(_ raw: String?, siteName: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.unicodeScalars.count <= 100 else { return nil }
        if raw.contains(" | ") || raw.hasPrefix("http") || raw.hasPrefix("@") { return nil }
        if placeholders.contains(raw.lowercased().trimmingCharacters(in: " :")) { return nil }
        if raw.unicodeScalars.allSatisfy({ $0.properties.numericType != nil }) { return nil }
        if let siteName, !siteName.isEmpty {
            let a = ScriptFold.fold(raw), s = ScriptFold.fold(siteName)
            if a == s || a.contains(s) || s.contains(a) { return nil }
        }
        return raw
    }
}

/// Facts about the whole page before pruning.
struct PageFacts {
    var chars: Int
    var linkChars: Int
    var linkDensity: Double { chars > 0 ? Double(linkChars) / Double(chars) : 0 }
}
