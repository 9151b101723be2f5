/// What an element's `class`, `id` and `role` say about it, read as lower-cased bytes with no
/// String built: boilerplate (menus, share bars, comments, related lists, ads …) or content
/// (article body containers). English names and the habits of Arabic and Persian news sites,
/// which mostly use English-like class names too. General, never per site.
enum ClassHints {
    struct Verdict: OptionSet {
        let rawValue: UInt8
        static let boilerplate = Verdict(rawValue: 1)
        static let content = Verdict(rawValue: 2)
        /// A strong content hint (`itemprop=articleBody`, `article-body`, `entry-content` …).
        static let strongContent = Verdict(rawValue: 4)
    }

    /// Whole tokens (class names split at space, `-`, `_`, `:` and `.`) that mark boilerplate.
    static let boilerTokens: Set<UInt64> = Set([
        "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsense", "adslot", "dfp", "gpt",
        "banner", "share", "shares", "sharing", "sharethis", "addthis", "social", "socials", "related", "sidebar",
        "menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "footer", "header",
        "newsletter", "subscribe", "subscription", "promo", "promotion", "sponsor", "sponsored", "popup", "modal",
        "cookie", "cookies", "gdpr", "consent", "pagination", "pager", "paging", "toolbar", "print", "tags", "tag",
        "taglist", "keywords", "comments", "comment", "byline", "caption", "credit", "credits", "copyright", "follow",
        "trending", "popular", "recommended", "recommendations", "outbrain", "taboola", "login", "signin", "search",
        "masthead", "skip", "dialog", "tooltip", "rating", "ratings", "vote", "poll", "disqus", "fb",
        "whatsapp", "telegram", "linkedin", "pinterest", "email", "mail", "rss", "feedback",
        "reactions", "emoji", "breaking", "ticker", "marquee", "weather", "prayer", "currency", "timeline",
        "topics", "categories", "category", "author", "authors", "bio", "avatar", "meta", "date", "dateline",
        "published", "updated", "offcanvas", "drawer", "overlay", "lightbox", "carousel", "slider", "slideshow",
        "thumbnails", "thumbs", "thumb", "gallery", "video", "player", "audio", "podcast", "app", "download",
        "sr", "visually", "screen", "noprint", "aside", "extra", "extras", "supplemental",
        "readmore", "seealso", "also", "next", "prev", "previous", "pagenav", "postnav", "mostread", "mostviewed",
        "most", "viewed", "latest", "recent", "archive", "infobox", "fontsize", "zoom", "tools", "utility",
        "utilities", "actions", "buttons", "btn", "button", "icons", "icon", "logo", "brand", "shortlink",
        "permalink", "qr", "toc", "notice", "alert", "announcement", "register", "signup",
        "cta", "teaser", "teasers", 
        "community", "discussion", "replies", "reply", "respond", "contact",
    ].map { hash(Array($0.utf8)[...]) })

    /// Tokens that, seen together with "content" words, still mean content (`article`, `body` …).
    static let contentTokens: Set<UInt64> = Set([
        "article", "articles", "content", "body", "entry", "post", "story", "text", "main", "detail", "details",
        "blog", "news", "single", "prose", "richtext", "rte", "page", "column", "col", "matn", "khabar", "full",
    ].map { hash(Array($0.utf8)[...]) })

    /// Substrings that mark boilerplate even inside compound names (`commentList`, `relatedNews` …).
    static let boilerSubstrings: [[UInt8]] = [
        "comment", "disqus", "sidebar", "breadcrumb", "newsletter", "related", "recommend", "advert", "sharing",
        "share-", "-share", "social", "footer", "popup", "cookie", "outbrain", "taboola", "mostread", "most-read",
        "mostpopular", "most-popular", "mostviewed", "most-viewed", "readmore", "read-more", "morenews", "more-news",
        "more-stories", "alsoread", "also-read", "see-also", "subscribe", "pagination", "toolbar",
        "sponsor", "masthead", "navbar", "navigation", "menu", "banner", "byline", "author-info", "authorinfo",
        "author-box", "post-meta", "entry-meta", "article-meta", "tag-list", "taglist", "tags-", "-tags", "keyword",
        "social", "signup", "shortlink", "short-link", "print", "font-size", "fontsize", "breaking", "ticker",
        "newsticker", "caption", "copyright", "promo",
    ].map { Array($0.utf8) }

