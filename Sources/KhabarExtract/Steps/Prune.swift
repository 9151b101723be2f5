/// Step 1, prune: marks what is never article content — navigation, header/footer landmarks,
/// asides, forms, hidden elements, and whatever class/id/role names as menus, share bars,
/// comments, related lists, tag lists or ads — and takes its text out of its ancestors' counts.
///
/// One safety rule keeps a careless class name from deleting the article: an element that holds
/// a strong body hint (`itemprop=articleBody`, `article-body` …) or most of the page's text is
/// never pruned by its class (the `<div class="main has-sidebar">` that wraps the whole page).
enum Prune {
    /// Share of the body's text above which a class-marked element is kept anyway.
    static let protectedShare = 0.6
    /// Share of the body's text below which an element named both ways ("article-footer") is pruned.
    static let mixedShare = 0.15

    /// `gentle`: landmarks, hidden and void elements only, no class names (the fallback when
    /// class-based pruning took the article with it).
    static func run(_ t: PageTree, gentle: Bool = false) {
        let bodyChars = Double(max(1, t.chars[t.body]))
        var i = t.body + 1
        let stop = Int(t.end[t.body])
        while i < stop {
            let f = t.flags[i]
            if shouldRemove(t, i, gentle ? f.subtracting([.boilerClass, .metaProperty]) : f, bodyChars: bodyChars) {
                remove(t, i)
                i = Int(t.end[i])
                continue
            }
            i += 1
        }
    }

    static func shouldRemove(_ t: PageTree, _ i: Int, _ f: PageTree.Flags, bodyChars: Double) -> Bool {
        if f.contains(.void) { return true }
        if f.contains(.strongContent) { return false }
        if f.contains(.metaProperty), t.chars[i] < 300, !f.contains(.containsHint) { return true }
        let marked: Bool
        switch t.tag[i] {
        case .nav, .aside, .footer, .header, .form, .menu, .button, .dialog: marked = true
        default:
            if f.contains(.hidden) { marked = true }
            else if f.contains(.boilerClass) {
                // "post category-news tag-x", "content-with-sidebar": content words beside boilerplate
                // ones mark a container; prune it only when it holds little of the page.
                marked = !f.contains(.contentClass) || Double(t.chars[i]) < mixedShare * bodyChars
            } else { marked = false }
        }
        guard marked else { return false }
        if f.contains(.containsHint) { return false }
        if Double(t.chars[i]) > protectedShare * bodyChars { return false }
        return true
    }

    /// Marks `i`'s subtree removed and subtracts its text from every ancestor.
    static func remove(_ t: PageTree, _ i: Int) {
        let e = Int(t.end[i])
        for k in i..<e { t.flags[k].insert(.removed) }
        let c = t.chars[i], l = t.linkChars[i], k = t.commas[i]
        if c == 0 && k == 0 { return }
        var a = Int(t.parent[i])
        while a >= 0 {
            t.chars[a] -= c; t.linkChars[a] -= l; t.commas[a] -= k
            a = Int(t.parent[a])
        }
    }
}
