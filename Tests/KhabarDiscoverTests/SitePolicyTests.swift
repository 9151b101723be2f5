import Testing
@testable import KhabarDiscover

@Suite struct SitePolicyTests {
    @Test(arguments: [
        ("www.bbc.co.uk", "bbc.co.uk"), ("news.roayahnews.com", "roayahnews.com"), ("roayahnews.com", "roayahnews.com"),
        ("www.farsnews.ir", "farsnews.ir"), ("a.b.c.irna.ir", "irna.ir"), ("www.president.gov.ir", "president.gov.ir"),
        ("www.aljazeera.net", "aljazeera.net"), ("arabic.cnn.com", "cnn.com"), ("www.alarabiya.net", "alarabiya.net"),
        ("foo.github.io", "foo.github.io"), ("xn--mgbh0fb.xn--mgbaam7a8h", "xn--mgbh0fb.xn--mgbaam7a8h"),
        ("www.sis.gov.eg", "sis.gov.eg"), ("news.com.sa", "news.com.sa"),
        ("localhost", "localhost"), ("127.0.0.1", "127.0.0.1"), ("[::1]", "[::1]"), ("com", "com"), ("co.uk", "co.uk"),
    ])
    func registrableDomain(host: String, expected: String) {
        #expect(RegistrableDomain.of(host: host) == expected)
    }

    @Test func publicSuffixes() {
        #expect(RegistrableDomain.isPublicSuffix("com"))
        #expect(RegistrableDomain.isPublicSuffix("co.ir"))
        #expect(!RegistrableDomain.isPublicSuffix("example.com"))
    }

    @Test func theHomepageDomainIsOwnEveryHostOnIt() {
        let p = SitePolicy(homepage: "https://www.roayahnews.com/")
        #expect(p.allows("https://roayahnews.com/x"))
        #expect(p.allows("https://www.roayahnews.com/2022/07/19/slug"))
        #expect(p.allows("http://m.roayahnews.com/x"))
        #expect(p.allows("https://WWW.ROAYAHNEWS.COM./x"))
        #expect(!p.allows("https://roayahnews.com.evil.net/x"))
        #expect(!p.allows("https://evilroayahnews.com/x"))
        #expect(!p.allows("https://example.com/?u=https://roayahnews.com/"))
        #expect(!p.allows("ftp://roayahnews.com/x"))
        #expect(!p.allows("javascript:alert(1)"))
        #expect(!p.allows("/relative"))
    }

    @Test func multiLabelPublicSuffixes() {
        let bbc = SitePolicy(homepage: "https://www.bbc.co.uk/persian")
        #expect(bbc.allows("https://news.bbc.co.uk/x"))
        #expect(!bbc.allows("https://other.co.uk/x"))
        #expect(!bbc.allows("https://co.uk/x"))
        let pages = SitePolicy(homepage: "https://foo.github.io/")
        #expect(pages.allows("https://foo.github.io/post"))
        #expect(!pages.allows("https://bar.github.io/post"))
    }

    @Test func configuredChannelsTrustTheirExactHosts() {
        let p = SitePolicy(homepage: "https://www.example.com/",
                           feeds: ["https://feeds.feedburner.com/example"],
                           sitemaps: ["https://static.example-cdn.net/sitemap.xml"],
                           listingPages: ["https://news.partner.org/section/iran"])
        #expect(p.allows("https://feeds.feedburner.com/other"))
        #expect(!p.allows("https://other.feedburner.com/x"))
        #expect(p.allows("https://static.example-cdn.net/a"))
        #expect(!p.allows("https://www.example-cdn.net/a"))
        #expect(p.allows("https://news.partner.org/article-1"))
        #expect(!p.allows("https://partner.org/article-1"))
    }

    @Test func allowedHostsExactOrWildcard() {
        let p = SitePolicy(homepage: "https://www.example.com/", allowedHosts: ["cdn.example.net", "*.images.example.org", ".media.example.info", "موقع.example"])
        #expect(p.allows("https://cdn.example.net/x"))
        #expect(!p.allows("https://a.cdn.example.net/x"))
        #expect(p.allows("https://images.example.org/x"))
        #expect(p.allows("https://a.b.images.example.org/x"))
        #expect(!p.allows("https://evilimages.example.org/x"))
        #expect(p.allows("https://media.example.info/x"))
        #expect(p.allows("https://xn--4gbrim.example/x"))
        #expect(p.allows("https://موقع.example/خبر"))
        #expect(!p.allows("https://example.org/x"))
    }

    @Test func loopbackAndSingleLabelSourcesOwnOnlyThemselves() {
        let p = SitePolicy(homepage: "http://127.0.0.1:8080/")
        #expect(p.allows("http://127.0.0.1:8080/news/1"))
        #expect(p.allows("http://127.0.0.1:9090/news/1"))
        #expect(!p.allows("http://127.0.0.2/news/1"))
        #expect(!p.allows("http://0.1/"))
        let l = SitePolicy(homepage: "http://localhost:8080/")
        #expect(l.allows("http://LOCALHOST/x"))
        #expect(!l.allows("http://localhost.evil.com/x"))
    }

    @Test func internationalisedHomepage() {
        let p = SitePolicy(homepage: "https://www.موقع.example/")
        #expect(p.allows("https://news.xn--4gbrim.example/x"))
        #expect(p.allows("https://خبر.موقع.example/x"))
        #expect(!p.allows("https://xn--mgbh0fb.example/x"))
    }
}
