import Testing
@testable import KhabarDiscover

@Suite struct ArticleURLHeuristicTests {
    static let articles: [String] = [
        "https://e.com/2022/07/19/russia-iran/",
        "https://e.com/news/2022/07/19/russia/",
        "https://e.com/2022/7/russia-iran-deal",
        "https://e.com/1401/04/28/روسیه",
        "https://e.com/news/4821733",
        "https://e.com/fa/news/4821733/روسیه-و-ایران",
        "https://e.com/world-news-123456.html",
        "https://e.com/article/123456789",
        "https://e.com/?p=4521",
        "https://e.com/news.php?id=12345",
        "https://e.com/NewsDetail.aspx?NewsID=98765",
        "https://e.com/russia-and-iran-sign-a-security-deal/",
        "https://e.com/روسيا-وإيران-توقعان-اتفاقا/",
        "https://e.com/archives/12345",
        "https://e.com/politics/iran-russia-deal.html",
        "https://e.com/news/4521",
        "https://e.com/amp/news/4821733",
        "https://e.com/fa/photo/4821750/عکس",
        "https://e.com/ar/news/2022/7/19/روسيا",
        "https://e.com/story/breaking_news_in_tehran_today",
    ]

    static let notArticles: [String] = [
        "https://e.com/",
        "https://e.com/category/politics/",
        "https://e.com/tag/russia/",
        "https://e.com/tag/russia-iran-security-agreement-2022/",
        "https://e.com/author/mohammed-ali/",
        "https://e.com/search?q=russia",
        "https://e.com/?s=russia",
        "https://e.com/page/2/",
        "https://e.com/category/politics/page/2/",
        "https://e.com/news?page=3",
        "https://e.com/news/4821733?page=2",
        "https://e.com/feed/",
        "https://e.com/2022/07/19/russia-iran/feed/",
        "https://e.com/wp-login.php",
        "https://e.com/2022/07/",
        "https://e.com/2022/",
        "https://e.com/2022/07/19/",
        "https://e.com/politics",
        "https://e.com/world/middle-east",
        "https://e.com/about-us/",
        "https://e.com/terms-and-conditions/",
        "https://e.com/privacy-policy-and-cookies-notice/",
        "https://e.com/وسم/روسيا",
        "https://e.com/تصنيف/سياسة",
        "https://e.com/كاتب/محمد-علي",
        "https://e.com/ar/صفحة/3",
        "https://e.com/fa/برچسب/روسیه",
        "https://e.com/fa/نویسنده/علی-رضایی",
        "https://e.com/fa/صفحه/2",
        "https://e.com/fa/service/politics",
        "https://e.com/fa/service/1/سیاسی",
        "https://e.com/uploads/2022/07/iran-russia-photo-123456.jpg",
        "https://e.com/files/report-2022-123456.pdf",
        "https://e.com/video/12345678.mp4",
        "https://e.com/sitemap-news-123456.xml",
        "https://e.com/login",
        "https://e.com/news/story-1",
        "https://e.com/archives/",
        "https://e.com/news?cat=12345",
        "https://e.com/2022/07/19/russia-iran/?replytocom=12",
        "https://e.com/wp-content/uploads/2022/07/some-long-file-name-here.html",
    ]

    @Test(arguments: articles)
    func looksLikeAnArticle(url: String) throws {
        #expect(ArticleURLHeuristic.looksLikeArticle(try #require(HTTPURL(url))))
    }

    @Test(arguments: notArticles)
    func doesNotLookLikeAnArticle(url: String) throws {
        #expect(!ArticleURLHeuristic.looksLikeArticle(try #require(HTTPURL(url))))
    }
}

