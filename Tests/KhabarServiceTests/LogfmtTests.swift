import Foundation
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

@Suite struct LogStyleTests {
    @Test func journalLinesCarrySyslogPriorityAndNoTimestamp() {
        let h = LogfmtHandler(label: "t", level: .info, style: .journal)
        #expect(h.format(level: .error, message: "fetch failed", metadata: ["url": "https://a.example/x"])
            == "<3>level=error msg=\"fetch failed\" url=https://a.example/x\n")
        #expect(h.format(level: .info, message: "added", metadata: nil) == "<6>level=info msg=added\n")
        #expect(h.format(level: .warning, message: "w", metadata: nil).hasPrefix("<4>"))
        #expect(h.format(level: .critical, message: "c", metadata: nil).hasPrefix("<2>"))
        #expect(h.format(level: .debug, message: "d", metadata: nil).hasPrefix("<7>"))
        #expect(h.format(level: .notice, message: "n", metadata: nil).hasPrefix("<5>"))
    }

    @Test func terminalLinesHaveTimestampAndColour() {
        let h = LogfmtHandler(label: "t", level: .info, style: .terminal)
        let line = h.format(level: .error, message: "x", metadata: nil)
        #expect(line.hasPrefix("ts="))
        #expect(line.contains("level=\u{1B}[31merror\u{1B}[0m msg=x"))
    }

    @Test func plainLinesHaveTimestampNoColour() {
        let h = LogfmtHandler(label: "t", level: .info, style: .plain)
        let line = h.format(level: .warning, message: "x", metadata: ["source": "roayah"])
        #expect(line.hasPrefix("ts="))
        #expect(line.hasSuffix(" level=warning msg=x source=roayah\n"))
        #expect(!line.contains("\u{1B}"))
    }

    @Test func journalStyleIsChosenOnlyWhenTheStreamIsStderr() {
        #expect(LogfmtHandler.detectStyle(environment: ["JOURNAL_STREAM": "1:1"]) != .journal)
        var st = stat()
        fstat(2, &st)
        #expect(LogfmtHandler.detectStyle(environment: ["JOURNAL_STREAM": "\(st.st_dev):\(st.st_ino)"]) == .journal)
    }
}
