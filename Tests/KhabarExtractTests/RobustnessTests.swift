import Foundation
import KhabarTestSupport
import Testing
import KhabarText
@testable import KhabarExtract

/// Hostile input ends in a result or a typed error, never a crash or unbounded memory; encodings
/// and Persian zero-width non-joiners survive.
@Suite struct RobustnessTests {
    let extractor = Extractor()

    static let persianParagraphs = [
        "رئیس‌جمهور روز دوشنبه در نشست خبری گفت که دولت می‌خواهد تفاهم‌نامه‌های همکاری را با کشورهای همسایه گسترش دهد و این کار را نمی‌توان به تعویق انداخت.",
        "به گفته‌ی او، رسانه‌های بین‌المللی در ماه‌های گذشته گزارش‌هایی درباره‌ی این گفت‌وگوها منتشر کرده‌اند که بخش‌هایی از آن‌ها نادرست بوده است.",
        "کارشناسان می‌گویند هم‌زمانی این سفرها با تحریم‌های تازه نشان می‌دهد که تهران و مسکو به همکاری‌های بلندمدت‌تری می‌اندیشند.",
        "وزارت امور خارجه نیز در بیانیه‌ای اعلام کرد که برنامه‌های آینده‌ی دو کشور پس از بررسی‌های کارشناسی نهایی خواهد شد و جزئیات آن به‌زودی منتشر می‌شود.",
    ]

    @Test func zwnjRichPersianPageKeepsEveryJoiner() throws {
        let page = NewsPage(script: .persian, headline: "گسترش همکاری‌ها با کشورهای همسایه", paragraphs: Self.persianParagraphs,
                            related: ["گفت‌وگوی تلفنی وزیران خارجه"])
        let a = try extractor.extract(html: Array(page.html().utf8))
        #expect(a.paragraphs == page.expected)
        let expectedZWNJ = Self.persianParagraphs.joined().unicodeScalars.filter { $0 == "\u{200C}" }.count
        #expect(expectedZWNJ > 25)
        #expect(a.body.unicodeScalars.filter { $0 == "\u{200C}" }.count == expectedZWNJ)
        #expect(a.language == "fa")
    }

    @Test func windows1256PageEqualsItsUTF8Twin() throws {
        let paragraphs = [
            "قال وزير الخارجية إن التعاون بين البلدين سيستمر، وإن المحادثات القادمة ستتناول ملفات الأمن والطاقة والتجارة.",
            "وأضاف في مؤتمر صحفي عقده في العاصمة أن الاتفاق الجديد يشمل تبادل المعلومات وتنسيق المواقف في المحافل الدولية.",
            "ومن المتوقع أن يزور وفد رفيع المستوى المنطقة الشهر المقبل لاستكمال المباحثات حول القضايا العالقة بين الطرفين.",
        ]
        var page = NewsPage(script: .arabic, headline: "تعاون أمني بين موسكو وطهران", paragraphs: paragraphs)
        let utf8 = try extractor.extract(html: Array(page.html().utf8))
        page.charsetMeta = "windows-1256"
        let cp = try #require(Iconv.convert(page.html(), to: "WINDOWS-1256"))
        #expect(cp.count < Array(page.html().utf8).count)   // truly single-byte
        let decoded = try extractor.extract(html: cp)
        #expect(decoded.paragraphs == utf8.paragraphs)
        #expect(decoded.headline == utf8.headline)
        #expect(decoded.paragraphs == page.expected)
        // The same page with no declaration at all: the byte statistics must find windows-1256.
        let stripped = Self.removing(Array("<meta charset=\"windows-1256\">".utf8), from: cp)
        #expect(stripped.count < cp.count)
        #expect(try extractor.extract(html: stripped).paragraphs == utf8.paragraphs)
    }

    static func removing(_ needle: [UInt8], from hay: [UInt8]) -> [UInt8] {
        guard needle.count <= hay.count else { return hay }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle {
            return Array(hay[..<i]) + Array(hay[(i + needle.count)...])
        }
        return hay
    }

    @Test func emptyInputIsATypedError() {
        #expect(throws: ExtractionError.empty) { try extractor.extract(html: [UInt8]()) }
    }

