import Foundation
import CLibXML2

/// Finds the character encoding of an HTML page before libxml2 sees it.
///
/// libxml2 alone gets this wrong whenever non-ASCII bytes come before the `<meta>` or nothing is
/// declared (the whole document turns to mojibake), so Khabar decides, the way browsers do
/// (WHATWG "encoding sniffing"), and passes the answer to the parser explicitly:
/// 1. a byte-order mark; 2. the HTTP `Content-Type` charset; 3. a prescan of the first 1024 bytes
/// for `<meta charset>` / `<meta http-equiv="content-type">` — each of 2 and 3 only when the bytes
/// do not contradict it (`detect`); 4. valid UTF-8; 5. a guess between windows-1256
/// (Arabic/Persian) and windows-1252 from byte statistics.
/// `iso-8859-1` and `us-ascii` labels decode as windows-1252, as browsers do.
public enum Charset {
    /// Where the answer came from.
    public enum Source: String, Sendable, Equatable {
        case byteOrderMark = "bom", httpHeader = "http", metaTag = "meta", utf8Validity = "utf8", guess
    }

    public struct Detection: Sendable, Equatable {
        /// A canonical label libxml2 accepts: `utf-8`, `windows-1256`, `windows-1252`, `utf-16le` …
        public var label: String
        public var source: Source
    }

    /// Detects the encoding of `bytes`, given the HTTP `Content-Type` header when there was one.
    ///
    /// A declaration (header or meta) is believed unless the bytes plainly contradict it — servers
    /// do lie, most often by a default `charset=utf-8` on an old windows-1256 page, or a legacy
    /// label left on a page since re-encoded as UTF-8, and a browser's mojibake is no text for a
    /// corpus. Two contradictions are certain enough to act on (`UTF8Evidence`): a page said to be
    /// UTF-8 whose non-ASCII bytes are mostly not UTF-8, and a page said to be in a legacy
    /// encoding whose non-ASCII bytes are all well-formed UTF-8 sequences (a legacy text is not,
    /// by accident, beyond a sequence or two: its letters are high bytes in a row, where UTF-8
    /// wants a lead byte followed by continuation bytes).
    public static func detect(_ bytes: UnsafeRawBufferPointer, contentType: String? = nil) -> Detection {
        if let bom = byteOrderMark(bytes) { return Detection(label: bom, source: .byteOrderMark) }
        let header = contentType.flatMap(charsetParameter).flatMap(canonicalLabel)
        let meta = prescan(bytes)
        let evidence = UTF8Evidence(bytes)
        for (label, source) in [(header, Source.httpHeader), (meta, .metaTag)] {
            guard let label else { continue }
            if label == "utf-8" ? !evidence.contradictsUTF8 : !evidence.provesUTF8 {
                return Detection(label: label, source: source)
            }
            if label != "utf-8" { return Detection(label: "utf-8", source: .utf8Validity) }
        }
        if evidence.invalidSequences == 0 { return Detection(label: "utf-8", source: .utf8Validity) }
        return Detection(label: guessSingleByte(bytes), source: .guess)
    }

    /// How well the non-ASCII bytes of a page read as UTF-8.
    struct UTF8Evidence: Equatable {
        /// Well-formed sequences of two to four bytes.
        var multibyteSequences = 0
        /// Bytes at which no well-formed sequence starts (each counted once, then skipped).
        var invalidSequences = 0

        /// Mostly not UTF-8: more than one bad sequence in twenty. A real UTF-8 page with a stray
        /// legacy byte or two (a pasted quote, a cut-off counter) stays UTF-8.
        var contradictsUTF8: Bool { invalidSequences > 0 && invalidSequences * 20 > multibyteSequences }
        /// Certainly UTF-8: nothing invalid and enough sequences that chance is ruled out (`Â©`,
        /// `Ã©` are valid UTF-8 and plausible windows-1252; eight in a row are not).
        var provesUTF8: Bool { invalidSequences == 0 && multibyteSequences >= 8 }

        init(_ b: UnsafeRawBufferPointer) {
            var i = 0
            let n = b.count
            while i < n {
                if b[i] < 0x80 { i += 1; continue }
                let length = Charset.sequenceLength(b, at: i)
                if length > 0 {
                    multibyteSequences += 1
                    i += length
                } else {
                    invalidSequences += 1
                    i += 1
                }
            }
        }
    }

