import Foundation
import KhabarHTML

/// An article link found on a listing page.
public struct ArticleLink: Sendable, Hashable {
    /// Absolute and canonical.
    public var url: HTTPURL
    /// The link's text, one clean line; nil when it has none (an image link).
    public var text: String?

    public init(url: HTTPURL, text: String? = nil) {
        self.url = url
        self.text = text
    }
}

/// Decides which URLs are articles: the source's `article_url_pattern` when it has one,
/// else `ArticleURLHeuristic`.
///
/// The pattern is an NSRegularExpression searched anywhere in the URL (like Python's
/// `re.search`), in two spellings — the canonical, percent-encoded URL and the same with its
/// path and query decoded — so `/خبر/\d+` and `/%D8%AE%D8%A8%D8%B1/` both work.
public struct ArticleURLMatcher: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and documented as safe to use
    // from several threads at once.
    private let regex: NSRegularExpression?

    /// The pattern as configured; nil for the heuristic.
    public let pattern: String?

    public init(pattern: String?) throws(DiscoveryError) {
        guard let pattern, !pattern.isEmpty else {
            self.pattern = nil
            regex = nil
            return
        }
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw .badPattern(pattern)
        }
        self.pattern = pattern
    }

    /// The heuristic matcher.
    public static let heuristic = ArticleURLMatcher()

    private init() {
        pattern = nil
        regex = nil
    }

    public func matches(_ url: HTTPURL) -> Bool {
        guard let regex else { return ArticleURLHeuristic.looksLikeArticle(url) }
        if search(regex, url.string) { return true }
        let decoded = PercentEncoding.decodeLeniently(Substring(url.string))
        return decoded != url.string && search(regex, decoded)
    }

    private func search(_ regex: NSRegularExpression, _ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }
}

/// Article links on a section or listing page (`listing_pages` in the configuration, or a
/// homepage).
///
/// Looks at the page's main area — `<main>`, else `[role=main]`, else the body — and skips
/// what every page repeats: `nav`, `aside`, `footer`, a `header` that is not an article's own,
/// forms, and blocks whose class or id says menu, navigation, breadcrumb, footer, sidebar,
/// pagination, share or social. When that leaves no article link, the whole page is scanned
/// once more without skipping (some sites mark their content up as a sidebar).
///
/// Links are resolved against `<base href>` and the page URL, canonicalised, kept when the
/// source's `SitePolicy` allows them and the matcher says article; the page itself and the
/// site's front page are never returned. Document order, one link per URL.
public enum ListingPage {
    public static func articleLinks(in document: Document, pageURL: HTTPURL, policy: SitePolicy,
                                    matcher: ArticleURLMatcher = .heuristic) -> [ArticleLink] {
        guard let root = document.root else { return [] }
        let base = URLCanonicalizer.baseURL(of: document, documentURL: pageURL)
        let page = URLCanonicalizer.canonical(pageURL)
        let area = MainArea.find(in: root)
        var links = collect(from: area, base: base, page: page, policy: policy, matcher: matcher, skipBoilerplate: true)
        if links.isEmpty {
            links = collect(from: root, base: base, page: page, policy: policy, matcher: matcher, skipBoilerplate: false)
        }
        return links
    }

    private static func collect(from start: Node, base: HTTPURL, page: HTTPURL, policy: SitePolicy,
                                matcher: ArticleURLMatcher, skipBoilerplate: Bool) -> [ArticleLink] {
        var out: [ArticleLink] = []
        var index: [HTTPURL: Int] = [:]
        var stack: [(node: Node, inArticle: Bool)] = [(start, false)]
        while let (node, inArticle) = stack.popLast() {
            if node != start && MainArea.isNeverContent(node) { continue }
            if skipBoilerplate && node != start && MainArea.isBoilerplate(node, inArticle: inArticle) { continue }
            if node.isElement(named: "a") {
                guard let href = node.attribute("href"), let url = URLCanonicalizer.canonical(href, base: base),
                      url != page, !url.isRoot, policy.allows(url), matcher.matches(url) else { continue }
                let text = FeedText.line(node.textContent, markup: false)
                if let i = index[url] {
                    // The same article linked twice (image, then headline): keep the longer text.
                    if (out[i].text?.count ?? 0) < (text?.count ?? 0) { out[i].text = text }
                } else {
                    index[url] = out.count
                    out.append(ArticleLink(url: url, text: text))
                }
                continue
            }
            let childInArticle = inArticle || node.isElement(named: "article")
            for child in node.childElements.reversed() { stack.append((child, childInArticle)) }
        }
        return out
    }
}

/// The main area of a page and the boilerplate inside it.
enum MainArea {
    static func find(in root: Node) -> Node {
        var roleMain: Node?
        var body: Node?
        for element in root.descendantElements {
            if element.isElement(named: "main") { return element }
            if roleMain == nil, element.attribute("role")?.lowercased() == "main" { roleMain = element }
            if body == nil, element.isElement(named: "body") { body = element }
        }
        return roleMain ?? body ?? root
    }

    /// Elements whose links are never content: scripts, styles, templates, forms and controls.
    static func isNeverContent(_ node: Node) -> Bool {
        switch node.name {
        case "script", "style", "noscript", "template", "form", "select", "button", "svg", "iframe": return true
        default: return false
        }
    }

    private static let boilerplateElements: Set<String> = ["nav", "aside", "footer", "menu"]
    private static let boilerplateRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search", "toolbar",
    ]
    /// Words of a class or id that mark a repeated block.
    private static let boilerplateWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "menus", "megamenu", "submenu", "mainmenu", "breadcrumb", "breadcrumbs",
        "footer", "sidebar", "pagination", "pager", "share", "sharing", "social", "dropdown", "offcanvas",
        "topbar", "masthead",
    ]
    /// Words that mark a layout wrapper rather than a block (`layout-with-sidebar`).
    private static let wrapperWords: Set<String> = [
        "content", "main", "wrap", "wrapper", "container", "layout", "page", "body", "with", "has", "no", "inner",
        "row", "col", "column", "grid",
    ]
    private static let headerWords: Set<String> = ["site", "top", "global"]

    static func isBoilerplate(_ node: Node, inArticle: Bool) -> Bool {
        let name = node.name
        if name == "body" || name == "html" || name == "main" || name == "article" { return false }
        if boilerplateElements.contains(name) { return true }
        if name == "header" && !inArticle { return true }
        if let role = node.attribute("role")?.lowercased(), boilerplateRoles.contains(role) { return true }
        for attribute in ["class", "id"] {
            guard let value = node.attribute(attribute) else { continue }
            for token in value.lowercased().split(whereSeparator: \.isWhitespace) {
                let words = token.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
                guard let first = words.first, let last = words.last else { continue }
                if words.contains(where: wrapperWords.contains) { continue }
                if boilerplateWords.contains(first) || boilerplateWords.contains(last) { return true }
                if (first == "header" || last == "header") && (words.count == 1 || words.contains(where: headerWords.contains)) && !inArticle {
                    return true
                }
            }
        }
        return false
    }
}
