import KhabarDiscover
import KhabarExtract

/// Stage 4: the article as the corpus receives it — the text rendered to the corpus format, the
/// fetched URL (after redirects, canonicalised: tracking parameters gone) and the page's own
/// canonical URL. The ingestor's identity rule (`SiteIdentity`) turns these two URLs into what a
/// revision is a revision of.
public enum IdentityStage {
    public static func corpusArticle(_ article: Article, finalURL: String, source: String?, titleHint: String?) -> CorpusArticle {
        let fetched = HTTPURL(finalURL)
        let url = fetched.map { URLCanonicalizer.canonical($0).string } ?? finalURL
        let canonical = article.canonicalURL.flatMap { URLCanonicalizer.canonical($0, base: fetched)?.string }
        return CorpusArticle(text: article.text, url: url, canonicalURL: canonical, source: source,
                             title: article.headline ?? titleHint, published: article.published, modified: article.modified,
                             author: article.author, lang: article.language)
    }
}
