import KhabarHTML

/// Repairs the common faults of real feeds and sitemaps before libxml2 reads them, then parses
/// with the safe flags of `Document.xml` (no network, no external entities; documents that
/// declare entities are refused).
///
/// The repairs never expand anything beyond a constant factor:
/// - white space before the XML declaration is dropped (libxml2 refuses the declaration then);
/// - a `<!DOCTYPE …>` is dropped with its internal subset, so no entity is ever declared;
/// - named references become numeric references to the same character — XML's five, and the
///   HTML names XML does not know (`&nbsp;`, `&raquo;`, `&zwnj;` …), so titles keep them;
///   a name nobody defines is dropped;
/// - a bare `&` (as in `?a=1&b=2` or `AT&T`) becomes `&#38;`, so the text around it survives.
/// CDATA sections, comments and processing instructions are copied untouched.
enum XMLInput {
    static func document(_ bytes: [UInt8], url: HTTPURL) throws(DiscoveryError) -> Document {
        let repaired = repair(bytes)
        do {
            return try Document.xml(repaired, url: url.string)
        } catch {
            throw .unreadable(url: url.string, error)
        }
    }

    static func repair(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var hasBOM = false
        if bytes.count >= 3, Array(bytes[0..<3]) == bom { start = 3; hasBOM = true }
        var s = start
        while s < bytes.count, bytes[s] == 0x20 || bytes[s] == 0x09 || bytes[s] == 0x0A || bytes[s] == 0x0D { s += 1 }
        let body = bytes[s...]
        var out: [UInt8] = hasBOM ? bom : []
        out.reserveCapacity(body.count + 64)
        var i = body.startIndex
        let end = body.endIndex
        while i < end {
            let b = body[i]
            if b == UInt8(ascii: "<") {
                if let (skipTo, keep) = skipMarkup(body, from: i) {
                    if keep { out.append(contentsOf: body[i..<skipTo]) }
                    i = skipTo
                    continue
                }
                out.append(b)
                i += 1
            } else if b == UInt8(ascii: "&") {
                let (replacement, consumed) = reference(body, at: i)
                out.append(contentsOf: replacement)
                i += consumed
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    /// For `<![CDATA[`, `<!--`, `<?` and `<!DOCTYPE … [ … ]>`: the index after the construct's end
    /// (or the end of input) and whether to keep it; nil for any other `<`.
    private static func skipMarkup(_ b: ArraySlice<UInt8>, from i: Int) -> (Int, keep: Bool)? {
        func starts(_ prefix: String) -> Bool {
            let p = Array(prefix.utf8)
            return b.endIndex - i >= p.count && b[i..<(i + p.count)].elementsEqual(p)
        }
        func find(_ terminator: String, after start: Int) -> Int {
            let t = Array(terminator.utf8)
            var j = start
            while j + t.count <= b.endIndex {
                if b[j] == t[0] && b[j..<(j + t.count)].elementsEqual(t) { return j + t.count }
                j += 1
            }
            return b.endIndex
        }
        if starts("<![CDATA[") { return (find("]]>", after: i + 9), true) }
        if starts("<!--") { return (find("-->", after: i + 4), true) }
        if starts("<?") { return (find("?>", after: i + 2), true) }
        if starts("<!DOCTYPE") || starts("<!doctype") {
            // The document type goes, internal subset and all: no feed needs it, and without it
            // no entity can be declared (no XXE, no billion laughs) — references to undeclared
            // entities stay unexpanded. RSS 0.91's `<!DOCTYPE rss PUBLIC …>` and feeds that
            // declare `&nbsp;` for themselves then parse like any other.
            let close = find(">", after: i)
            let open = b[i..<close].firstIndex(of: UInt8(ascii: "["))
            return (open == nil ? close : find("]>", after: i), false)
        }
        return nil
    }

    /// What to write for the `&` at `i`, and how many bytes were read.
    private static func reference(_ b: ArraySlice<UInt8>, at i: Int) -> ([UInt8], Int) {
        var j = i + 1
        let limit = min(b.endIndex, i + 34)
        if j < limit, b[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < limit, b[j] == UInt8(ascii: "x") || b[j] == UInt8(ascii: "X") { hex = true; j += 1 }
            let digitsStart = j
            while j < limit, hex ? Hex.value(b[j]) != nil : (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
            if j > digitsStart, j < limit, b[j] == UInt8(ascii: ";") {
                return (Array(b[i...j]), j - i + 1)
            }
            return (ampersand, 1)
        }
        let nameStart = j
        while j < limit, isNameByte(b[j]) { j += 1 }
        guard j > nameStart, j < limit, b[j] == UInt8(ascii: ";") else { return (ampersand, 1) }
        let name = String(decoding: b[nameStart..<j], as: UTF8.self)
        if let v = HTMLEntities.table[name] { return (Array("&#\(v);".utf8), j - i + 1) }
        // An entity nobody declared (the document type is gone): it stands for nothing.
        return ([], j - i + 1)
    }

    /// `&` as a character reference. Even `&amp;` is rewritten so: once libxml2 has met an
    /// error in recovery mode it silently drops every later *entity* reference (`&amp;` included,
    /// so `?a=1&amp;b=2` would become `?a=1b=2`), but never a character reference.
    private static let ampersand: [UInt8] = Array("&#38;".utf8)

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }
}
