/// Percent-encoding in the one normal form Khabar stores, so that the many spellings of one URL
/// (`%d8%b1`, `%D8%B1`, raw `ر`; `%7E` and `~`) compare equal:
///
/// - `%XX` of an unreserved character (letters, digits, `-._~`) is decoded;
/// - every other `%XX` keeps its byte with upper-case hex digits;
/// - a `%` not followed by two hex digits becomes `%25`;
/// - bytes a component may not hold raw (space, quotes, `<>`, `{}`, `|`, `^`, `` ` ``, `[]`,
///   controls, and every non-ASCII byte — Arabic and Persian slugs are UTF-8, encoded per byte)
///   are encoded.
///
/// Reserved characters (`/?&=+;` …) are never decoded or encoded: that would change meaning.
enum PercentEncoding {
    enum Component { case path, query }

    static func normalize(_ bytes: ArraySlice<UInt8>, for component: Component) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                if bytes.endIndex - i >= 3, let h = Hex.value(bytes[i + 1]), let l = Hex.value(bytes[i + 2]) {
                    let v = h << 4 | l
                    if isUnreserved(v) {
                        out.append(v)
                    } else {
                        appendEncoded(v, to: &out)
                    }
                    i += 3
                    continue
                }
                appendEncoded(b, to: &out)
            } else if isAllowedRaw(b, component) {
                out.append(b)
            } else {
                appendEncoded(b, to: &out)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes every `%XX`; nil when a `%` is not followed by two hex digits.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        guard bytes.contains(UInt8(ascii: "%")) else { return Array(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "%") {
                guard bytes.endIndex - i >= 3, let h = Hex.value(bytes[i + 1]), let l = Hex.value(bytes[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// Decodes `%XX` sequences leniently (a stray `%` stays), for comparing names such as query
    /// parameter keys; invalid UTF-8 becomes U+FFFD.
    static func decodeLeniently(_ s: Substring) -> String {
        let bytes = Array(s.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return String(s) }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = Hex.value(bytes[i + 1]), let l = Hex.value(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func appendEncoded(_ b: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "%"))
        out.append(Hex.upperDigits[Int(b >> 4)])
        out.append(Hex.upperDigits[Int(b & 15)])
    }

    @inline(__always)
    static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    /// Unreserved, sub-delims (`!$&'()*+,;=`), `:` and `@`, and `/`; the query also keeps `?`.
    @inline(__always)
    static func isAllowedRaw(_ b: UInt8, _ component: Component) -> Bool {
        if isUnreserved(b) { return true }
        switch b {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
            return true
        case UInt8(ascii: "?"):
            return component == .query
        default:
            return false
        }
    }
}