    /// The length of the well-formed UTF-8 sequence of two to four bytes at `i`, or 0 when none
    /// starts there (no overlongs, no surrogates, nothing above U+10FFFF). A sequence cut off by the
    /// end of the buffer counts as well-formed: pages are sometimes truncated.
    static func sequenceLength(_ b: UnsafeRawBufferPointer, at i: Int) -> Int {
        let c = b[i]
        var need = 0
        var min: UInt32 = 0
        var cp: UInt32 = 0
        if c & 0xE0 == 0xC0 { need = 1; min = 0x80; cp = UInt32(c & 0x1F) }
        else if c & 0xF0 == 0xE0 { need = 2; min = 0x800; cp = UInt32(c & 0x0F) }
        else if c & 0xF8 == 0xF0 { need = 3; min = 0x10000; cp = UInt32(c & 0x07) }
        else { return 0 }
        let n = b.count
        for k in 1...need {
            guard i + k < n else { return n - i }
            let d = b[i + k]
            if d & 0xC0 != 0x80 { return 0 }
            cp = (cp << 6) | UInt32(d & 0x3F)
        }
        if cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { return 0 }
        return need + 1
    }

    /// The encoding a byte-order mark announces.
    static func byteOrderMark(_ b: UnsafeRawBufferPointer) -> String? {
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { return "utf-8" }
        if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return "utf-16le" }
        if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return "utf-16be" }
        return nil
    }

    /// The `charset=` parameter of a `Content-Type` value.
    public static func charsetParameter(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            if kv[0].trimmingCharacters(in: " \t").lowercased() == "charset" {
                let v = kv[1].trimmingCharacters(in: " \t\"'")
                return v.isEmpty ? nil : v
            }
        }
        return nil
    }

    /// Maps a declared label to the one Khabar decodes with, or nil when the label is unknown.
    public static func canonicalLabel(_ raw: String) -> String? {
        let label = raw.trimmingCharacters(in: " \t\r\n\"'").lowercased()
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        // WHATWG: a <meta> or header that says UTF-16 on an ASCII-compatible page means UTF-8.
        case "utf-16", "utf-16le", "utf-16be": return "utf-8"
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "ansi_x3.4-1968", "cp1252",
             "windows-1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100", "csisolatin1":
            return "windows-1252"
        case "windows-1256", "cp1256", "x-cp1256": return "windows-1256"
        case "iso-8859-6", "iso8859-6", "arabic", "iso-ir-127", "asmo-708", "ecma-114", "csisolatinarabic":
            return "iso-8859-6"
        case "windows-1251", "cp1251": return "windows-1251"
        case "gbk", "gb2312", "x-gbk": return "gbk"
        case "": return nil
        default:
            // Accept what libxml2 (or iconv behind it) can decode; refuse anything else.
            guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }),
                  let handler = xmlFindCharEncodingHandler(label) else { return nil }
            xmlCharEncCloseFunc(handler)
            return label
        }
    }

    /// The WHATWG meta prescan, simplified: the first `<meta charset=…>` or
    /// `<meta http-equiv="content-type" content="…charset=…">` in the first 1024 bytes.
    static func prescan(_ b: UnsafeRawBufferPointer) -> String? {
        let n = min(b.count, 1024)
        var i = 0
        while i < n {
            // Skip comments.
            if b[i] == UInt8(ascii: "<"), i + 3 < n, b[i + 1] == UInt8(ascii: "!"), b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                var j = i + 4
                while j + 2 < n && !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            if b[i] == UInt8(ascii: "<"), i + 5 < n, lower(b[i + 1]) == UInt8(ascii: "m"), lower(b[i + 2]) == UInt8(ascii: "e"),
               lower(b[i + 3]) == UInt8(ascii: "t"), lower(b[i + 4]) == UInt8(ascii: "a"), isSpaceOrSlash(b[i + 5]) {
                var j = i + 5
                var attributes: [String: String] = [:]
                while j < n, b[j] != UInt8(ascii: ">") {
                    guard let (name, value, end) = attribute(b, from: j, limit: n) else { break }
                    if attributes[name] == nil { attributes[name] = value }
                    j = end
                }
                if let cs = attributes["charset"], let label = canonicalLabel(cs) { return label }
                if attributes["http-equiv"]?.lowercased() == "content-type", let content = attributes["content"],
                   let cs = charsetInContent(content),
                   let label = canonicalLabel(cs) {
                    return label
                }
                i = j
                continue
            }
            i += 1
        }
        return nil
    }

    /// `charset=` anywhere in a meta `content` value (`text/html; charset=windows-1256`).
    static func charsetInContent(_ content: String) -> String? {
        guard let r = content.lowercased().range(of: "charset") else { return nil }
        var rest = content[r.upperBound...].drop { $0 == " " }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\"" || $0 == "'" }
        let value = rest.prefix { !(" ;\"'".contains($0)) }
        return value.isEmpty ? nil : String(value)
    }

    /// Reads one attribute starting at or after `start`; returns (lower-cased name, value, end).
    private static func attribute(_ b: UnsafeRawBufferPointer, from start: Int, limit n: Int) -> (String, String, Int)? {
        var i = start
        while i < n, isSpaceOrSlash(b[i]) { i += 1 }
        guard i < n, b[i] != UInt8(ascii: ">") else { return nil }
        var name: [UInt8] = []
        while i < n, b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">"), !isSpaceOrSlash(b[i]) {
            name.append(lower(b[i])); i += 1
        }
        while i < n, isSpace(b[i]) { i += 1 }
        guard i < n, b[i] == UInt8(ascii: "=") else {
            return (String(decoding: name, as: UTF8.self), "", i)
        }
        i += 1
        while i < n, isSpace(b[i]) { i += 1 }
        var value: [UInt8] = []
        if i < n, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
            let quote = b[i]
            i += 1
            while i < n, b[i] != quote { value.append(b[i]); i += 1 }
            i += 1
        } else {
            while i < n, !isSpace(b[i]), b[i] != UInt8(ascii: ">") { value.append(b[i]); i += 1 }
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self), i)
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c + 32 : c }
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D }
    @inline(__always) static func isSpaceOrSlash(_ c: UInt8) -> Bool { isSpace(c) || c == UInt8(ascii: "/") }

    /// Strict UTF-8 validation (see `sequenceLength`).
    public static func isValidUTF8(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            if b[i] < 0x80 { i += 1; continue }
            let length = sequenceLength(b, at: i)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// windows-1256 or windows-1252, from how high bytes sit. Arabic-script text in windows-1256
    /// is made of words of consecutive high bytes (letters live at 0xC1–0xFE); Latin text in
    /// windows-1252 has accented letters one at a time between ASCII letters.
    static func guessSingleByte(_ b: UnsafeRawBufferPointer) -> String {
        var runsOfThree = 0
        var isolated = 0
        var run = 0
        for c in b {
            if c >= 0xC0 {
                run += 1
            } else {
                if run >= 3 { runsOfThree += 1 } else if run > 0 { isolated += 1 }
                run = 0
            }
        }
        if run >= 3 { runsOfThree += 1 } else if run > 0 { isolated += 1 }
        return runsOfThree > isolated ? "windows-1256" : "windows-1252"
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { Substring(self).trimmingCharacters(in: set) }
}

/// Parses HTML bytes with the charset detected first.
public enum HTMLParser {
    /// Detects the charset of `bytes` (see `Charset`) and parses them into a document.
    public static func parse(_ bytes: UnsafeRawBufferPointer, contentType: String? = nil, url: String? = nil) throws(DocumentError) -> Document {
        let detection = Charset.detect(bytes, contentType: contentType)
        return try Document.html(bytes: bytes, encoding: detection.label, url: url)
    }

    public static func parse(_ bytes: [UInt8], contentType: String? = nil, url: String? = nil) throws(DocumentError) -> Document {
        do {
            return try bytes.withUnsafeBytes { raw in try HTMLParser.parse(raw, contentType: contentType, url: url) }
        } catch let error as DocumentError {
            throw error
        } catch {
            throw .unparsable("HTML")
        }
    }
}
