import CLibXML2

/// Everything the extraction steps need to know about the page's elements, gathered in one
/// iterative walk over libxml2's nodes, without building a String or allocating per node.
///
/// Elements are numbered in document order (pre-order), so the descendants of element `i` are
/// exactly `i+1 ..< end[i]`: subtree questions become index ranges. Facts live in parallel arrays
/// (structure of arrays), which keeps the walk and the scoring cache-friendly.
final class PageTree {
    struct Flags: OptionSet {
        let rawValue: UInt16
        /// class/id/role say menu, share bar, comments, related list, ad …
        static let boilerClass = Flags(rawValue: 1 << 0)
        /// class/id/role say content (`article`, `content`, `story` …).
        static let contentClass = Flags(rawValue: 1 << 1)
        /// A strong body hint: `itemprop=articleBody`, `article-body`, `entry-content` …
        static let strongContent = Flags(rawValue: 1 << 2)
        /// `hidden`, `aria-hidden=true`, `display:none`.
        static let hidden = Flags(rawValue: 1 << 3)
        /// Never text: script, style, template, svg, form controls … (not descended into).
        static let void = Flags(rawValue: 1 << 4)
        /// Has a block-level child element (so it is not itself a paragraph).
        static let hasBlockChild = Flags(rawValue: 1 << 5)
        /// Contains an element with `strongContent` or an `<article>`/`<main>` below it.
        static let containsHint = Flags(rawValue: 1 << 6)
        /// Removed by pruning (itself or an ancestor).
        static let removed = Flags(rawValue: 1 << 7)
        /// A link with an href.
        static let link = Flags(rawValue: 1 << 8)
        /// class/id mention a date or time (where pages print dates for people).
        static let dateClass = Flags(rawValue: 1 << 9)
        /// A microdata property other than the body (`itemprop=publisher/author/datePublished …`):
        /// machine-readable facts that pages often also print, hidden or as bylines.
        static let metaProperty = Flags(rawValue: 1 << 10)
        /// `rel=author`, `itemprop=author`, or a class naming the author or byline.
        static let authorHint = Flags(rawValue: 1 << 11)
    }

    var node: [xmlNodePtr] = []
    var tag: [Tag] = []
    var parent: [Int32] = []
    /// One past the last descendant.
    var end: [Int32] = []
    /// Non-space characters of text in the subtree (Unicode scalars, not bytes).
    var chars: [Int32] = []
    /// Of those, the characters inside links.
    var linkChars: [Int32] = []
    /// Commas (`,` `،` `؛` `，` `、`) in the subtree: a sign of prose.
    var commas: [Int32] = []
    /// Characters of the element's own text children (not its descendants').
    var ownChars: [Int32] = []
    /// Code punctuation (`{ } [ ] = ; < > \ |`) in the subtree: script text that leaked into the page
    /// (a broken attribute, an inline template) is not prose, however many commas it has.
    var codeChars: [Int32] = []
    var flags: [Flags] = []
    /// Index of `<body>` (or the root when there is none).
    var body: Int = 0

    var count: Int { tag.count }

    init(root: xmlNodePtr, capacityHint: Int) {
        let cap = max(64, capacityHint)
        node.reserveCapacity(cap); tag.reserveCapacity(cap); parent.reserveCapacity(cap); end.reserveCapacity(cap)
        chars.reserveCapacity(cap); linkChars.reserveCapacity(cap); commas.reserveCapacity(cap)
        ownChars.reserveCapacity(cap); flags.reserveCapacity(cap); codeChars.reserveCapacity(cap)
        walk(root)
    }

    @inline(__always) func linkDensity(_ i: Int) -> Double {
        let c = chars[i]
        return c > 0 ? Double(linkChars[i]) / Double(c) : 0
    }

    /// Index of the element a libxml2 node was numbered with, if any.
    @inline(__always) static func index(of n: xmlNodePtr) -> Int? {
        guard let p = n.pointee._private else { return nil }
        return Int(bitPattern: p) - 1
    }

