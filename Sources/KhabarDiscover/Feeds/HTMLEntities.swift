/// The HTML named character references feeds actually use, for two repairs:
/// feeds that write `&nbsp;`, `&raquo;` or `&zwnj;` in XML (where only five names exist) and
/// titles escaped twice (`&amp;quot;`). A fixed table of single characters: a reference can never
/// grow into more than one character, so nothing here can expand the way XML entities can.
enum HTMLEntities {
    /// Latin-1: U+00A0 … U+00FF in order.
    private static let latin1 = [
        "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not",
        "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1",
        "ordm", "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml",
        "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH",
        "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc",
        "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
        "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute",
        "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ]

    private static let others: [String: UInt32] = [
        "OElig": 338, "oelig": 339, "Scaron": 352, "scaron": 353, "Yuml": 376, "fnof": 402, "circ": 710,
        "tilde": 732, "ensp": 8194, "emsp": 8195, "thinsp": 8201, "zwnj": 8204, "zwj": 8205, "lrm": 8206,
        "rlm": 8207, "ndash": 8211, "mdash": 8212, "lsquo": 8216, "rsquo": 8217, "sbquo": 8218, "ldquo": 8220,
        "rdquo": 8221, "bdquo": 8222, "dagger": 8224, "Dagger": 8225, "bull": 8226, "hellip": 8230,
        "permil": 8240, "prime": 8242, "Prime": 8243, "lsaquo": 8249, "rsaquo": 8250, "oline": 8254,
        "frasl": 8260, "euro": 8364, "trade": 8482, "larr": 8592, "uarr": 8593, "rarr": 8594, "darr": 8595,
        "harr": 8596, "minus": 8722,
        // The five XML names, for decoding text escaped twice.
        "amp": 38, "lt": 60, "gt": 62, "quot": 34, "apos": 39,
    ]

    static let table: [String: UInt32] = {
        var t = others
        for (i, name) in latin1.enumerated() { t[name] = UInt32(0xA0 + i) }
        return t
    }()

    /// Decodes `&name;`, `&#NNN;` and `&#xHHH;` in `text`; unknown references stay as written.
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";"), let scalar = reference(after[..<semi]) {
                out.unicodeScalars.append(scalar)
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }

    /// The character a reference body (between `&` and `;`) stands for.
    static func reference(_ body: Substring) -> Unicode.Scalar? {
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            return UInt32(body.dropFirst(2), radix: 16).flatMap(safeScalar)
        }
        if body.hasPrefix("#") {
            return UInt32(body.dropFirst()).flatMap(safeScalar)
        }
        return table[String(body)].flatMap(Unicode.Scalar.init)
    }

    /// A scalar from a numeric reference; NUL and surrogates are not characters.
    private static func safeScalar(_ v: UInt32) -> Unicode.Scalar? {
        v == 0 ? nil : Unicode.Scalar(v)
    }
}
