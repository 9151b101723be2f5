import Testing
import KhabarText
@testable import KhabarExtract

/// Golden tests from the seeds: each seed's real article paragraphs, wrapped in the menus,
/// widgets, related lists and comment boxes its naive scraper left in the text, must come back
/// exactly — and none of the faults DESIGN.md lists may reappear.
@Suite struct SeedGoldenTests {
    let extractor = Extractor()

    func extract(_ page: NewsPage, url: String = "https://news.example/2023/07/02/article-1234.html") throws -> Article {
        try extractor.extract(html: Array(page.html().utf8), url: url)
    }

    /// The seed faults that must never appear in extracted text.
    static let faults = ["اندازه قلم متن", "شاهد أيضاً", "رابط مختصر", "به کانال تلگرام", "هنوز نظری اضافه نشده است",
                         "اقرأ أيضا", "بیشتر بخوانید", "الكلمات الدلالية", "جميع الحقوق محفوظة", "کلیه حقوق", "الأكثر قراءة",
                         "پربازدیدترین", "Facebook", "نظر خود را"]

    func expectClean(_ a: Article, _ page: NewsPage, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.paragraphs == page.expected, sourceLocation: sourceLocation)
        for p in a.paragraphs {
            #expect(!p.unicodeScalars.contains("\u{00A0}"), sourceLocation: sourceLocation)
            #expect(CorpusText.cleanParagraph(p).unicodeScalars.elementsEqual(p.unicodeScalars), sourceLocation: sourceLocation)
        }
        for fault in Self.faults { #expect(!a.text.contains(fault), "leaked \(fault)", sourceLocation: sourceLocation) }
        #expect(CorpusText.violations(of: a.text).isEmpty, sourceLocation: sourceLocation)
        #expect(a.isArticle, sourceLocation: sourceLocation)
    }

    @Test func seed000PersianWithSolarHijriDate() throws {
        let l = try Seeds.lines("000_")
        let page = NewsPage(script: .persian, headline: Seeds.line(l, 1), dateLine: Seeds.line(l, 3),
                            caption: Seeds.line(l, 8), paragraphs: [Seeds.line(l, 6)] + Seeds.body(l, 10...38),
                            related: ["روسیه و ایران؛ همکاری نظامی تازه", "سفر رادان به مسکو و پیامدهای آن"], tags: ["ایران", "روسیه"],
                            extraJunk: [Seeds.line(l, 41), Seeds.line(l, 43)])
        let a = try extract(page)
        expectClean(a, page)
        #expect(a.headline == CorpusText.cleanParagraph(Seeds.line(l, 1)))
        #expect(a.language == "fa")
        // "یکشنبه, 11ام تیر, 1402" printed for people, no machine-readable date on the page.
        #expect(a.published == "2023-07-02")
    }

    @Test func seed001ArabicWithNoBreakSpaceParagraphs() throws {
        let l = try Seeds.lines("001_")
        let page = NewsPage(script: .arabic, headline: Seeds.line(l, 3), paragraphs: Seeds.body(l, 5...56),
                            related: [Seeds.line(l, 60), Seeds.line(l, 62)], tags: ["روسيا", "إيران"])
        let a = try extract(page)
        expectClean(a, page)
        #expect(a.language == "ar")
    }

    @Test func seed002ArabicWithoutHeadline() throws {
        let l = try Seeds.lines("002_")
        let page = NewsPage(script: .arabic, headline: nil, paragraphs: Seeds.body(l, 1...11),
                            related: ["قائد الشرطة الإيرانية في موسكو", "تعاون أمني بين طهران وموسكو"],
                            machineDate: "2023-06-27T14:05:00+03:30")
        let a = try extract(page)
        expectClean(a, page)
        #expect(a.published == "2023-06-27T14:05:00+03:30")
    }

    @Test func seed003ArabicWithSubheadings() throws {
        let l = try Seeds.lines("003_")
        let subheads: Set<Int> = [4, 7, 10, 13]
        let paragraphs = (1...15).map { subheads.contains($0) ? "## " + Seeds.line(l, $0) : Seeds.line(l, $0) }
        let page = NewsPage(script: .arabic, headline: "بوتين في طهران: تعاون لمواجهة العقوبات", paragraphs: paragraphs,
                            related: ["روسيا وإيران.. تنافس أم تعاون؟"], extraJunk: [Seeds.line(l, 16)],
                            machineDate: "2022-07-19T08:00:00Z")
        let a = try extract(page)
        expectClean(a, page)
        #expect(a.published == "2022-07-19T08:00:00Z")
    }

    @Test func seed004ArabicWithRelatedHeadlines() throws {
        let l = try Seeds.lines("004_")
        let related = Seeds.body(l, 39...67)
        let page = NewsPage(script: .arabic, headline: Seeds.line(l, 1), dateLine: Seeds.line(l, 3),
                            paragraphs: Seeds.body(l, 5...33), related: related, tags: ["إيران", "روسيا"])
        let a = try extract(page)
        expectClean(a, page)
        for r in related { #expect(!a.text.contains(r)) }
        // "الأربعاء 21 يناير 2015 07:01 ص": a Gregorian date with Arabic month names.
        #expect(a.published == "2015-01-21")
    }
}
