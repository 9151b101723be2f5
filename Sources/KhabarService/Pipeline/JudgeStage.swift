import KhabarExtract
import KhabarState

/// What the source's rules say about an extracted article, before the corpus.
public enum Judgement: Sendable, Equatable {
    case keep
    /// The extractor judged the page not an article (a homepage, a listing, a tag page).
    case notArticle(String)
    /// Fewer characters than `min_chars`.
    case tooShort(characters: Int, minimum: Int)
    /// Refused by `languages`, `include_any` or `exclude_any`.
    case filtered(String)

    /// The event outcome of a refusal; nil for `keep`.
    public var outcome: EventOutcome? {
        switch self {
        case .keep: return nil
        case .notArticle: return .notArticle
        case .tooShort: return .tooShort
        case .filtered: return .filtered
        }
    }

    /// The event's detail.
    public var detail: String? {
        switch self {
        case .keep: return nil
        case .notArticle(let why): return why
        case let .tooShort(n, min): return "\(IngestOutcome.grouped(n)) chars, min_chars is \(IngestOutcome.grouped(min))"
        case .filtered(let why): return why
        }
    }

    /// The line `khabar fetch` prints.
    public var line: String {
        switch self {
        case .keep: return "kept"
        case .notArticle(let why): return "not an article: \(why)"
        case .tooShort: return "too short: \(detail ?? "")"
        case .filtered(let why): return "filtered: \(why)"
        }
    }
}

/// Stage 3: judge — the extractor's not-an-article verdict first, then `min_chars`, then the
/// source's language and topic filters (`ArticleFilter`). Each refusal is its own outcome.
public enum JudgeStage {
    public static func judge(_ article: Article, filter: ArticleFilter) -> Judgement {
        judge(article, text: article.text, filter: filter)
    }

    /// `text` is `article.text`, rendered once by the caller (rendering cleans every paragraph again).
    public static func judge(_ article: Article, text: String, filter: ArticleFilter) -> Judgement {
        if !article.isArticle {
            return .notArticle(article.notArticleReason ?? "the page is not an article")
        }
        switch filter.evaluate(language: article.language, headline: article.headline, body: article.body,
                               characters: text.unicodeScalars.count) {
        case .keep: return .keep
        case let .tooShort(n, min): return .tooShort(characters: n, minimum: min)
        case .filtered(let reason): return .filtered(reason)
        }
    }
}
