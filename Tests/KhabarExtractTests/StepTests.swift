import CLibXML2
import Testing
import KhabarHTML
import KhabarText
@testable import KhabarExtract

/// A parsed page and its numbered tree, kept together so the tree's pointers stay valid.
struct Parsed {
    let document: Document
    let tree: PageTree

    init(_ html: String) throws {
        document = try HTMLParser.parse(Array(html.utf8))
        let root = try #require(document.withUnsafeDocument { xmlDocGetRootElement($0) })
        tree = PageTree(root: root, capacityHint: 64)
    }

    /// The first element whose id attribute is `id`.
    func element(id: String) -> Int? {
        (0..<tree.count).first { MetadataReader.attr(tree.node[$0], "id") == id }
    }

    func run() -> (Score.Result, [Int], [Block]) {
        Prune.run(tree)
        let s = Score.run(tree)
        let roots = Pick.run(tree, s)
        return (s, roots, Collect.run(tree, roots: roots))
    }
}

let prose = "This is a sentence of real prose, with commas, clauses and enough words to count as a paragraph of an article."

@Suite struct ClassHintsTests {
    func judge(_ s: String) -> ClassHints.Verdict {
        Array(s.utf8).withUnsafeBufferPointer { ClassHints.judge($0) }
    }

    @Test func boilerplateNames() {
        for name in ["share-buttons", "related-posts", "sidebar", "comments-area", "main-menu", "site-footer", "breadcrumb",
                     "post-tags", "newsletter-signup", "adsbygoogle ad", "mostread", "readMoreBox".lowercased(), "social-links"] {
            #expect(judge(name).contains(.boilerplate), "\(name)")
        }
    }

    @Test func contentNames() {
        #expect(judge("entry-content clearfix") == [.content, .strongContent])
        #expect(judge("article-body") == [.content, .strongContent])
        #expect(judge("story") == .content)
        #expect(judge("post category-news tag-iran").contains([.content, .boilerplate]))
        #expect(judge("row grid wrapper") == [])
        // Words that merely contain a boilerplate token are not boilerplate: "header" inside "subheader" is,
        // by token, not the page header; "shadow" is not "ad".
        #expect(!judge("shadow-box").contains(.boilerplate))
    }
}

@Suite struct PruneTests {
    @Test func landmarksWidgetsAndHiddenGo() throws {
        let p = try Parsed("""
        <html><body><header id=h><a href=/>Site</a></header><nav id=n><a href=/a>A</a></nav>
        <div id=main><p>\(prose)</p><p>\(prose)</p><p>\(prose)</p><div class="share-buttons" id=s><a href=#>Share</a></div>
        <div id=hid style="display: none">hidden text that is long enough to matter here</div>
        <span itemprop="publisher" id=pub>Publisher Name</span></div>
        <aside id=a><p>aside text</p></aside><footer id=f>footer</footer><script id=js>var x = 1;</script></body></html>
        """)
        Prune.run(p.tree)
        for id in ["h", "n", "s", "hid", "pub", "a", "f", "js"] {
            #expect(p.tree.flags[try #require(p.element(id: id))].contains(.removed), "\(id)")
        }
        let main = try #require(p.element(id: "main"))
        #expect(!p.tree.flags[main].contains(.removed))
        // Removed text no longer counts in the ancestors.
        #expect(p.tree.chars[main] == 3 * Int32(prose.filter { $0 != " " }.count))
    }

    @Test func aClassNamedWrapperHoldingTheArticleStays() throws {
        let body = String(repeating: "<p>\(prose)</p>", count: 6)
        let p = try Parsed("<html><body><div id=w class='content-with-sidebar'>\(body)<div class=sidebar id=sb><a href=/x>Link</a></div></div></body></html>")
        Prune.run(p.tree)
        #expect(!p.tree.flags[try #require(p.element(id: "w"))].contains(.removed))
        #expect(p.tree.flags[try #require(p.element(id: "sb"))].contains(.removed))
    }

    @Test func aStrongBodyHintProtectsItsAncestors() throws {
        let p = try Parsed("<html><body><div class='related' id=r><div itemprop=articleBody><p>\(prose)</p></div></div><div>\(String(repeating: "<p>\(prose)</p>", count: 9))</div></body></html>")
        Prune.run(p.tree)
        #expect(!p.tree.flags[try #require(p.element(id: "r"))].contains(.removed))
    }
}