    /// Substrings that are strong evidence of the article body container.
    static let strongContentSubstrings: [[UInt8]] = [
        "articlebody", "article-body", "article_body", "article__body", "articletext", "article-text",
        "article_text", "article-content", "article_content", "articlecontent", "article__content",
        "entry-content", "entry_content", "entrycontent", "post-content", "post_content", "postcontent",
        "post-body", "post_body", "postbody", "story-body", "story_body", "storybody", "story-content",
        "storycontent", "news-text", "newstext", "news-body", "newsbody", "news-content", "newscontent",
        "body-text", "bodytext", "main-text", "maintext", "content-body", "contentbody", "detail-body",
        "details-body", "item-text", "itemtext", "news_text", "news_body", "article-details", "article-detail",
        "field-body", "field--name-body", "text-content", "single-content", "the-content", "td-post-content",
    ].map { Array($0.utf8) }

    /// Substring patterns bucketed by their first byte, so a scan looks at each byte once.
    struct PatternSet {
        var buckets: [[[UInt8]]] = Array(repeating: [], count: 256)
        init(_ patterns: [[UInt8]]) {
            for p in patterns where !p.isEmpty { buckets[Int(p[0])].append(p) }
        }
        func matches(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
            let n = s.count
            var i = 0
            while i < n {
                for p in buckets[Int(s[i])] where p.count <= n - i {
                    var k = 1
                    while k < p.count && s[i + k] == p[k] { k += 1 }
                    if k == p.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    static let strongContentSet = PatternSet(strongContentSubstrings)
    static let boilerSet = PatternSet(boilerSubstrings)

    /// Judges the lower-cased bytes of `class` and `id` joined by a space.
    static func judge(_ s: UnsafeBufferPointer<UInt8>) -> Verdict {
        var verdict: Verdict = []
        // Strong content first: it overrides boilerplate tokens in the same attribute.
        if strongContentSet.matches(s) { return [.content, .strongContent] }
        var boiler = false
        var content = false
        var start = 0
        let n = s.count
        var i = 0
        while i <= n {
            let c: UInt8 = i < n ? s[i] : 0x20
            if c == 0x20 || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".") || c == UInt8(ascii: "/") {
                if i > start {
                    let h = hash(s[start..<i])
                    if !boiler && boilerTokens.contains(h) { boiler = true }
                    if !content && contentTokens.contains(h) { content = true }
                }
                start = i + 1
            }
            i += 1
        }
        if !boiler && boilerSet.matches(s) { boiler = true }
        if boiler { verdict.insert(.boilerplate) }
        if content { verdict.insert(.content) }
        return verdict
    }

    /// Judges an ARIA `role` value.
    static func judgeRole(_ s: UnsafeBufferPointer<UInt8>) -> Verdict {
        switch String(decoding: s, as: UTF8.self) {
        case "navigation", "banner", "complementary", "contentinfo", "search", "menu", "menubar", "dialog",
             "alert", "alertdialog", "tablist", "toolbar", "tooltip", "form", "marquee", "timer":
            return .boilerplate
        case "main", "article": return .content
        default: return []
        }
    }

    /// FNV-1a over a token's bytes: a set of hashes needs no allocation per lookup.
    @inline(__always)
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    @inline(__always)
    static func contains(_ s: UnsafeBufferPointer<UInt8>, _ p: [UInt8]) -> Bool {
        let m = p.count
        let n = s.count
        guard m <= n, let first = p.first else { return false }
        var i = 0
        while i <= n - m {
            if s[i] == first {
                var k = 1
                while k < m && s[i + k] == p[k] { k += 1 }
                if k == m { return true }
            }
            i += 1
        }
        return false
    }
}
