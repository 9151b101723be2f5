import KhabarText

/// Turns the text of a feed title or author into one clean line.
///
/// Feeds put HTML where plain text belongs (`<b>`, `&amp;quot;` from escaping twice, entities
/// in CDATA); the result is what a reader would see: tags removed, references decoded, white
/// space collapsed, NFC — by the corpus's own paragraph rules (`CorpusText.cleanParagraph`), so
/// ZWNJ survives and no-break spaces do not.
enum FeedText {
    static func line(_ raw: String, markup: Bool) -> String? {
        var text = raw
        if markup || looksLikeMarkup(text) { text = stripTags(text) }
        if text.utf8.contains(UInt8(ascii: "&")) { text = HTMLEntities.decode(text) }
        let clean = CorpusText.cleanParagraph(text)
        return clean.isEmpty ? nil : clean
    }

    /// An `<` followed by a letter, `/` or `!`: the start of a tag, not a less-than sign.
    static func looksLikeMarkup(_ s: String) -> Bool {
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "<"), let n = it.next(),
               (n >= 0x41 && n <= 0x5A) || (n >= 0x61 && n <= 0x7A) || n == UInt8(ascii: "/") || n == UInt8(ascii: "!") {
                return true
            }
        }
        return false
    }

    /// Removes `<…>` tags (a tag becomes a space when it separates words, as `<br>` does).
    static func stripTags(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var inTag = false
        var scalars = s.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let u = pending ?? scalars.next() {
            pending = nil
            if inTag {
                if u == ">" { inTag = false; out.append(" ") }
                continue
            }
            if u == "<" {
                if let n = scalars.next() {
                    if (n.isASCII && n.properties.isAlphabetic) || n == "/" || n == "!" {
                        inTag = true
                    } else {
                        out.append(u)
                        pending = n
                    }
                } else {
                    out.append(u)
                }
                continue
            }
            out.append(u)
        }
        return String(out)
    }

    /// An RSS `<author>` is `email (Name)` or `Name <email>` or a name; the name is wanted.
    static func person(_ raw: String) -> String? {
        guard var text = line(raw, markup: false) else { return nil }
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
           text[..<open].contains("@") {
            text = String(text[text.index(after: open)..<close])
        } else if let lt = text.firstIndex(of: "<"), text[lt...].contains("@") {
            text = String(text[..<lt])
        }
        let clean = CorpusText.cleanParagraph(text)
        if clean.isEmpty || (clean.contains("@") && !clean.contains(" ")) { return nil }
        return clean
    }
}
