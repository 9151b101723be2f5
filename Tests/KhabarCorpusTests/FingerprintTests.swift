import Testing
import KhabarText
@testable import KhabarCorpus

@Suite struct FingerprintTests {
    /// `text` with a new headline and `count` words replaced in the middle of its longest paragraph.
    static func edited(_ text: String, words count: Int) -> String {
        var lines = ParagraphDiff.paragraphs(text)
        lines[0] = "عنوان جديد مختلف تماما عن الأصل"
        let longest = (1..<lines.count).max { lines[$0].split(separator: " ").count < lines[$1].split(separator: " ").count }!
        var words = lines[longest].split(separator: " ").map(String.init)
        let start = words.count / 2
        for k in 0..<count { words[start + k] = "كلمة\(k)" }
        lines[longest] = words.joined(separator: " ")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func oneSentenceEditedAndANewHeadlineStayWithinThreeBits() throws {
        for (i, seed) in seedTexts.enumerated() {
            let a = try #require(TextFingerprint.of(seed))
            for count in 1...3 {
                let b = try #require(TextFingerprint.of(Self.edited(seed, words: count)))
                #expect(a.distance(to: b) <= 3, "seed \(i), \(count) words: \(a.distance(to: b)) bits")
            }
        }
    }

    @Test func unrelatedArticlesOnTheSameTopicAreFarApart() throws {
        let prints = try seedTexts.map { try #require(TextFingerprint.of($0)) }
        for i in prints.indices {
            for j in prints.indices where j > i {
                #expect(prints[i].distance(to: prints[j]) >= 16, "seeds \(i) and \(j): \(prints[i].distance(to: prints[j])) bits")
            }
        }
    }

    @Test func foldedVariantsHaveTheSameFingerprint() throws {
        let persian = "تیتر\nمی‌گویم که این کتاب ۱۲ صفحه دارد و خیلی خوب است و همه آن را می‌خوانند امروز.\n"
        let variant = "تیتر\nميگويم كه اين كتـــاب 12 صفحه دارد و خيلى خوب است و همه آن را مى‌خوانند امروز.\n"
        let a = try #require(TextFingerprint.of(persian))
        let b = try #require(TextFingerprint.of(variant))
        #expect(a == b)
        #expect(ContentHash.foldHash16(persian) == ContentHash.foldHash16(variant))
        #expect(ContentHash.hash16(persian) != ContentHash.hash16(variant))
    }

    @Test func theHeadlineIsLeftOut() throws {
        let body = "فقرة أولى فيها كلمات كثيرة تكفي لعدد من القطع المتتالية في النص.\nوفقرة ثانية أيضا.\n"
        #expect(TextFingerprint.of("عنوان أول\n" + body) == TextFingerprint.of("عنوان ثان مختلف\n" + body))
    }

    @Test func shortTextsHaveNoFingerprint() {
        #expect(TextFingerprint.of("") == nil)
        #expect(TextFingerprint.of("one two three four five\n") == nil)
        #expect(TextFingerprint.of("!!! ... ---\n") == nil)
    }

    @Test func bandsSplitTheSixtyFourBits() {
        let f = TextFingerprint(value: 0x1234_5678_9ABC_DEF0)
        #expect(f.bands == [0xDEF0, 0x9ABC, 0x5678, 0x1234])
        #expect(f.description == "123456789abcdef0")
        #expect(TextFingerprint(value: 0).distance(to: TextFingerprint(value: .max)) == 64)
    }

    @Test func wordsSplitOnPunctuationAndKeepDigits() {
        let words = TextFingerprint.words("«خبر»: COVID-19، الأربعاء").map { String($0) }
        #expect(words == ["خبر", "covid", "19", "الاربعا"].map { ScriptFold.fold($0) } || words == ["خبر", "covid", "19", "الاربعاء"])
    }
}

@Suite struct ParagraphDiffTests {
    @Test func showsRemovedAddedAndRespelledParagraphs() {
        let old = ["Headline", "Kept one.", "Removed paragraph.", "Kept two.", "میگویم که ۱۲ است."]
        let new = ["Headline", "Kept one.", "Kept two.", "Added paragraph.", "می‌گویم که 12 است."]
        let lines = ParagraphDiff.diff(old, new)
        #expect(lines == [
            .same("Headline"), .same("Kept one."), .removed("Removed paragraph."), .same("Kept two."),
            .respelled(old: "میگویم که ۱۲ است.", new: "می‌گویم که 12 است."), .added("Added paragraph."),
        ])
        #expect(ParagraphDiff.summary(lines) == ParagraphDiff.Summary(same: 3, removed: 1, added: 1, respelled: 1))
        #expect(ParagraphDiff.render(lines, oldName: "005_a.txt", newName: "007_b.txt", context: 1) == """
            --- 005_a.txt
            +++ 007_b.txt
              Headline
              Kept one.
            - Removed paragraph.
              Kept two.
            ~ میگویم که ۱۲ است.
            ~ می‌گویم که 12 است.
            + Added paragraph.

            """)
    }

    @Test func elidesLongUnchangedRuns() {
        let old = (1...10).map { "p\($0)" }
        var new = old
        new[9] = "p10 changed"
        let text = ParagraphDiff.render(ParagraphDiff.diff(old, new), oldName: "a", newName: "b", context: 1)
        #expect(text == "--- a\n+++ b\n  … 8 unchanged paragraphs\n  p9\n- p10\n+ p10 changed\n")
    }

    @Test func identicalAndEmptyTexts() {
        #expect(ParagraphDiff.diff([], []) == [])
        #expect(ParagraphDiff.summary(ParagraphDiff.diff(["a"], ["a"])).isIdentical)
        #expect(ParagraphDiff.diff([], ["x"]) == [.added("x")])
        #expect(ParagraphDiff.paragraphs("a\nb\n") == ["a", "b"])
        #expect(ParagraphDiff.paragraphs("") == [])
    }

    @Test func matchesABruteForceLongestCommonSubsequence() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let a = (0..<Int.random(in: 0...12, using: &generator)).map { _ in "p\(Int.random(in: 0...4, using: &generator))" }
            let b = (0..<Int.random(in: 0...12, using: &generator)).map { _ in "p\(Int.random(in: 0...4, using: &generator))" }
            let lines = ParagraphDiff.diff(a, b)
            let kept = lines.filter { if case .same = $0 { return true }; return false }.count
            #expect(kept == lcs(a, b), "\(a) \(b)")
            // Replaying the script rebuilds both sides.
            var left: [String] = [], right: [String] = []
            for line in lines {
                switch line {
                case .same(let s): left.append(s); right.append(s)
                case .removed(let s): left.append(s)
                case .added(let s): right.append(s)
                case .respelled(let o, let n): left.append(o); right.append(n)
                }
            }
            #expect(left.sorted() == a.sorted() && right.sorted() == b.sorted())
        }
    }

    @Test func hostileSizesStayBounded() {
        let a = (0..<20_000).map { "a\($0)" }
        let b = (0..<20_000).map { "b\($0)" }
        let lines = ParagraphDiff.diff(a, b)
        #expect(lines.count == 40_000)
    }

    func lcs(_ a: [String], _ b: [String]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }
}