    @Test func randomBytesEndInAResultOrATypedError() {
        var rng = SystemRandomNumberGenerator()
        for size in [1, 7, 100, 5_000, 200_000] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            do {
                let a = try extractor.extract(html: bytes)
                #expect(CorpusText.violations(of: a.text).isEmpty || a.text.isEmpty)
                #expect(!a.isArticle || a.bodyCharacters >= 250)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func invalidUTF8DeclaredAsUTF8() throws {
        var bytes = Array("<html><head><meta charset=utf-8></head><body><article><p>".utf8)
        bytes += Array(String(repeating: "This paragraph has broken bytes ", count: 12).utf8) + [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80]
        bytes += Array(" and goes on after them, as real pages sometimes do.</p></article></body></html>".utf8)
        let a = try extractor.extract(html: bytes)
        #expect(a.paragraphs.count == 1)
        #expect(a.paragraphs[0].hasSuffix("as real pages sometimes do."))
        #expect(CorpusText.violations(of: a.text).isEmpty)
    }

    @Test func windows1256BytesUnderALyingUTF8HeaderAreReadAsWindows1256() throws {
        let page = NewsPage(script: .arabic, headline: "تعاون أمني بين موسكو وطهران", paragraphs: Self.arabicParagraphs)
        let cp = try #require(Iconv.convert(page.html(), to: "WINDOWS-1256"))
        let a = try extractor.extract(html: cp, contentType: "text/html; charset=utf-8")
        #expect(a.paragraphs == page.expected)
        #expect(a.isArticle)
    }

    @Test func textFullOfReplacementCharactersIsNotAnArticle() throws {
        // What a site that garbled its own text serves: valid UTF-8, one letter in ten a U+FFFD.
        let garbled = Self.arabicParagraphs.map { p in
            String(p.enumerated().map { $0.offset % 10 == 3 ? "\u{FFFD}" : $0.element })
        }
        let page = NewsPage(script: .arabic, headline: "تعاون أمني بين موسكو وطهران", paragraphs: garbled)
        let a = try extractor.extract(html: Array(page.html().utf8))
        #expect(!a.isArticle)
        #expect(a.notArticleReason?.hasPrefix("undecodable text (") == true, "\(a.notArticleReason ?? "nil")")
        // Two stray marks in a long article leave it an article.
        var stray = Self.arabicParagraphs
        stray[0] += " \u{FFFD}\u{FFFD}"
        #expect(try extractor.extract(html: Array(NewsPage(script: .arabic, headline: "تعاون أمني بين موسكو وطهران", paragraphs: stray).html().utf8)).isArticle)
    }

    static let arabicParagraphs = [
        "قال وزير الخارجية إن التعاون بين البلدين سيستمر، وإن المحادثات القادمة ستتناول ملفات الأمن والطاقة والتجارة.",
        "وأضاف في مؤتمر صحفي عقده في العاصمة أن الاتفاق الجديد يشمل تبادل المعلومات وتنسيق المواقف في المحافل الدولية.",
        "ومن المتوقع أن يزور وفد رفيع المستوى المنطقة الشهر المقبل لاستكمال المباحثات حول القضايا العالقة بين الطرفين.",
    ]

    @Test func hundredThousandNestedDivs() throws {
        let html = "<html><body>" + String(repeating: "<div>", count: 100_000) + "<p>deep text</p>" + String(repeating: "</div>", count: 100_000) + "</body></html>"
        let a = try extractor.extract(html: Array(html.utf8))
        #expect(!a.isArticle)
    }

    @Test func fiftyMegabytePage() throws {
        var html = "<html><head><title>Big</title></head><body><article>"
        let paragraph = String(repeating: "A long paragraph of ordinary prose, with commas, and more words. ", count: 20) + "</p>\n"
        let count = 50_000_000 / paragraph.utf8.count + 1
        html.reserveCapacity(50_100_000)
        for i in 0..<count { html += "<p>\(i) " + paragraph }
        html += "</article></body></html>"
        #expect(html.utf8.count >= 50_000_000)
        let a = try extractor.extract(html: Array(html.utf8))
        #expect(a.isArticle)
        #expect(a.paragraphs.count >= count / 2)
    }

    @Test func tooLargeIsATypedError() {
        let bytes = [UInt8](repeating: 0x20, count: Extractor.maxBytes + 1)
        #expect(throws: ExtractionError.tooLarge(bytes: Extractor.maxBytes + 1, limit: Extractor.maxBytes)) {
            try extractor.extract(html: bytes)
        }
    }

    @Test func aPageOfOnlyLinksIsNotAnArticle() throws {
        var html = "<html><body><div class=\"list\">"
        for i in 0..<400 { html += "<div><a href=\"/news/\(i)\">Headline number \(i) about something that happened today</a></div>" }
        html += "</div></body></html>"
        let a = try extractor.extract(html: Array(html.utf8), url: "https://news.example/section/world")
        #expect(!a.isArticle)
        #expect(a.notArticleReason != nil)
        #expect(a.paragraphs.isEmpty)
    }

    @Test func markupWithoutText() throws {
        let a = try extractor.extract(html: Array("<html><body><div><img src=x></div><script>var a = 1;</script></body></html>".utf8))
        #expect(a.paragraphs.isEmpty)
        #expect(!a.isArticle)
        #expect(a.notArticleReason == "no article text found")
    }

    @Test func repeatedExtractionKeepsNoState() throws {
        let page = NewsPage(script: .persian, headline: "گسترش همکاری‌ها", paragraphs: Self.persianParagraphs)
        let bytes = Array(page.html().utf8)
        let first = try extractor.extract(html: bytes)
        for _ in 0..<50 { #expect(try extractor.extract(html: bytes) == first) }
    }
}
