import KhabarDiscover
import KhabarText

/// Invariants of what the readers hand on, shared by FuzzExtract, FuzzFeed and FuzzSitemap.

/// A title, name or headline: non-empty, one line, and unchanged by the corpus's own paragraph
/// cleaning. With `inputSize`, also no longer than decoding could make it: decoding can triple a
/// byte (windows-1256 0x9D is U+200C, three bytes in UTF-8); an expanded entity would multiply it.
public func checkLine(_ s: String, _ what: String, _ inputSize: Int? = nil) {
    check(!s.isEmpty && isOneLine(s), "\(what) \(s.debugDescription)")
    check(CorpusText.cleanParagraph(s).unicodeScalars.elementsEqual(s.unicodeScalars), "\(what) not clean: \(s.debugDescription)")
    if let inputSize {
        check(s.utf8.count <= 3 * inputSize, "\(what) of \(s.utf8.count) bytes from \(inputSize) bytes of input")
    }
}

/// A URL discovery hands on: parsing its text gives it back, and canonicalising changes nothing.
public func checkCanonical(_ u: HTTPURL) {
    check(HTTPURL(u.string) == u, "not a fixed point of parsing: \(u)")
    check(URLCanonicalizer.canonical(u) == u, "not canonical: \(u)")
}

/// A date reads back from its own RFC 3339 text.
public func checkDate(_ d: PublicationDate) {
    check(PublicationDate.parse(d.rfc3339) == d, "date \(d.rfc3339) does not read back")
}
