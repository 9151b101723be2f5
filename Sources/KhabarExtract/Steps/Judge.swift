import KhabarText

/// The headline: JSON-LD `headline`, `og:title`, the article's `h1`, then `<title>` — each with
/// the site's name taken off ("Headline | Site", "Site - Headline").
enum Headline {
    static let separators = [" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " ｜ ", " :", " _ "]

    static func choose(_ m: PageMetadata) -> String? {
        // The headline a reader sees is the article's h1 — when it is the article's: inside the
        // article, or agreeing with what the page's metadata calls its title.
        if let h1 = m.h1, h1.unicodeScalars.count >= 8, m.h1InArticle || agrees(h1, with: [m.ldHeadline, m.ogTitle, m.title]) {
            return h1
        }
        for candidate in [m.ldHeadline, m.ogTitle, m.h1, m.title] {
            guard let c = candidate, !c.isEmpty else { continue }
            let stripped = stripSiteName(c, siteName: m.siteName, h1: m.h1)
            if !stripped.isEmpty { return stripped }
        }
        return nil
    }

    /// True when `h1` and one of `titles` share most of their words (folded).
    static func agrees(_ h1: String, with titles: [String?]) -> Bool {
        let a = ScriptFold.fold(h1)
        for case let t? in titles {
            let b = ScriptFold.fold(t)
            if b.contains(a) || a.contains(b) { return true }
        }
        return false
    }

    static func stripSiteName(_ title: String, siteName: String?, h1: String?) -> String {
        // When the h1 is the title less the decorations, it is the headline.
        if let h1, h1 != title, h1.unicodeScalars.count >= 10, title.contains(h1) { return h1 }
        for sep in separators where title.contains(sep) {
            var parts = title.components(separatedBy: sep)
            guard parts.count >= 2 else { continue }
            let site = siteName.map { ScriptFold.fold($0) }
            func isSite(_ p: String) -> Bool {
                let f = ScriptFold.fold(p)
                if let site, !site.isEmpty, f == site || f.contains(site) || site.contains(f) { return true }
                return false
            }
            if isSite(parts[parts.count - 1]) { parts.removeLast() } else if isSite(parts[0]) { parts.removeFirst() }
            else if parts.count == 2, parts[1].unicodeScalars.count * 3 < parts[0].unicodeScalars.count,
                    parts[1].split(separator: " ").count <= 3 {
                parts.removeLast()
            } else { continue }
            return CorpusText.cleanParagraph(parts.joined(separator: sep))
        }
        return title
    }
}

/// Absolute URLs for canonical links.
enum URLText {
    static func absolute(_ raw: String?, base: String?) -> String? {
        guard let raw = raw?.trimmingCharacters(in: " \t\r\n"), !raw.isEmpty else { return nil }
        let lower = raw.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return raw }
        guard let base, let schemeEnd = base.range(of: "://") else { return nil }
        let scheme = String(base[..<schemeEnd.lowerBound])
        if raw.hasPrefix("//") { return scheme + ":" + raw }
        let afterScheme = base[schemeEnd.upperBound...]
        let host = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let origin = scheme + "://" + host
        if raw.hasPrefix("/") { return origin + raw }
        let path = afterScheme.dropFirst(host.count).prefix { $0 != "?" && $0 != "#" }
        let dir = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + dir + raw
    }

    /// The path of a URL ("/" for a bare host).
    static func path(_ url: String) -> String {
        guard let r = url.range(of: "://") else { return url }
        let rest = url[r.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...].prefix { $0 != "?" && $0 != "#" })
    }
}

