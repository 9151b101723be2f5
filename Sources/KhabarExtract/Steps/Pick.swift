import KhabarText

/// Step 3, pick: the best-scoring candidate, moved up when the article is spread over several
/// sibling containers, and the siblings that continue it (Readability's sibling rule).
enum Pick {
    /// The element indices whose subtrees make the article, in document order.
    static func run(_ t: PageTree, _ s: Score.Result, description: String? = nil) -> [Int] {
        var top = -1
        var best: Float = 0
        for i in 0..<t.count where s.scored[i] && !t.flags[i].contains(.removed) && s.score[i] > best {
            best = s.score[i]; top = i
        }
        guard top >= 0 else { return [t.body] }

        top = climbForAlternatives(t, s, top)
        top = climbByScore(t, s, top)
        // A wrapper whose only element child is the candidate says nothing new: use the wrapper.
        while top != t.body, onlyElementChild(t, parent: Int(t.parent[top])) == top {
            top = Int(t.parent[top])
        }
        if let repeated = repeatedSections(t, top) {
            var out = repeated
            if let lede = description.map(ledeKey), lede.unicodeScalars.count >= 40, let first = out.first,
               let l = findLede(t, before: first, lede: lede) {
                out.insert(l, at: 0)
            }
            return out
        }
        return siblings(t, s, top, lede: description.map(ledeKey))
    }

    /// A class attribute without its numbers: "et_pb_row et_pb_row_2" and "et_pb_row et_pb_row_7"
    /// are the same kind of block.
    static func shape(_ cls: String) -> String {
        String(String.UnicodeScalarView(cls.unicodeScalars.filter { !($0.value >= 0x30 && $0.value <= 0x39) }))
    }

    /// Articles that a CMS cuts into a run of identical sections (one per subheading, each
    /// `<section class="blog-section">`): when the candidate, or one of its nearest ancestors, has
    /// siblings of the same tag and class holding prose, the article is all of them.
    static func repeatedSections(_ t: PageTree, _ top: Int) -> [Int]? {
        var a = top
        for _ in 0..<4 {
            let p = Int(t.parent[a])
            guard p >= 0, a != t.body else { return nil }
            if let cls = MetadataReader.attr(t.node[a], "class").map(shape), !cls.isEmpty {
                var same: [Int] = []
                var proseSiblings = 0
                var c = p + 1
                let e = Int(t.end[p])
                while c < e {
                    defer { c = Int(t.end[c]) }
                    guard !t.flags[c].contains(.removed), t.tag[c] == t.tag[a], t.chars[c] > 0,
                          MetadataReader.attr(t.node[c], "class").map(shape) == cls else { continue }
                    if c == a { same.append(c); continue }
                    guard t.linkDensity(c) < 0.25, !t.flags[c].contains(.boilerClass), !t.isCodeLike(c) else { continue }
                    same.append(c)
                    if t.chars[c] >= 150 && t.commas[c] >= 2 { proseSiblings += 1 }
                }
                if proseSiblings >= 1 { return same }
            }
            a = p
        }
        return nil
    }

    /// When several near-best candidates sit in one ancestor, the article is that ancestor.
    static func climbForAlternatives(_ t: PageTree, _ s: Score.Result, _ top: Int) -> Int {
        let topScore = s.score[top]
        var alternatives: [Int] = []
        for i in 0..<t.count where i != top && s.scored[i] && !t.flags[i].contains(.removed) && s.score[i] >= 0.75 * topScore {
            alternatives.append(i)
        }
        guard alternatives.count >= 3 else { return top }
        var a = Int(t.parent[top])
        while a > t.body {
            let e = Int(t.end[a])
            let inside = alternatives.reduce(0) { $0 + (($1 > a && $1 < e) ? 1 : 0) }
            if inside >= 3 { return a }
            a = Int(t.parent[a])
        }
        return top
    }

    /// Moves up while an ancestor scores higher than the candidate (its text is the article's too).
    static func climbByScore(_ t: PageTree, _ s: Score.Result, _ top: Int) -> Int {
        var lastScore = s.score[top]
        let threshold = lastScore / 3
        var a = Int(t.parent[top])
        var result = top
        while a >= 0 && a != t.body {
            if !s.scored[a] { a = Int(t.parent[a]); continue }
            let ps = s.score[a]
            if ps < threshold { break }
            if ps > lastScore { result = a; break }
            lastScore = ps
            a = Int(t.parent[a])
        }
        return result
    }

    static func onlyElementChild(_ t: PageTree, parent p: Int) -> Int? {
        guard p >= 0 else { return nil }
        var only: Int?
        var c = p + 1
        let e = Int(t.end[p])
        while c < e {
            if !t.flags[c].contains(.removed) && t.chars[c] > 0 {
                if only != nil { return nil }
                only = c
            }
            c = Int(t.end[c])
        }
        return only
    }

    /// The candidate and those of its siblings that continue the article.
    /// The folded first words of the page's description, to recognise a printed lede.
    static func ledeKey(_ description: String) -> String {
        String(ScriptFold.fold(description).prefix(60))
    }

    static func siblings(_ t: PageTree, _ s: Score.Result, _ top: Int, lede: String? = nil) -> [Int] {
        let p = Int(t.parent[top])
        guard p >= 0 else { return [top] }
        let threshold = max(10, s.score[top] * 0.2)
        var out: [Int] = []
        var c = p + 1
        let e = Int(t.end[p])
        while c < e {
            defer { c = Int(t.end[c]) }
            if t.flags[c].contains(.removed) { continue }
            if c == top { out.append(c); continue }
            if s.scored[c] && s.score[c] >= threshold { out.append(c); continue }
            // A sibling container of prose (page builders put each paragraph in its own section).
            if t.chars[c] >= 150, t.linkDensity(c) < 0.2, t.commas[c] >= 2, Int(t.commas[c]) * 200 >= Int(t.chars[c]),
               !t.flags[c].contains(.boilerClass) {
                out.append(c); continue
            }
            if t.tag[c] == .p || (t.tag[c] == .div && !t.flags[c].contains(.hasBlockChild)) {
                let len = t.chars[c]
                let ld = t.linkDensity(c)
                if len > 65 && ld < 0.25 { out.append(c); continue }
                if len > 0 && len <= 65 && ld == 0 && t.commas[c] > 0 { out.append(c); continue }
            }

        }
        if out.isEmpty { out = [top] }
        if let lede, lede.unicodeScalars.count >= 40, let first = out.first, let l = findLede(t, before: first, lede: lede) {
            out.insert(l, at: 0)
        }
        return out
    }

    /// The standfirst printed just before the body (a few siblings back, up to two levels up),
    /// recognised by the page's own description.
    static func findLede(_ t: PageTree, before start: Int, lede: String) -> Int? {
        var anchor = start
        for _ in 0..<3 {
            let p = Int(t.parent[anchor])
            guard p >= 0, anchor != t.body else { return nil }
            // Preceding element siblings of `anchor`, nearest first.
            var siblings: [Int] = []
            var c = p + 1
            while c < anchor { siblings.append(c); c = Int(t.end[c]) }
            for c in siblings.reversed().prefix(3) where !t.flags[c].contains(.removed) {
                guard t.chars[c] >= 40, t.chars[c] < 1500, t.linkDensity(c) < 0.2 else { continue }
                if ScriptFold.fold(MetadataReader.text(of: t.node[c], limit: 8000)).contains(lede) { return c }
            }
            anchor = p
        }
        return nil
    }
}
