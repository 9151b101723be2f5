import CLibXML2
import KhabarText

/// A run of text between block boundaries inside the chosen subtrees.
struct Block: Equatable {
    enum Kind: UInt8 { case paragraph, heading, listItem, quote, preformatted, caption, cell }
    var text: String
    var kind: Kind
    /// Non-space characters, those inside links, and code punctuation among them.
    var chars: Int
    var linkChars: Int
    var codeChars: Int = 0
    /// The nearest block element holding the text.
    var element: Int
    /// That element's parent, and the parent's text characters: a block that is most of a small
    /// container (a teaser card) is told from one that is part of an article body.
    var container: Int = -1
    var containerChars: Int = 0

    var linkDensity: Double { chars > 0 ? Double(linkChars) / Double(chars) : 0 }
}

/// Step 4, collect: turns the chosen subtrees into blocks of text at block boundaries, skipping
/// what pruning removed. `<br>` splits a paragraph; headings, list items, quotes and captions are
/// tagged so the cleaning step can judge them. Text is gathered as UTF-8 bytes straight from
/// libxml2 and becomes a String once per block.
struct Collect {
    let tree: PageTree
    private(set) var blocks: [Block] = []
    private var buffer: [UInt8] = []
    private var chars = 0
    private var linkChars = 0
    private var codeChars = 0
    private var current = -1
    private var kind: Block.Kind = .paragraph

    init(tree: PageTree) {
        self.tree = tree
        buffer.reserveCapacity(4096)
    }

    static func run(_ t: PageTree, roots: [Int]) -> [Block] {
        var c = Collect(tree: t)
        for r in roots { c.walk(r) }
        c.flush()
        return c.blocks
    }

    mutating func walk(_ rootIndex: Int) {
        let root = tree.node[rootIndex]
        // Element stack: (index, kind before entering).
        var stack: [(Int, Block.Kind, Int)] = []
        var linkDepth = 0
        var cur: xmlNodePtr? = root
        var preDepth = 0
        while let n = cur {
            var descend = false
            let type = n.pointee.type
            if type == XML_ELEMENT_NODE, let i = PageTree.index(of: n) {
                let f = tree.flags[i]
                let tg = tree.tag[i]
                if !f.contains(.removed) || i == rootIndex {
                    if tg == .br { flush() }
                    else if n.pointee.children != nil && !f.contains(.void) {
                        let before = kind
                        if Self.breaks(tg) { flush(); current = i }
                        switch tg {
                        case .h1, .h2, .h3, .h4, .h5, .h6: kind = .heading
                        case .li, .dd, .dt: if kind == .paragraph { kind = .listItem }
                        case .blockquote: if kind == .paragraph { kind = .quote }
                        case .figcaption, .caption: kind = .caption
                        case .pre: kind = .preformatted; preDepth += 1
                        case .td, .th: if chars > 0 { buffer.append(0x20) }
                        default: break
                        }
                        if f.contains(.link) { linkDepth += 1 }
                        stack.append((i, before, linkDepth))
                        descend = true
                    }
                }
            } else if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let content = n.pointee.content {
                let s = UnsafeRawPointer(content).assumingMemoryBound(to: UInt8.self)
                if preDepth > 0 { appendPre(s, link: linkDepth > 0) } else { append(s, link: linkDepth > 0) }
            }
            if descend { cur = n.pointee.children; continue }
            var m = n
            cur = nil
            while true {
                if m == root || stack.isEmpty { break }
                if let s = m.pointee.next { cur = s; break }
                guard let p = m.pointee.parent else { break }
                let (i, before, _) = stack.removeLast()
                let tg = tree.tag[i]
                if tree.flags[i].contains(.link) { linkDepth -= 1 }
                if tg == .pre { preDepth -= 1 }
                if Self.breaks(tg) { flush() }
                kind = before
                m = p
                if m == root { break }
            }
        }
    }

    /// Block elements end a paragraph; table cells do not (a row is one line, cells spaced).
    @inline(__always) static func breaks(_ t: Tag) -> Bool {
        t != .td && t != .th && PageTree.isBlock(t)
    }

    private mutating func append(_ s: UnsafePointer<UInt8>, link: Bool) {
        var c: Int32 = 0, k: Int32 = 0, x: Int32 = 0
        PageTree.countText(s, chars: &c, commas: &k, code: &x)
        var i = 0
        while s[i] != 0 { i += 1 }
        buffer.append(contentsOf: UnsafeBufferPointer(start: s, count: i))
        chars += Int(c)
        codeChars += Int(x)
        if link { linkChars += Int(c) }
    }

    /// Preformatted text keeps its lines: each line becomes its own paragraph.
    private mutating func appendPre(_ s: UnsafePointer<UInt8>, link: Bool) {
        var i = 0
        while true {
            let b = s[i]
            if b == 0 { break }
            if b == 0x0A { flush() } else {
                if b > 0x20 && (b & 0xC0) != 0x80 { chars += 1; if link { linkChars += 1 } }
                buffer.append(b)
            }
            i += 1
        }
    }

    mutating func flush() {
        defer { buffer.removeAll(keepingCapacity: true); chars = 0; linkChars = 0; codeChars = 0 }
        guard chars > 0 else { return }
        let text = CorpusText.cleanParagraph(String(decoding: buffer, as: UTF8.self))
        guard !text.isEmpty else { return }
        var block = Block(text: text, kind: kind, chars: chars, linkChars: linkChars, codeChars: codeChars, element: current)
        if current >= 0 {
            let p = Int(tree.parent[current])
            if p >= 0 { block.container = p; block.containerChars = Int(tree.chars[p]) }
        }
        blocks.append(block)
    }
}