/// Step 8, judge: is this page an article? A homepage, a listing, a tag or search page, or a
/// page with too little text is not, and the reason is one line for the ingestion log.
enum Judge {
    static func notArticleReason(_ a: Article, meta: PageMetadata, page: PageFacts, url: String?,
                                 options: ExtractionOptions) -> String? {
        let chars = a.bodyCharacters
        if chars == 0 { return "no article text found" }
        if chars < options.minArticleCharacters { return "too little article text (\(chars) characters)" }
        // U+FFFD stands for bytes that were not text in the charset the page was read in: a site
        // that garbled its own text, or a charset lie `Charset.detect` could not see through.
        // Mojibake in the corpus is worse than a missing article; one or two stray marks are not.
        let replaced = a.paragraphs.reduce(0) { $0 + $1.unicodeScalars.lazy.filter { $0 == "\u{FFFD}" }.count }
        if replaced >= 3, replaced * 200 >= chars {
            return "undecodable text (\(replaced) replacement characters: bytes not in the page's charset)"
        }
        if let url, isHomepagePath(URLText.path(url)), !meta.hasArticleType {
            return "the site's home page"
        }
        if !meta.hasArticleType, !meta.ldTypes.isDisjoint(with: ["collectionpage", "searchresultspage", "profilepage", "itemlist"]) {
            return "a listing page (its structured data says so)"
        }
        // A long body of prose is an article whatever its menus weigh.
        if !meta.hasArticleType, page.linkDensity > 0.55, chars * 4 < page.chars, chars < 1500 {
            return "mostly links (a listing or index page)"
        }
        return nil
    }

    static func isHomepagePath(_ p: String) -> Bool {
        let trimmed = p.split(separator: "/")
        if trimmed.isEmpty { return true }
        if trimmed.count == 1 {
            let s = trimmed[0].lowercased()
            if s.hasPrefix("index.") || s.hasPrefix("default.") || s == "home" || s == "homepage" || s.hasPrefix("home.") { return true }
            if s.count == 2 && s.allSatisfy({ $0.isLetter }) { return true }   // /ar/, /fa/
        }
        return false
    }
}

/// Step 7, reconcile: when the page carries its own `articleBody` in JSON-LD, it is the
/// publisher's statement of what the article is. The markup's paragraphs stay (they keep the
/// structure) when they cover that body; a pick that missed most of it is replaced by it, and a
/// pick that covers it but carries much more loses the paragraphs the body does not contain.
enum Reconcile {
    static func tokens(_ s: String) -> [String] {
        ScriptFold.fold(s).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    static func split(_ jsonLD: String, _ dom: [String]) -> [String] {
        let ld = jsonLD.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { CorpusText.cleanParagraph($0) }.filter { !$0.isEmpty }
        return ld.isEmpty ? dom : ld
    }

    static func run(dom: [String], jsonLD: String, headline: String?) -> [String] {
        let ldTokens = tokens(jsonLD)
        guard ldTokens.count >= 40 else { return dom }
        var ldCounts: [String: Int] = [:]
        for t in ldTokens { ldCounts[t, default: 0] += 1 }
        var domTokens: [String] = []
        for p in dom { domTokens += tokens(p) }
        var remaining = ldCounts
        var overlap = 0
        for t in domTokens { if let c = remaining[t], c > 0 { remaining[t] = c - 1; overlap += 1 } }
        let coverage = Double(overlap) / Double(ldTokens.count)
        let precision = domTokens.isEmpty ? 0 : Double(overlap) / Double(domTokens.count)
        // Many sites put a teaser in articleBody (cut at 500 characters, or ending in "…"):
        // a statement of the article's start, not of its extent.
        let trimmed = jsonLD.trimmingCharacters(in: " \n\r\t")
        let truncated = trimmed.hasSuffix("…") || trimmed.hasSuffix("...") || trimmed.hasSuffix("[…]")
        if truncated { return dom.isEmpty ? split(jsonLD, dom) : dom }
        if coverage < 0.6 {
            // The markup missed the article: take the publisher's body, a paragraph per line.
            return split(jsonLD, dom)
        }
        if precision < 0.5 { return dom }
        if precision < 0.85 {
            // Keep only the paragraphs the publisher's body contains.
            return dom.filter { p in
                let ts = tokens(p)
                guard !ts.isEmpty else { return false }
                let inside = ts.reduce(0) { $0 + (ldCounts[$1] != nil ? 1 : 0) }
                return Double(inside) / Double(ts.count) >= 0.7
            }
        }
        return dom
    }
}
