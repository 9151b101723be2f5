import Testing
@testable import KhabarService

@Suite struct ArticleFilterTests {
    let topic = ArticleFilter(minChars: 20, languages: ["ar", "fa"], includeAny: ["روسيا", "روسیه"], excludeAny: ["رياضة"])

    @Test func keepsAnOnTopicArticle() {
        #expect(topic.evaluate(language: "ar", headline: "زيارة", body: "بوتين يزور طهران وروسيا توقع اتفاقا", characters: 40) == .keep)
    }

    @Test func tooShortComesFirst() {
        #expect(topic.evaluate(language: "en", headline: nil, body: "short", characters: 5) == .tooShort(characters: 5, minimum: 20))
    }

    @Test func languageFilter() {
        #expect(topic.evaluate(language: "en", headline: nil, body: "Russia and Iran sign", characters: 40)
            == .filtered(reason: "language en not in ar, fa"))
        #expect(topic.evaluate(language: nil, headline: nil, body: "روسيا", characters: 40)
            == .filtered(reason: "language unknown, source keeps ar, fa"))
    }

    @Test func includeMatchesSpellingVariants() {
        // Persian spelling with Arabic yeh, and the other way round; tatweel and ZWNJ ignored.
        #expect(topic.evaluate(language: "fa", headline: nil, body: "سفر به روسيه", characters: 40) == .keep)
        #expect(topic.evaluate(language: "ar", headline: "روســیا", body: "نص", characters: 40) == .keep)
        #expect(topic.evaluate(language: "ar", headline: nil, body: "اتفاق بين طهران وأنقرة", characters: 40)
            == .filtered(reason: "contains none of include_any"))
    }

    @Test func excludeWins() {
        #expect(topic.evaluate(language: "ar", headline: "روسيا", body: "أخبار الرياضة", characters: 40)
            == .filtered(reason: "contains excluded \"رياضة\""))
    }

    @Test func emptyFiltersKeepEverythingLongEnough() {
        let all = ArticleFilter(minChars: 0, languages: [], includeAny: [], excludeAny: [])
        #expect(all.evaluate(language: nil, headline: nil, body: "", characters: 0) == .keep)
    }
}
