/// Does a URL look like one article rather than a section, tag, author, search or pagination
/// page? The default when a source configures no `article_url_pattern`.
///
/// Built from the habits of news CMSs (WordPress, Drupal, the CMSs of Arab and Iranian
/// agencies): an article URL carries an identifier — a long number (`/news/4821733/…`,
/// `…-123456.html`, `?p=1234`, `?NewsID=98765`), a date path followed by a slug
/// (`/2022/07/19/slug`, Persian `/1401/04/28/…`), or a slug of several words, in any script
/// (`/روسيا-وإيران-توقعان-اتفاقية`). It is *not* an article when a path segment names a listing or a
/// utility page (`tag`, `category`, `author`, `search`, `page/2`, `feed`, `login` … and their Arabic and
/// Persian equivalents: وسم، تصنيف، كاتب، بحث، برچسب، دسته، نویسنده، جستجو …), when the query paginates or
/// searches, or when the file is media or a document.
public enum ArticleURLHeuristic {
    /// Path segments (lower-cased, percent-decoded) that mark a listing or utility page.
    public static let listingSegments: Set<String> = [
        // English
        "tag", "tags", "topic", "topics", "category", "categories", "cat", "section", "sections", "service", "services",
        "author", "authors", "writer", "writers", "search", "feed", "feeds", "rss", "atom", "login", "logout",
        "signin", "sign-in", "signup", "sign-up", "register", "account", "user", "users", "profile", "contact",
        "contact-us", "about", "about-us", "privacy", "privacy-policy", "terms", "advertise", "subscribe",
        "newsletter", "newsletters", "comments", "comment", "print", "sitemap", "archive", "archives", "calendar",
        "wp-admin", "wp-login.php", "wp-content", "wp-includes", "wp-json", "xmlrpc.php", "cdn-cgi", "cart",
        // Arabic: tag, category, section(s), author/writer, search, page
        "وسم", "وسوم", "الوسم", "الوسوم", "تصنيف", "التصنيف", "تصنيفات", "قسم", "القسم", "أقسام", "الأقسام",
        "كاتب", "الكاتب", "كتاب-الرأي", "مؤلف", "بحث", "البحث", "صفحة", "الأرشيف", "أرشيف", "اتصل-بنا", "من-نحن",
        // Persian: tag(s), category, section, service, author(s), search, page, archive
        "برچسب", "برچسب‌ها", "برچسبها", "دسته", "دسته‌بندی", "دسته-بندی", "بخش", "سرویس", "نویسنده", "نویسندگان",
        "جستجو", "جستجوی", "صفحه", "آرشیو", "بایگانی", "تماس-با-ما", "درباره-ما",
    ]

    /// Segments after which a number is an archive's page, not an article (`/page/2`).
    static let paginationSegments: Set<String> = ["page", "صفحة", "صفحه"]

    /// Query parameters that paginate, search, filter or print.
    public static let listingParameters: Set<String> = [
        "page", "paged", "pg", "s", "q", "query", "search", "keyword", "keywords", "tag", "tags", "cat",
        "category", "author", "sort", "orderby", "order", "filter", "replytocom", "print", "start", "offset",
    ]

    /// Query parameters whose numeric value names one article.
    public static let articleIDParameters: Set<String> = [
        "p", "id", "nid", "aid", "sid", "newsid", "news_id", "articleid", "article_id", "storyid", "story_id",
        "story", "itemid", "item_id", "contentid", "content_id", "postid", "post_id", "no", "idx",
    ]

    /// The first word of slugs that are site pages, not articles (`terms-and-conditions`).
    static let utilitySlugStarts: Set<String> = [
        "about", "contact", "privacy", "terms", "cookie", "cookies", "advertise", "advertising", "careers",
        "jobs", "subscribe", "login", "register", "سياسة", "اتصل", "اعلن", "أعلن", "حریم", "تماس", "درباره", "شرایط",
    ]

