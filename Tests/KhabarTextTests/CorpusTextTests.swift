import Testing
@testable import KhabarText

@Suite struct CorpusTextTests {
    @Test func cleanParagraphCollapsesWhitespaceAndNBSP() {
        #expect(CorpusText.cleanParagraph("  a\u{00A0}\u{00A0}b\t\nc  ") == "a b c")
        #expect(CorpusText.cleanParagraph("\u{00A0}\u{00A0}\u{00A0}") == "")
    }

    @Test func cleanParagraphDropsInvisibleCharactersButKeepsZWNJ() {
        let text = "\u{FEFF}می\u{200C}گویم\u{200B} soft\u{00AD}hyphen \u{200D}x\u{0007}y"
        #expect(CorpusText.cleanParagraph(text) == "می\u{200C}گویم softhyphen \u{200D}x y")
    }

    @Test func cleanParagraphKeepsHarakatAndTatweel() {
        let text = "كَتَبَ الـــطالب"
        #expect(CorpusText.cleanParagraph(text) == text)
    }

    @Test func cleanParagraphComposesToNFC() {
        #expect(CorpusText.cleanParagraph("e\u{301} \u{627}\u{653}") == "\u{E9} \u{622}")
    }

    @Test func renderWritesOneParagraphPerLineWithFinalNewline() {
        let text = CorpusText.render(headline: " Title ", paragraphs: ["one", "\u{00A0}", "", "two  words"])
        #expect(text == "Title\none\ntwo words\n")
        #expect(CorpusText.violations(of: text).isEmpty)
    }

    @Test func renderWithoutHeadline() {
        #expect(CorpusText.render(headline: nil, paragraphs: ["a"]) == "a\n")
        #expect(CorpusText.render(headline: "", paragraphs: []) == "")
    }

    @Test func violationsNameEachBrokenRule() {
        #expect(CorpusText.violations(of: "") == [.empty])
        #expect(CorpusText.violations(of: "a") == [.noFinalNewline])
        #expect(CorpusText.violations(of: "a\n\nb\n") == [.emptyLine(line: 2)])
        #expect(CorpusText.violations(of: " a\n") == [.surroundingSpace(line: 1)])
        #expect(CorpusText.violations(of: "a  b\n") == [.repeatedSpace(line: 1)])
        #expect(CorpusText.violations(of: "a\u{00A0}b\n") == [.repeatedSpace(line: 1)])
        #expect(CorpusText.violations(of: "a\u{200B}b\n") == [.forbiddenCharacter(line: 1, scalar: 0x200B)])
        #expect(CorpusText.violations(of: "e\u{301}\n") == [.notNFC])
        #expect(CorpusText.violations(of: "\u{FEFF}a\n") == [.byteOrderMark])
        #expect(CorpusText.violations(of: "می\u{200C}گویم\n").isEmpty)
    }

    @Test func violationDescriptionsAreReadable() {
        #expect(CorpusText.Violation.forbiddenCharacter(line: 3, scalar: 0xAD).description == "line 3 contains U+00AD")
    }
}

@Suite struct ScriptFoldTests {
    @Test func unifiesArabicAndPersianLetterForms() {
        #expect(ScriptFold.fold("علي كتاب") == ScriptFold.fold("علی کتاب"))
        #expect(ScriptFold.fold("إيران") == ScriptFold.fold("ایران"))
    }

    @Test func dropsTatweelHarakatAndJoiners() {
        #expect(ScriptFold.fold("كَتَبَ الـــطالب") == ScriptFold.fold("كتب الطالب"))
        #expect(ScriptFold.fold("می\u{200C}گویم") == ScriptFold.fold("میگویم"))
    }

    @Test func foldsDigitsAndLatinCase() {
        #expect(ScriptFold.fold("۱۴۰۲ ٢٠٢٢ Tehran ÉTÉ") == "1402 2022 tehran été")
    }

    @Test func collapsesWhitespace() {
        #expect(ScriptFold.fold("  a \n\u{00A0} b ") == "a b")
    }
}
