import Testing
@testable import KhabarService

@Suite struct LogfmtTests {
    @Test func bareValuesStayBare() {
        #expect(LogfmtHandler.value("roayah") == "roayah")
        #expect(LogfmtHandler.value("https://example.com/a?b") == "https://example.com/a?b")
    }

    @Test func valuesWithSpacesQuotesOrEqualsAreQuoted() {
        #expect(LogfmtHandler.value("added file") == "\"added file\"")
        #expect(LogfmtHandler.value("a=b") == "\"a=b\"")
        #expect(LogfmtHandler.value("say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"")
        #expect(LogfmtHandler.value("") == "\"\"")
        #expect(LogfmtHandler.value("خبر روسيا") == "\"خبر روسيا\"")
    }

    @Test func keysAreSanitised() {
        #expect(LogfmtHandler.key("url") == "url")
        #expect(LogfmtHandler.key("a b=c") == "a_b_c")
    }

    @Test func timestampIsUTCWithMilliseconds() {
        let ts = LogfmtHandler.timestamp()
        #expect(ts.count == 24)
        #expect(ts.hasSuffix("Z"))
        #expect(ts.dropFirst(10).first == "T")
    }
}