    private func walk(_ root: xmlNodePtr) {
        // Local arrays, moved into the properties at the end: no exclusivity checks per node.
        var node = self.node, tag = self.tag, parent = self.parent, end = self.end
        var chars = self.chars, linkChars = self.linkChars, commas = self.commas, ownChars = self.ownChars, flags = self.flags
        var codeChars = self.codeChars
        self.node = []; self.tag = []; self.parent = []; self.end = []; self.chars = []; self.linkChars = []
        self.commas = []; self.ownChars = []; self.flags = []; self.codeChars = []
        var body = 0
        var stack: [Int32] = []
        stack.reserveCapacity(64)
        var linkDepth = 0
        var bodyFound = false
        var cur: xmlNodePtr? = root
        while let n = cur {
            var descend = false
            let type = n.pointee.type
            if type == XML_ELEMENT_NODE {
                let t: Tag = n.pointee.name.map { Tag.classify(UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self)) } ?? .other
                let idx = tag.count
                node.append(n); tag.append(t)
                parent.append(stack.last ?? -1)
                end.append(Int32(idx + 1))
                chars.append(0); linkChars.append(0); commas.append(0); ownChars.append(0); codeChars.append(0)
                var f = n.pointee.properties == nil ? Flags() : Self.attributeFlags(n, tag: t)
                if Self.isVoid(t) { f.insert(.void) }
                flags.append(f)
                n.pointee._private = UnsafeMutableRawPointer(bitPattern: idx + 1)
                if t == .body && !bodyFound { body = idx; bodyFound = true }
                if !f.contains(.void), n.pointee.children != nil {
                    stack.append(Int32(idx))
                    if f.contains(.link) { linkDepth += 1 }
                    descend = true
                }
            } else if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let top = stack.last, let content = n.pointee.content {
                var c: Int32 = 0, k: Int32 = 0, x: Int32 = 0
                Self.countText(UnsafeRawPointer(content).assumingMemoryBound(to: UInt8.self), chars: &c, commas: &k, code: &x)
                let t = Int(top)
                chars[t] += c; ownChars[t] += c; commas[t] += k; codeChars[t] += x
                if linkDepth > 0 { linkChars[t] += c }
            }
            if descend { cur = n.pointee.children; continue }
            // Advance: next sibling, else close elements on the way up.
            var m = n
            cur = nil
            while true {
                if stack.isEmpty { break }  // only the root was processed and it has no children
                if let s = m.pointee.next { cur = s; break }
                guard let p = m.pointee.parent else { break }
                let i = Int(stack.removeLast())
                end[i] = Int32(tag.count)
                if flags[i].contains(.link) { linkDepth -= 1 }
                if let top = stack.last {
                    let pi = Int(top)
                    chars[pi] += chars[i]; linkChars[pi] += linkChars[i]; commas[pi] += commas[i]; codeChars[pi] += codeChars[i]
                    if Self.isBlock(tag[i]) { flags[pi].insert(.hasBlockChild) }
                    if flags[i].contains(.strongContent) || flags[i].contains(.containsHint) || tag[i] == .main {
                        flags[pi].insert(.containsHint)
                    }
                }
                m = p
                if stack.isEmpty { break }
            }
        }
        self.node = node; self.tag = tag; self.parent = parent; self.end = end; self.chars = chars
        self.linkChars = linkChars; self.commas = commas; self.ownChars = ownChars; self.flags = flags; self.body = body
        self.codeChars = codeChars
    }

    /// Counts non-space characters and commas of a NUL-terminated UTF-8 string.
    @inline(__always)
    static func countText(_ s: UnsafePointer<UInt8>, chars: inout Int32, commas: inout Int32, code: inout Int32) {
        var i = 0
        var c: Int32 = 0, k: Int32 = 0, x: Int32 = 0
        while true {
            let b = s[i]
            if b == 0 { break }
            if b > 0x20 && (b & 0xC0) != 0x80 {
                c += 1
                switch b {
                case 0x2C: k += 1
                case 0xD8: let d = s[i + 1]; if d == 0x8C || d == 0x9B { k += 1 }
                case 0xEF: if s[i + 1] == 0xBC && s[i + 2] == 0x8C { k += 1 }      // ， fullwidth comma
                case 0xE3: if s[i + 1] == 0x80 && s[i + 2] == 0x81 { k += 1 }      // 、 ideographic comma
                case 0x7B, 0x7D, 0x5B, 0x5D, 0x3D, 0x3B, 0x3C, 0x3E, 0x5C, 0x7C, 0x22, 0x27, 0x3A: x += 1
                default: break
                }
            }
            i += 1
        }
        chars = c
        commas = k
        code = x
    }

    /// True when the subtree's text reads like code rather than prose.
    @inline(__always) func isCodeLike(_ i: Int) -> Bool { codeChars[i] * 12 > chars[i] }

    static func isVoid(_ t: Tag) -> Bool {
        switch t {
        case .script, .style, .noscript, .template, .svg, .math, .iframe, .object, .embed, .canvas,
             .select, .option, .optgroup, .textarea, .input, .audio, .video, .map, .param, .source,
             .meta, .link, .frame, .frameset:
            return true
        default: return false
        }
    }

    /// Elements that break a paragraph (Readability's "div to p" set and the sectioning elements).
    static func isBlock(_ t: Tag) -> Bool {
        switch t {
        case .p, .div, .section, .article, .table, .ul, .ol, .dl, .blockquote, .pre, .h1, .h2, .h3, .h4, .h5, .h6,
             .form, .header, .footer, .main, .aside, .nav, .figure, .img, .hr, .address, .fieldset, .details, .center,
             .li, .tr, .td, .th, .dd, .dt, .figcaption, .hgroup, .picture:
            return true
        default: return false
        }
    }

    /// class/id/role/itemprop/hidden/style, read straight from libxml2's attribute list.
    private static func attributeFlags(_ n: xmlNodePtr, tag: Tag) -> Flags {
        var f: Flags = []
        var attr = n.pointee.properties
        guard attr != nil else { return f }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buf -> Flags in
            var used = 0
            while let a = attr {
                defer { attr = a.pointee.next }
                guard let nm = a.pointee.name, let v = a.pointee.children?.pointee.content else {
                    if let nm = a.pointee.name, equals(nm, "hidden") { f.insert(.hidden) }
                    continue
                }
                if equals(nm, "class") || (equals(nm, "id") && !isSlug(v)) {
                    // Lower-cased class and id, space-separated, at most 256 bytes.
                    if used > 0 && used < buf.count { buf[used] = 0x20; used += 1 }
                    var i = 0
                    while v[i] != 0 && used < buf.count {
                        let b = v[i]
                        buf[used] = (b >= 65 && b <= 90) ? b + 32 : (b == 0x09 || b == 0x0A || b == 0x0D ? 0x20 : b)
                        used += 1; i += 1
                    }
                } else if equals(nm, "role") {
                    let verdict = withLowered(v) { ClassHints.judgeRole($0) }
                    if verdict.contains(.boilerplate) { f.insert(.boilerClass) }
                    if verdict.contains(.content) { f.insert(.contentClass) }
                } else if equals(nm, "itemprop") {
                    let kind = withLowered(v) { s -> Int in
                        if ClassHints.contains(s, articleBodyWord) { return 2 }
                        if s.elementsEqual("text".utf8) || s.elementsEqual("description".utf8) || s.elementsEqual("reviewbody".utf8)
                            || s.elementsEqual("mainentityofpage".utf8) || s.elementsEqual("articlesection".utf8) { return 0 }
                        return 1
                    }
                    if kind == 2 { f.insert([.strongContent, .contentClass]) } else if kind == 1 { f.insert(.metaProperty) }
                    if withLowered(v, { $0.elementsEqual("author".utf8) }) { f.insert(.authorHint) }
                } else if equals(nm, "rel") {
                    if withLowered(v, { $0.elementsEqual("author".utf8) }) { f.insert(.authorHint) }
                } else if equals(nm, "href") {
                    if tag == .a { f.insert(.link) }
                } else if equals(nm, "hidden") {
                    f.insert(.hidden)
                } else if equals(nm, "aria-hidden") {
                    if withLowered(v, { $0.elementsEqual("true".utf8) }) { f.insert(.hidden) }
                } else if equals(nm, "style") {
                    let hidden = withLowered(v) { s -> Bool in
                        var compact: [UInt8] = []
                        compact.reserveCapacity(s.count)
                        for b in s where b != 0x20 { compact.append(b) }
                        return compact.withUnsafeBufferPointer {
                            ClassHints.contains($0, Array("display:none".utf8)) || ClassHints.contains($0, Array("visibility:hidden".utf8))
                        }
                    }
                    if hidden { f.insert(.hidden) }
                }
            }
            if used > 0 {
                let b = UnsafeBufferPointer(rebasing: buf[0..<used])
                if ClassHints.contains(b, dateWord) || ClassHints.contains(b, publishWord) || ClassHints.contains(b, timeWord)
                    || ClassHints.contains(b, createdWord) || ClassHints.contains(b, postedWord) {
                    f.insert(.dateClass)
                }
                if ClassHints.contains(b, authorWord) || ClassHints.contains(b, bylineWord) { f.insert(.authorHint) }
                let verdict = ClassHints.judge(b)
                if verdict.contains(.strongContent) { f.insert([.strongContent, .contentClass]) }
                else {
                    if verdict.contains(.boilerplate) { f.insert(.boilerClass) }
                    if verdict.contains(.content) { f.insert(.contentClass) }
                }
            }
            return f
        }
    }

    /// An id made from a heading's words ("what-are-the-types-of-cloud-services", "4-heading-more-0")
    /// names the text, not the element's role: its words are not hints.
    static func isSlug(_ v: UnsafePointer<xmlChar>) -> Bool {
        var dashes = 0, i = 0
        while v[i] != 0 && i < 200 { if v[i] == UInt8(ascii: "-") { dashes += 1 }; i += 1 }
        return dashes >= 3 || (v[0] >= 0x30 && v[0] <= 0x39)
    }

    static let articleBodyWord = Array("articlebody".utf8)
    static let dateWord = Array("date".utf8), publishWord = Array("publish".utf8), timeWord = Array("time".utf8)
    static let createdWord = Array("created".utf8), postedWord = Array("posted".utf8)
    static let authorWord = Array("author".utf8), bylineWord = Array("byline".utf8)

    @inline(__always)
    static func equals(_ p: UnsafePointer<xmlChar>, _ s: StaticString) -> Bool {
        s.withUTF8Buffer { e in
            var i = 0
            while i < e.count { if p[i] != e[i] { return false }; i += 1 }
            return p[i] == 0
        }
    }

    /// Calls `body` with the first 256 bytes of a C string, lower-cased, trimmed of spaces.
    static func withLowered<R>(_ v: UnsafePointer<xmlChar>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buf in
            var n = 0, i = 0
            while v[i] != 0 && n < 256 {
                let b = v[i]
                if !(n == 0 && (b == 0x20 || b == 0x0A || b == 0x09)) { buf[n] = (b >= 65 && b <= 90) ? b + 32 : b; n += 1 }
                i += 1
            }
            while n > 0 && (buf[n - 1] == 0x20 || buf[n - 1] == 0x0A || buf[n - 1] == 0x09) { n -= 1 }
            return body(UnsafeBufferPointer(rebasing: buf[0..<n]))
        }
    }
}
