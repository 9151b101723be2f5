import KhabarDiscover

/// Which links of a homepage or a configured listing page become frontier URLs when the source
/// has no `article_url_pattern`.
///
/// `ArticleURLHeuristic.looksLikeArticle` wants positive evidence — a long number, a date path, a
/// slug of several words — which is right for a sitemap that lists every page of a site. On a page
/// the source publishes as its front page or an operator names as a listing, the links in the main
/// area are mostly articles, and a site whose article URLs are short (`/news/42`, `/a/1.html`)
/// would otherwise give nothing. So here a link is kept when the heuristic says article, or when
/// nothing rules it out: it is at least two segments deep (a top-level `/politics` is a section),
/// no segment names a listing or utility page (`tag`, `category`, `author`, `search`, …) and no
/// query parameter paginates or searches. A wrong guess costs one fetch: the page is judged
/// `not_article` and never fetched again.
public enum ListingLinks {
    /// Accepts every URL; the links are judged by `keeps` afterwards.
    static let everything: ArticleURLMatcher = (try? ArticleURLMatcher(pattern: ".")) ?? .heuristic

    public static func keeps(_ url: HTTPURL) -> Bool {
        if ArticleURLHeuristic.looksLikeArticle(url) { return true }
        let segments = url.pathSegments.map { $0.lowercased() }
        guard segments.count >= 2 else { return false }
        for (i, segment) in segments.enumerated() {
            if ArticleURLHeuristic.listingSegments.contains(segment) { return false }
            // `/page/2`: an archive's page.
            if segment == "page", i + 1 < segments.count, segments[i + 1].allSatisfy(\.isNumber) { return false }
        }
        for item in url.queryItems where ArticleURLHeuristic.listingParameters.contains(item.name.lowercased()) {
            return false
        }
        return true
    }
}
