import FuzzSupport
import KhabarDiscover
import KhabarExtract
import KhabarHTML
import KhabarText

/// Arbitrary bytes as a fetched HTML page, through everything that reads one: charset detection,
/// libxml2's HTML parser, the extractor, and discovery's two page readers (feed autodiscovery
/// and listing-page links).
///
/// An input may start with `Content-Type: …\n`; that line is the HTTP header and the rest the body
/// (so the body's own first bytes, where a BOM sits, stay the fuzzer's to choose).
///
/// Checked, beyond "no crash, no leak, bounded time and memory":
/// - the detected charset is a non-empty ASCII label, the same on a second call;
/// - extraction ends in an article or an `ExtractionError` with a one-line description;
/// - an article's text is a valid corpus text (`CorpusText.violations` empty), each paragraph is
///   non-empty, one line and already clean; the headline likewise; `isArticle` is false exactly
///   when there is a one-line reason; dates are RFC 3339 (or a day); the language is a short code;
/// - announced feeds and listing links are http(s), canonical fixed points, unique; listing links
///   are on the page's site and never its front page.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtract(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let (contentType, body) = headerLine(bytes(data, size), prefix: "Content-Type: ")

    let detection = body.withUnsafeBytes { Charset.detect($0, contentType: contentType) }
    check(!detection.label.isEmpty && detection.label.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F },
          "charset label \(detection.label.debugDescription)")
    check(body.withUnsafeBytes { Charset.detect($0, contentType: contentType) } == detection, "charset detection not deterministic")

    do {
        let article = try Extractor().extract(html: body, url: pageURL.string, contentType: contentType)
        checkArticle(article)
    } catch {
        check(isOneLine(error.description) && !error.description.isEmpty, "extraction error description \(error.description.debugDescription)")
    }

    guard let document = try? HTMLParser.parse(body, contentType: contentType, url: pageURL.string) else { return 0 }
    var feeds = Set<HTTPURL>()
    for feed in FeedAutodiscovery.feeds(in: document, pageURL: pageURL) {
        checkCanonical(feed.url)
        check(feeds.insert(feed.url).inserted, "feed announced twice: \(feed.url)")
        if let title = feed.title { checkLine(title, "feed title") }
    }
    var links = Set<HTTPURL>()
    for link in ListingPage.articleLinks(in: document, pageURL: pageURL, policy: policy) {
        checkCanonical(link.url)
        check(links.insert(link.url).inserted, "listing link twice: \(link.url)")
        check(policy.allows(link.url), "listing link off the site: \(link.url)")
        check(!link.url.isRoot && link.url != pageURL, "listing link to the front page or the page itself: \(link.url)")
        if let text = link.text { checkLine(text, "link text") }
    }
    return 0
}

let pageURL = HTTPURL("https://www.example.com/news/section")!
let policy = SitePolicy(homepage: "https://www.example.com/")

func checkArticle(_ a: Article) {
    let text = a.text
    if !text.isEmpty {
        let v = CorpusText.violations(of: text)
        check(v.isEmpty, "article text breaks the corpus rules: \(v) in \(text.debugDescription)")
    }
    for p in a.paragraphs { checkLine(p, "paragraph") }
    if let h = a.headline { checkLine(h, "headline") }
    check(a.isArticle == (a.notArticleReason == nil), "isArticle \(a.isArticle) with reason \(String(describing: a.notArticleReason))")
    if let r = a.notArticleReason { check(isOneLine(r) && !r.isEmpty, "reason \(r.debugDescription)") }
    for d in [a.published, a.modified].compactMap({ $0 }) {
        check(isRFC3339(d), "date \(d.debugDescription)")
    }
    if let l = a.language {
        check((2...3).contains(l.utf8.count) && l.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }, "language \(l.debugDescription)")
    }
}

/// `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss` followed by `Z` or `±hh:mm`.
func isRFC3339(_ s: String) -> Bool {
    let b = Array(s.utf8)
    func digits(_ r: Range<Int>) -> Bool { r.upperBound <= b.count && b[r].allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
    guard digits(0..<4), at(4, "-"), digits(5..<7), at(7, "-"), digits(8..<10) else { return false }
    if b.count == 10 { return true }
    guard at(10, "T"), digits(11..<13), at(13, ":"), digits(14..<16), at(16, ":"), digits(17..<19) else { return false }
    if b.count == 20 { return at(19, "Z") }
    return b.count == 25 && (at(19, "+") || at(19, "-")) && digits(20..<22) && at(22, ":") && digits(23..<25)
}

@_cdecl("FuzzExtract_main")
public func fuzzExtractMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzExtract)
}