    /// File extensions that are never article pages.
    static let nonPageExtensions: Set<String> = [
        "jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "bmp", "ico", "tif", "tiff", "mp3", "mp4", "m4a", "m4v",
        "webm", "ogg", "ogv", "wav", "avi", "mov", "mkv", "flv", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
        "zip", "rar", "7z", "gz", "tar", "apk", "exe", "dmg", "xml", "rss", "atom", "json", "css", "js", "txt", "csv",
    ]

    /// Extensions of server-rendered pages; stripped before looking at the slug.
    static let pageExtensions: Set<String> = ["html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cms", "ece"]

    public static func looksLikeArticle(_ url: HTTPURL) -> Bool {
        let segments = url.pathSegments.map { $0.lowercased() }
        let query = url.queryItems.map { (name: PercentEncoding.decodeLeniently(Substring($0.name)).lowercased(), value: $0.value ?? "") }

        for item in query where listingParameters.contains(item.name) { return false }
        let hasArticleID = query.contains { articleIDParameters.contains($0.name) && digitRun($0.value) >= 2 && $0.value.allSatisfy(\.isNumber) }

        var lastExtension: String?
        if let last = segments.last, let dot = last.lastIndex(of: "."), last.index(after: dot) < last.endIndex {
            let ext = String(last[last.index(after: dot)...])
            if nonPageExtensions.contains(ext) { return false }
            if pageExtensions.contains(ext) { lastExtension = ext }
        }

        for (i, segment) in segments.enumerated() {
            if paginationSegments.contains(segment), i + 1 < segments.count, isAllDigits(segments[i + 1]) { return false }
            if listingSegments.contains(segment) {
                // `/archives/12345` is a WordPress article permalink; `/archives/` is not.
                let next = i + 1 < segments.count ? segments[i + 1] : ""
                if (segment == "archives" || segment == "archive") && digitRun(next) >= 3 { continue }
                return false
            }
        }
        if hasArticleID { return true }
        guard let last = segments.last else { return false }

        if hasLongNumber(segments) { return true }
        if hasDatePathThenSlug(segments) { return true }

        var slug = Substring(last)
        if let ext = lastExtension { slug = slug.dropLast(ext.count + 1) }
        let words = slug.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "+" || $0 == " " || $0 == "." }).filter { !$0.isEmpty }
        if let first = words.first, utilitySlugStarts.contains(String(first)) { return false }
        if words.count >= 4 || (words.count >= 3 && slug.count >= 20) { return true }
        if lastExtension != nil && (digitRun(String(slug)) >= 3 || words.count >= 3) { return true }
        return false
    }

    /// A run of five or more digits anywhere, or a segment that is a number of four digits that
    /// cannot be a year.
    private static func hasLongNumber(_ segments: [String]) -> Bool {
        for s in segments {
            if digitRun(s) >= 5 { return true }
            if s.count == 4, isAllDigits(s), let v = Int(s), !isYear(v) { return true }
        }
        return false
    }

    /// `YYYY/MM[/DD]/slug`: a Gregorian (19xx, 20xx) or solar/lunar Hijri (13xx, 14xx) year, a
    /// month, an optional day, then something that is not a number.
    private static func hasDatePathThenSlug(_ segments: [String]) -> Bool {
        guard segments.count >= 3 else { return false }
        for i in 0..<(segments.count - 2) {
            guard segments[i].count == 4, isAllDigits(segments[i]), let y = Int(segments[i]), isYear(y),
                  (1...2).contains(segments[i + 1].count), isAllDigits(segments[i + 1]),
                  let m = Int(segments[i + 1]), (1...12).contains(m) else { continue }
            var j = i + 2
            if j < segments.count, (1...2).contains(segments[j].count), isAllDigits(segments[j]) { j += 1 }
            if j < segments.count, !isAllDigits(segments[j]) { return true }
        }
        return false
    }

    private static func isYear(_ v: Int) -> Bool { (1_300...1_499).contains(v) || (1_900...2_099).contains(v) }

    static func isAllDigits(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The longest run of ASCII digits in `s`.
    static func digitRun(_ s: String) -> Int {
        var best = 0, run = 0
        for b in s.utf8 {
            if b >= 0x30 && b <= 0x39 { run += 1; best = max(best, run) } else { run = 0 }
        }
        return best
    }
}
