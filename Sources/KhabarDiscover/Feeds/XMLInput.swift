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
        bytes.withUnsafeBufferPointer { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count + 64)
            var i = 0
            if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
                out.append(contentsOf: b[0..<3])
                i = 3
            }
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
            var run = i
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "&") {
                    out.append(contentsOf: b[run..<i])
                    let (replacement, consumed) = reference(b, at: i)
                    out.append(contentsOf: replacement)
                    i += consumed
                    run = i
                } else if c == UInt8(ascii: "<"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "!") || b[i + 1] == UInt8(ascii: "?"),
                          let (skipTo, keep) = skipMarkup(b, from: i) {
                    out.append(contentsOf: b[run..<(keep ? skipTo : i)])
                    i = skipTo
                    run = i
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: b[run..<b.count])
            return out
        }
    }

    /// For `<![CDATA[`, `<!--`, `<?` and `<!DOCTYPE … [ … ]>`: the index after the construct's end
    /// (or the end of input) and whether to keep it; nil for any other `<`.
    private static func skipMarkup(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> (Int, keep: Bool)? {
        func starts(_ prefix: StaticString) -> Bool {
            let n = prefix.utf8CodeUnitCount
            guard b.count - i >= n else { return false }
            let p = prefix.utf8Start
            for k in 0..<n where b[i + k] != p[k] { return false }
            return true
        }
        func find(_ terminator: StaticString, after start: Int) -> Int {
            let n = terminator.utf8CodeUnitCount
            let t = terminator.utf8Start
            var j = start
            outer: while j + n <= b.count {
                if b[j] == t[0] {
                    for k in 1..<n where b[j + k] != t[k] { j += 1; continue outer }
                    return j + n
                }
                j += 1
            }
            return b.count
        }
        if starts("<![CDATA[") { return (find("]]>", after: i + 9), true) }
        if starts("<!--") { return (find("-->", after: i + 4), true) }
        if starts("<?") { return (find("?>", after: i + 2), true) }
        if starts("<!DOCTYPE") || starts("<!doctype") {
            // The document type goes, internal subset and all: no feed needs it, and without it
            // no entity can be declared (no XXE, no billion laughs) — references to undeclared
            // entities are dropped below. RSS 0.91's `<!DOCTYPE rss PUBLIC …>` and feeds that
            // declare `&nbsp;` for themselves then parse like any other.
            let close = find(">", after: i)
            var open = false
            for k in i..<close where b[k] == UInt8(ascii: "[") { open = true; break }
            return (open ? find("]>", after: i) : close, false)
        }
        return nil
    }

    /// What to write for the `&` at `i`, and how many bytes were read.
    private static func reference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> ([UInt8], Int) {
        var j = i + 1
        let limit = min(b.count, i + 34)
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
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[nameStart..<j]), as: UTF8.self)
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
