/// Step 2, score: Readability's one clear idea, on the pruned tree. Every paragraph-like element
/// with some prose gives its parent a score for its length and its commas (`،` and `؛` count), and
/// half of it to its grandparent, a third further up; class names add or take away; a candidate's
/// score is then discounted by its link density, so menus and link lists lose to prose.
enum Score {
    struct Result {
        /// Candidate scores, already discounted by link density; 0 for elements never scored.
        var score: [Float]
        var scored: [Bool]
    }

    /// Paragraphs shorter than this (non-space characters) give nothing.
    static let minParagraphChars: Int32 = 20

    static func run(_ t: PageTree) -> Result {
        let n = t.count
        var raw = [Float](repeating: 0, count: n)
        var scored = [Bool](repeating: false, count: n)
        var i = t.body
        let stop = Int(t.end[t.body])
        while i < stop {
            let f = t.flags[i]
            if f.contains(.removed) { i = Int(t.end[i]); continue }
            if f.contains(.hasBlockChild), t.ownChars[i] >= minParagraphChars * 2, !t.isCodeLike(i) {
                // Text sitting directly in a container beside block children (`<div>text<br><img>text</div>`):
                // Readability wraps it in paragraphs, which would score this container.
                let c = t.ownChars[i]
                let commas = t.chars[i] > 0 ? Float(t.commas[i]) * Float(c) / Float(t.chars[i]) : 0
                if !scored[i] { scored[i] = true; raw[i] = initial(t, i) }
                raw[i] += 1 + commas + Float(min(c / 100, 3))
            }
            if isParagraph(t, i), t.chars[i] >= minParagraphChars, !t.isCodeLike(i) {
                let c = t.chars[i]
                var s: Float = 1 + Float(t.commas[i]) + Float(min(c / 100, 3))
                // Paragraphs that are mostly link text (teasers) give little.
                s *= Float(1 - t.linkDensity(i))
                var a = Int(t.parent[i])
                var level = 0
                while a >= 0 && level < 5 {
                    if !scored[a] { scored[a] = true; raw[a] = initial(t, a) }
                    let divider: Float = level == 0 ? 1 : (level == 1 ? 2 : Float(level * 3))
                    raw[a] += s / divider
                    if a == t.body { break }
                    a = Int(t.parent[a])
                    level += 1
                }
            }
            i += 1
        }
        for k in 0..<n where scored[k] { raw[k] *= Float(1 - t.linkDensity(k)) }
        return Result(score: raw, scored: scored)
    }

    /// Elements whose text counts as one paragraph: p, pre, td, blockquote, list items, and divs or
    /// sections with text of their own and no block children.
    static func isParagraph(_ t: PageTree, _ i: Int) -> Bool {
        switch t.tag[i] {
        case .p, .pre, .td, .blockquote, .dd: return true
        case .li: return !t.flags[i].contains(.hasBlockChild)
        case .div, .section, .article, .span, .font, .center:
            return !t.flags[i].contains(.hasBlockChild) && t.ownChars[i] > 0
        default: return false
        }
    }

    /// The starting score of a candidate from its tag and its class names.
    static func initial(_ t: PageTree, _ i: Int) -> Float {
        var s: Float
        switch t.tag[i] {
        case .div, .article, .main, .section: s = 5
        case .pre, .td, .blockquote: s = 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: s = -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: s = -5
        default: s = 0
        }
        let f = t.flags[i]
        if f.contains(.strongContent) { s += 50 }
        else if f.contains(.contentClass) { s += 25 }
        if f.contains(.boilerClass) { s -= 25 }
        if t.tag[i] == .article { s += 10 }
        return s
    }
}