@Suite struct ListingPageTests {
    static let arabicSection = """
    <!DOCTYPE html>
    <html lang="ar" dir="rtl">
    <head><meta charset="utf-8"><title>سياسة - رؤية</title><base href="https://www.roayahnews.com/"></head>
    <body class="archive category right-sidebar">
    <header class="site-header">
      <a href="/">رؤية</a>
      <nav class="main-menu"><ul>
        <li><a href="/category/politics/">سياسة</a></li>
        <li><a href="/category/economy/">اقتصاد</a></li>
        <li><a href="/2022/07/19/menu-featured-story-long-slug/">Menu featured</a></li>
      </ul></nav>
      <form action="/search"><input name="s"><a href="/2022/07/18/inside-a-form-story-slug/">x</a></form>
    </header>
    <div class="breadcrumbs"><a href="/">الرئيسية</a> » <a href="/category/politics/">سياسة</a></div>
    <div id="content" class="site-content">
     <div class="content-area">
      <h1>سياسة</h1>
      <article class="post">
        <a href="2022/07/19/russia-iran-security-agreement/"><img src="a.jpg" alt=""></a>
        <header class="entry-header"><h2><a href="2022/07/19/russia-iran-security-agreement/?utm_source=section">روسيا وإيران توقعان اتفاقاً</a></h2></header>
        <div class="entry-meta">بقلم <a href="/author/mohammed/">محمد</a> في <a href="/tag/russia/">روسيا</a>، <a href="/وسم/إيران/">إيران</a></div>
        <div class="social-share"><a href="https://twitter.com/intent/tweet?url=x">tweet</a><a href="/2022/07/19/russia-iran-security-agreement/?share=facebook">fb</a></div>
      </article>
      <article class="post"><h2><a href="/news/4521/">رقم فقط</a></h2></article>
      <article class="post"><h2><a href="https://www.roayahnews.com/روسيا-وإيران-توقعان-اتفاقا-للتعاون/?utm_source=home#respond">عنوان بالعربية</a></h2></article>
      <article><h2><a href="https://m.roayahnews.com/?p=4533">رابط الجوال</a></h2></article>
      <article><h2><a href="https://other-site.com/2022/07/19/external-story-slug-here/">خارجي</a></h2></article>
      <a href="/feed/">RSS</a>
      <a href="/wp-content/uploads/2022/07/report-2022-long-file-name.pdf">pdf</a>
      <a href="mailto:x@roayahnews.com">mail</a>
      <a href="javascript:void(0)">js</a>
      <a href="#top">top</a>
      <a href="">self</a>
      <nav class="navigation pagination"><a href="/category/politics/page/2/">2</a><a href="?paged=3">3</a></nav>
      <div class="pagination"><a class="next" href="/category/politics/page/2/">التالي</a></div>
      <script>document.write('<a href="/2022/07/19/script-written-story-slug/">s</a>')</script>
     </div>
     <aside id="secondary" class="widget-area"><a href="/2022/07/01/most-read-story-in-sidebar/">الأكثر قراءة</a></aside>
    </div>
    <footer class="site-footer"><a href="/about-us/">من نحن</a><a href="/privacy-policy/">privacy</a><a href="/2022/06/30/footer-story-with-long-slug/">footer story</a></footer>
    </body></html>
    """

    let roayah = SitePolicy(homepage: "https://www.roayahnews.com/")