@Suite struct ScoreAndPickTests {
    @Test func proseBeatsLinkLists() throws {
        var links = ""
        for i in 0..<40 { links += "<li><a href='/n/\(i)'>Another headline about a related story number \(i)</a></li>" }
        let p = try Parsed("""
        <html><body><div id=list><ul>\(links)</ul></div>
        <div id=story><p>\(prose)</p><p>\(prose)</p><p>\(prose)</p><p>\(prose)</p></div></body></html>
        """)
        let (s, roots, blocks) = p.run()
        let story = try #require(p.element(id: "story"))
        #expect(roots == [story])
        #expect(s.score[story] > 0)
        #expect(blocks.map(\.text) == Array(repeating: prose, count: 4))
    }

    @Test func commasOfEveryScriptCount() {
        var c: Int32 = 0, k: Int32 = 0, x: Int32 = 0
        Array("a, b، c؛ d， e、 f {g}\0".utf8).withUnsafeBufferPointer { PageTree.countText($0.baseAddress!, chars: &c, commas: &k, code: &x) }
        #expect(k == 5)
        #expect(x == 2)
        #expect(c == 14)
    }

    @Test func siblingParagraphsThatContinueTheArticleJoin() throws {
        let p = try Parsed("""
        <html><body><div id=wrap><div id=a><p>\(prose)</p><p>\(prose)</p><p>\(prose)</p></div>
        <p id=cont>A following paragraph that continues the story at some length without links in it at all, really.</p>
        <div id=menu><a href=/1>One</a> <a href=/2>Two</a> <a href=/3>Three</a></div></div></body></html>
        """)
        let (_, roots, _) = p.run()
        #expect(roots.contains(try #require(p.element(id: "a"))))
        #expect(roots.contains(try #require(p.element(id: "cont"))))
        #expect(!roots.contains(try #require(p.element(id: "menu"))))
    }

    @Test func anArticleCutIntoIdenticalSectionsIsAllOfThem() throws {
        var sections = ""
        for k in 1...4 {
            let paragraphs = String(repeating: "<p>Section \(k): \(prose)</p>", count: k == 2 ? 5 : 2)
            sections += "<section class='blog-section'><h2>Part \(k)</h2><div class='rich-text'>\(paragraphs)</div></section>"
        }
        let p = try Parsed("<html><body><div class='layout'><div class='main'>\(sections)</div><div class='side'><p>Short note.</p></div></div></body></html>")
        let (_, _, blocks) = p.run()
        let texts = Clean.run(blocks, headline: nil)
        #expect(texts.filter { $0.hasPrefix("Part ") } == ["Part 1", "Part 2", "Part 3", "Part 4"])
        #expect(texts.filter { $0.hasPrefix("Section ") }.count == 11)
        #expect(!texts.contains("Short note."))
    }

    @Test func textDirectlyInAContainerCounts() throws {
        // <div>text<br><img>text</div>: no <p> at all, as old CMSs write.
        let text = String(repeating: "Words of the article, written straight into the container. ", count: 8)
        let p = try Parsed("<html><body><div id=nav><a href=/>Home</a></div><div id=art><img src=x>\(text)<br><br>\(text)</div></body></html>")
        let (_, _, blocks) = p.run()
        let expected = CorpusText.cleanParagraph(text)
        #expect(blocks.map(\.text) == [expected, expected])
    }
}