    @Test func arabicSectionPage() throws {
        let doc = try HTMLParserShim.parse(Self.arabicSection)
        let links = ListingPage.articleLinks(in: doc, pageURL: try #require(HTTPURL("https://www.roayahnews.com/category/politics/")), policy: roayah)
        #expect(links.map(\.url.string) == [
            "https://www.roayahnews.com/2022/07/19/russia-iran-security-agreement/",
            "https://www.roayahnews.com/news/4521/",
            "https://www.roayahnews.com/%D8%B1%D9%88%D8%B3%D9%8A%D8%A7-%D9%88%D8%A5%D9%8A%D8%B1%D8%A7%D9%86-%D8%AA%D9%88%D9%82%D8%B9%D8%A7%D9%86-%D8%A7%D8%AA%D9%81%D8%A7%D9%82%D8%A7-%D9%84%D9%84%D8%AA%D8%B9%D8%A7%D9%88%D9%86/",
            "https://m.roayahnews.com/?p=4533",
        ])
        // The image link came first; the headline's text replaced its empty one.
        #expect(links.map(\.text) == ["روسيا وإيران توقعان اتفاقاً", "رقم فقط", "عنوان بالعربية", "رابط الجوال"])
    }

    static let persianMain = """
    <html lang="fa" dir="rtl"><head><meta charset="utf-8"></head><body>
    <div id="menu"><a href="/fa/service/politics">سیاسی</a><a href="/fa/news/4821000/menu-link">منو</a></div>
    <div role="navigation"><a href="/fa/news/4821001/role-nav">nav</a></div>
    <main>
     <section class="news-list">
      <ul>
       <li><a href="/fa/news/4821733/روسیه-و-ایران-توافق‌نامه-امنیتی-امضا-کردند"><img src="x.jpg"></a>
           <h3><a href="/fa/news/4821733/روسیه-و-ایران-توافق‌نامه-امنیتی-امضا-کردند">روسیه و ایران توافق‌نامه امضا کردند</a></h3></li>
       <li><a href="https://www.example.ir/fa/news/4821740">بدون اسلاگ</a></li>
       <li><a href="/fa/tag/روسیه">روسیه</a></li>
       <li><a href="/fa/برچسب/ایران">ایران</a></li>
       <li><a href="/fa/نویسنده/علی">علی</a></li>
       <li><a href="/fa/news/1403/05/12/گزارش-ویژه">گزارش</a></li>
       <li><a href="/fa/archive?page=2">آرشیو</a></li>
       <li><a href="/fa/search?q=روسیه">جستجو</a></li>
       <li><a href="/fa/photo/4821750/عکس">عکس</a></li>
       <li><a href="/fa/multimedia">چندرسانه‌ای</a></li>
      </ul>
     </section>
     <menu><li><a href="/fa/news/4821002/in-menu">m</a></li></menu>
     <template><a href="/fa/news/4821003/in-template">t</a></template>
     <div class="pager"><a href="/fa/service/politics?page=2">بعدی</a></div>
    </main>
    <footer><a href="/fa/news/4821004/footer">f</a></footer>
    </body></html>
    """

    let example = SitePolicy(homepage: "https://www.example.ir/fa/")

    @Test func persianPageWithMain() throws {
        let doc = try HTMLParserShim.parse(Self.persianMain)
        let links = ListingPage.articleLinks(in: doc, pageURL: try #require(HTTPURL("https://www.example.ir/fa/service/politics")), policy: example)
        #expect(links.map(\.url.string) == [
            "https://www.example.ir/fa/news/4821733/%D8%B1%D9%88%D8%B3%DB%8C%D9%87-%D9%88-%D8%A7%DB%8C%D8%B1%D8%A7%D9%86-%D8%AA%D9%88%D8%A7%D9%81%D9%82%E2%80%8C%D9%86%D8%A7%D9%85%D9%87-%D8%A7%D9%85%D9%86%DB%8C%D8%AA%DB%8C-%D8%A7%D9%85%D8%B6%D8%A7-%DA%A9%D8%B1%D8%AF%D9%86%D8%AF",
            "https://www.example.ir/fa/news/4821740",
            "https://www.example.ir/fa/news/1403/05/12/%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4-%D9%88%DB%8C%DA%98%D9%87",
            "https://www.example.ir/fa/photo/4821750/%D8%B9%DA%A9%D8%B3",
        ])
        let first = try #require(links.first?.text)
        #expect(Array(first.unicodeScalars) == Array("روسیه و ایران توافق‌نامه امضا کردند".unicodeScalars))
    }

    @Test func configuredPatternDecides() throws {
        let doc = try HTMLParserShim.parse(Self.persianMain)
        let page = try #require(HTTPURL("https://www.example.ir/fa/service/politics"))
        let numeric = try ArticleURLMatcher(pattern: #"/fa/news/\d{6,}"#)
        #expect(ListingPage.articleLinks(in: doc, pageURL: page, policy: example, matcher: numeric).map(\.url.path) == [
            "/fa/news/4821733/%D8%B1%D9%88%D8%B3%DB%8C%D9%87-%D9%88-%D8%A7%DB%8C%D8%B1%D8%A7%D9%86-%D8%AA%D9%88%D8%A7%D9%81%D9%82%E2%80%8C%D9%86%D8%A7%D9%85%D9%87-%D8%A7%D9%85%D9%86%DB%8C%D8%AA%DB%8C-%D8%A7%D9%85%D8%B6%D8%A7-%DA%A9%D8%B1%D8%AF%D9%86%D8%AF",
            "/fa/news/4821740",
        ])
        // A pattern may be written in the page's own script; it matches the decoded URL too.
        let persian = try ArticleURLMatcher(pattern: "/برچسب/")
        #expect(ListingPage.articleLinks(in: doc, pageURL: page, policy: example, matcher: persian).map(\.url.string) == [
            "https://www.example.ir/fa/%D8%A8%D8%B1%DA%86%D8%B3%D8%A8/%D8%A7%DB%8C%D8%B1%D8%A7%D9%86",
        ])
        #expect(throws: DiscoveryError.badPattern("(unclosed")) { try ArticleURLMatcher(pattern: "(unclosed") }
        #expect(try ArticleURLMatcher(pattern: "").pattern == nil)
        #expect(try ArticleURLMatcher(pattern: nil).matches(try #require(HTTPURL("https://e.com/news/4821733"))))
    }

    @Test func contentMarkedAsSidebarIsFoundByTheSecondPass() throws {
        let html = """
        <html><body><nav><a href="/category/x/">x</a></nav>
        <div class="sidebar"><ul><li><a href="/2022/07/19/only-story-in-a-sidebar/">one</a></li></ul></div>
        <footer><a href="/news/4821004/footer-story">f</a></footer></body></html>
        """
        let links = ListingPage.articleLinks(in: try HTMLParserShim.parse(html), pageURL: try #require(HTTPURL("https://e.com/x/")),
                                             policy: SitePolicy(homepage: "https://e.com/"))
        #expect(links.map(\.url.string) == ["https://e.com/2022/07/19/only-story-in-a-sidebar/", "https://e.com/news/4821004/footer-story"])
    }

    @Test func wrappersNamedAfterSidebarsAreNotSkipped() throws {
        let html = """
        <html><body><div class="layout-with-sidebar"><div class="has-sidebar no-sidebar">
        <a href="/2022/07/19/story-inside-a-layout-wrapper/">a</a></div></div>
        <div class="sidebar"><a href="/2022/07/19/story-in-the-real-sidebar/">b</a></div></body></html>
        """
        let links = ListingPage.articleLinks(in: try HTMLParserShim.parse(html), pageURL: try #require(HTTPURL("https://e.com/x/")),
                                             policy: SitePolicy(homepage: "https://e.com/"))
        #expect(links.map(\.url.path) == ["/2022/07/19/story-inside-a-layout-wrapper/"])
    }

    @Test func emptyAndLinklessPages() throws {
        let policy = SitePolicy(homepage: "https://e.com/")
        let page = try #require(HTTPURL("https://e.com/x/"))
        #expect(ListingPage.articleLinks(in: try HTMLParserShim.parse("<p>no links</p>"), pageURL: page, policy: policy).isEmpty)
        #expect(ListingPage.articleLinks(in: try HTMLParserShim.parse("<a>no href</a><a href=''>x</a>"), pageURL: page, policy: policy).isEmpty)
    }
}