@Suite struct CollectTests {
    @Test func blocksBreaksAndKinds() throws {
        let p = try Parsed("""
        <html><body><div id=root><h2>Sub heading</h2><p>first line<br>second <a href=/x>linked</a> line</p>
        <ul><li>item one</li><li>item two</li></ul><blockquote>a quote</blockquote><figure><figcaption>a caption</figcaption></figure>
        <pre>code line 1
        code line 2</pre><table><tr><td>cell a</td><td>cell b</td></tr></table></div></body></html>
        """)
        let root = try #require(p.element(id: "root"))
        let blocks = Collect.run(p.tree, roots: [root])
        #expect(blocks.map(\.text) == ["Sub heading", "first line", "second linked line", "item one", "item two", "a quote",
                                       "a caption", "code line 1", "code line 2", "cell a cell b"])
        #expect(blocks.map(\.kind) == [.heading, .paragraph, .paragraph, .listItem, .listItem, .quote, .caption,
                                       .preformatted, .preformatted, .paragraph])
        #expect(blocks[2].linkChars == 6)
        #expect(blocks[2].chars == 16)
    }

    @Test func entitiesNoBreakSpacesAndInvisiblesAreCleaned() throws {
        let p = try Parsed("<html><body><div id=r><p>a&amp;b&nbsp;&nbsp;c\u{200B}d\u{00AD}e  می\u{200C}گویم</p><p>&nbsp;</p></div></body></html>")
        let blocks = Collect.run(p.tree, roots: [try #require(p.element(id: "r"))])
        #expect(blocks.count == 1)
        #expect(blocks[0].text.unicodeScalars.elementsEqual("a&b cde می\u{200C}گویم".unicodeScalars))
    }
}

@Suite struct CleanTests {
    func block(_ text: String, _ kind: Block.Kind = .paragraph, links: Int = 0) -> Block {
        Block(text: text, kind: kind, chars: text.filter { $0 != " " }.count, linkChars: links, element: 0)
    }

    @Test func boilerplateLinesGo() {
        let lines = ["اقرأ أيضاً: روسيا وإيران.. تنافس أم تعاون؟", "بیشتر بخوانید", "شاهد أيضاً", "رابط مختصر : https://x.example/?p=1",
                     "اندازه قلم متن", "به کانال تلگرام سایت ملیون ایران بپیوندید", "هنوز نظری اضافه نشده است. شما اولین نظر را بدهید.",
                     "Share this article", "Advertisement", "Read more: the next story", "جميع الحقوق محفوظة © 2023", "الكلمات الدلالية:"]
        let out = Clean.run(lines.map { block($0) } + [block(prose)], headline: nil)
        #expect(out == [prose])
    }

    @Test func linkDominatedCaptionsRepeatsAndEmptyHeadings() {
        let blocks = [
            block("The Headline"),
            block(prose),
            block("Related headline teaser text", links: 25),
            block("a photo caption", .caption),
            block("A heading that introduces", .heading),
            block(prose + " Second."),
            block("Trailing heading", .heading),
        ]
        #expect(Clean.run(blocks, headline: "The Headline") == [prose, "A heading that introduces", prose + " Second."])
    }

    @Test func bylinesAndDateLinesAtTheEdgesGo() {
        let blocks = [block("By Jane Doe"), block("November 19, 2019 10:30 a.m."), block(prose), block("۱۱ تیر ۱۴۰۲ - ۱۰:۳۰")]
        #expect(Clean.run(blocks, headline: nil) == [prose])
    }

    @Test func teaserCardsGoArticleParagraphsAfterALinkStay() throws {
        var cards = ""
        for i in 0..<3 { cards += "<div class='card'><h3><a href='/s/\(i)'>Another story number \(i) headline</a></h3><p>Summary of story \(i), short and to the point.</p></div>" }
        let p = try Parsed("""
        <html><body><div id=art><p>\(prose)</p><p><a href='/x'>A linked line inside the article itself, quite long</a></p>
        <p>\(prose) After the link.</p><p>\(prose) More.</p>\(cards)</div></body></html>
        """)
        let blocks = Collect.run(p.tree, roots: [try #require(p.element(id: "art"))])
        #expect(Clean.run(blocks, headline: nil) == [prose, prose + " After the link.", prose + " More."])
    }

    @Test func shortLinesThatRepeatStay() {
        let blocks = [block("Meal 1"), block(prose), block("Meal 1"), block(prose + " Again.")]
        #expect(Clean.run(blocks, headline: nil) == ["Meal 1", prose, "Meal 1", prose + " Again."])
    }
}

@Suite struct MetadataTests {
    @Test func jsonLDOpenGraphAndCanonical() throws {
        let p = try Parsed("""
        <html lang="fa-IR"><head><title>عنوان خبر | سایت خبری</title>
        <meta property="og:site_name" content="سایت خبری"><meta property="og:title" content="عنوان خبر - سایت خبری">
        <meta name="description" content="خلاصه خبر">
        <link rel="canonical" href="https://news.example/fa/1234">
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
          {"@type":"NewsArticle","headline":"عنوان &quot;خبر&quot;","datePublished":"2023-07-02T10:30:00+03:30",
           "dateModified":"2023-07-02T12:00:00+03:30","author":[{"@type":"Person","name":"مریم"},{"name":"علی"}],
           "publisher":{"@type":"Organization","name":"خبرگزاری"}}]}</script></head><body></body></html>
        """)
        let m = MetadataReader.run(p.tree, contentLanguage: nil)
        #expect(m.ldHeadline == "عنوان \"خبر\"")
        #expect(m.published == "2023-07-02T10:30:00+03:30")
        #expect(m.modified == "2023-07-02T12:00:00+03:30")
        #expect(m.author == "مریم, علی")
        #expect(m.siteName == "سایت خبری")
        #expect(m.canonical == "https://news.example/fa/1234")
        #expect(m.declaredLanguage == "fa")
        #expect(m.description == "خلاصه خبر")
        #expect(m.hasArticleType)
    }

    @Test func datesWrittenForPeopleWhenNothingElse() throws {
        let p = try Parsed("<html><body><div class='news-date'>سه‌شنبه ۲۱ اردیبهشت ۱۳۹۹ - ۱۰:۳۰</div><p>\(prose)</p></body></html>")
        #expect(MetadataReader.run(p.tree, contentLanguage: nil).published == "2020-05-10")
    }

    @Test func metaDatesAndTimeElements() throws {
        let p = try Parsed("<html><body><time datetime='2019-11-19T08:05:00-05:00'>Nov 19</time></body></html>")
        #expect(MetadataReader.run(p.tree, contentLanguage: "en-US").published == "2019-11-19T08:05:00-05:00")
        #expect(MetadataReader.run(p.tree, contentLanguage: "en-US").declaredLanguage == "en")
    }

    @Test func aPrintedDateInTheHeaderBarIsTodayNotTheArticles() throws {
        let html = """
        <html><body><header><div class="top-bar"><span class="today">الأحد 23 نوفمبر 2026</span></div></header>
        <div class="content"><div class="article-info">تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</div>
        \(String(repeating: "<p>\(prose)</p>", count: 4))</div></body></html>
        """
        let a = try Extractor().extract(html: Array(html.utf8))
        #expect(a.published == "2020-04-24")
        #expect(a.paragraphs == Array(repeating: prose, count: 4))
    }

    @Test func theArticlesH1IsTheHeadlineALogoH1IsNot() {
        var m = PageMetadata()
        m.ogTitle = "Ministers meet in Tehran over security pact"
        m.h1 = "Ministers meet in Tehran over security pact, talks go on"
        m.h1InArticle = true
        #expect(Headline.choose(m) == "Ministers meet in Tehran over security pact, talks go on")
        m.h1 = "Example News Network"
        m.h1InArticle = false
        #expect(Headline.choose(m) == "Ministers meet in Tehran over security pact")
        m.h1 = "Ministers meet in Tehran"
        #expect(Headline.choose(m) == "Ministers meet in Tehran")
    }

    @Test func headlineLosesTheSiteName() {
        var m = PageMetadata()
        m.title = "Ministers meet in Tehran | Example News"
        m.siteName = "Example News"
        #expect(Headline.choose(m) == "Ministers meet in Tehran")
        m.title = "سایت خبری - دیدار وزیران در تهران"
        m.siteName = "سایت خبری"
        #expect(Headline.choose(m) == "دیدار وزیران در تهران")
        m.ogTitle = "دیدار وزیران در تهران"
        #expect(Headline.choose(m) == "دیدار وزیران در تهران")
    }

    @Test func bylinesPrintedOnThePage() throws {
        #expect(MetadataReader.personName("By Jane Doe") == "Jane Doe")
        #expect(MetadataReader.personName("بقلم: سارة أحمد") == "سارة أحمد")
        #expect(MetadataReader.personName("Updated 19 Nov 2019") == nil)
        #expect(Byline.author("Written By", siteName: nil) == nil)
        #expect(Byline.author("262588213843476", siteName: nil) == nil)
        let p = try Parsed("<html><body><div class='post-author'><a rel='author' href='/u/1'>Jane Doe</a></div><p>\(prose)</p></body></html>")
        #expect(MetadataReader.run(p.tree, contentLanguage: nil).author == "Jane Doe")
    }

    @Test func theSiteIsNotTheAuthor() {
        #expect(Byline.author("خبرآنلاین - سایت خبرگزاری خبرآنلاین | Khabaronline News Agency", siteName: "خبرآنلاین") == nil)
        #expect(Byline.author("المدينة نيوز", siteName: "المدينة نيوز") == nil)
        #expect(Byline.author("ضحى عرفة", siteName: "البلد") == "ضحى عرفة")
        #expect(Byline.author("https://www.facebook.com/someone", siteName: nil) == nil)
    }

    @Test func absoluteURLs() {
        #expect(URLText.absolute("/a/b", base: "https://x.example/c/d?q=1") == "https://x.example/a/b")
        #expect(URLText.absolute("//cdn.example/a", base: "https://x.example/") == "https://cdn.example/a")
        #expect(URLText.absolute("e.html", base: "https://x.example/c/d.html") == "https://x.example/c/e.html")
        #expect(URLText.absolute("https://y.example/", base: nil) == "https://y.example/")
        #expect(URLText.absolute("/relative", base: nil) == nil)
    }
}

@Suite struct LanguageTests {
    @Test func persianAndArabicToldApart() {
        let fa = "احمدرضا رادان، فرمانده کل انتظامی جمهوری اسلامی، پس از سفری سه‌روزه به کشور روسیه یک تفاهم‌نامه امنیتی امضا کرد و این سفر را مهم دانست که برای دو کشور است."
        let ar = "وقعت إيران وروسيا خلال زيارة قام بها وزير الدفاع الروسي إلى طهران بروتوكول اتفاق لتعزيز التعاون العسكري الثنائي الذي يهدف إلى الحفاظ على السلام في المنطقة."
        // Arabic written with a Persian keyboard (ی ک), as seed 001 is: the words still say Arabic.
        let arPersianKeyboard = "ففی الوقت الذی تحاول الإدارة الامیرکیة الدلالة على صدقیة مواجهة داعش فی عین العرب، و تسعى لابتزاز الکرد المحاصرین فی هویتهم السیاسیة من أجل أن ما کان."
        #expect(Language.detect(fa)?.code == "fa")
        #expect(Language.detect(ar)?.code == "ar")
        #expect(Language.detect(arPersianKeyboard)?.code == "ar")
        #expect(Language.decide(declared: "ar", paragraphs: [fa, fa]) == "fa")
        #expect(Language.decide(declared: "en", paragraphs: [ar]) == "ar")
        #expect(Language.decide(declared: nil, paragraphs: ["The minister said on Monday that the talks with the neighbours were going well and that it is the time for more."]) == "en")
        #expect(Language.decide(declared: "de", paragraphs: ["kurz"]) == "de")
        #expect(Language.normalize("fa-IR") == "fa")
        #expect(Language.normalize("ar_SA") == "ar")
        #expect(Language.normalize("<?php echo $lang ?>") == nil)
    }
}

@Suite struct JudgeAndReconcileTests {
    @Test func homepagesListingsAndShortPagesAreNotArticles() {
        let meta = PageMetadata()
        let page = PageFacts(chars: 5000, linkChars: 500)
        let long = Article(paragraphs: [String(repeating: "word ", count: 100)])
        #expect(Judge.notArticleReason(long, meta: meta, page: page, url: "https://news.example/", options: .init()) == "the site's home page")
        #expect(Judge.notArticleReason(long, meta: meta, page: page, url: "https://news.example/ar/", options: .init()) == "the site's home page")
        #expect(Judge.notArticleReason(long, meta: meta, page: page, url: "https://news.example/2023/07/x.html", options: .init()) == nil)
        #expect(Judge.notArticleReason(long, meta: meta, page: page, url: "https://news.example/homeless-crisis-deepens", options: .init()) == nil)
        #expect(Judge.notArticleReason(long, meta: meta, page: page, url: "https://news.example/index.php?lang=ar", options: .init()) == "the site's home page")
        #expect(Judge.notArticleReason(Article(paragraphs: ["short"]), meta: meta, page: page, url: nil, options: .init())
            == "too little article text (5 characters)")
        var listing = PageMetadata()
        listing.ldTypes = ["collectionpage"]
        #expect(Judge.notArticleReason(long, meta: listing, page: page, url: nil, options: .init()) == "a listing page (its structured data says so)")
        #expect(Judge.notArticleReason(long, meta: meta, page: PageFacts(chars: 20000, linkChars: 15000), url: nil, options: .init())
            == "mostly links (a listing or index page)")
    }

    @Test func reconcileUsesTheJSONLDBodyOnlyWhenTheMarkupMissedIt() {
        let ld = (1...12).map { "Paragraph \($0) of the real article says something specific about topic \($0)." }.joined(separator: "\n")
        // The markup found a comment thread instead.
        let wrong = ["Great post, thanks for sharing this!", "I disagree with the author about everything here."]
        #expect(Reconcile.run(dom: wrong, jsonLD: ld, headline: nil) == ld.components(separatedBy: "\n"))
        // The markup found the article: its paragraphs stay.
        let right = ld.components(separatedBy: "\n")
        #expect(Reconcile.run(dom: right, jsonLD: ld.replacingOccurrences(of: "\n", with: " "), headline: nil) == right)
        // A teaser body cut with an ellipsis never replaces or trims the markup.
        #expect(Reconcile.run(dom: right, jsonLD: String(ld.prefix(300)) + "…", headline: nil) == right)
        // The markup found the article plus a lot more: what the body does not contain goes.
        let noisy = right + (1...4).map { "Subscribe to our newsletter number \($0) for unrelated marketing messages and offers." }
        #expect(Reconcile.run(dom: noisy, jsonLD: ld, headline: nil) == right)
    }
}
