import Testing
@testable import KhabarHTML

/// windows-1256 bytes for the Arabic letters these tests use (the rest is ASCII).
func cp1256(_ text: String) -> [UInt8] {
    let table: [Character: UInt8] = [
        "ء": 0xC1, "آ": 0xC2, "أ": 0xC3, "ؤ": 0xC4, "إ": 0xC5, "ئ": 0xC6, "ا": 0xC7, "ب": 0xC8, "ة": 0xC9,
        "ت": 0xCA, "ث": 0xCB, "ج": 0xCC, "ح": 0xCD, "خ": 0xCE, "د": 0xCF, "ذ": 0xD0, "ر": 0xD1, "ز": 0xD2,
        "س": 0xD3, "ش": 0xD4, "ص": 0xD5, "ض": 0xD6, "ط": 0xD8, "ظ": 0xD9, "ع": 0xDA, "غ": 0xDB, "ف": 0xDD,
        "ق": 0xDE, "ك": 0xDF, "ل": 0xE1, "م": 0xE3, "ن": 0xE4, "ه": 0xE5, "و": 0xE6, "ى": 0xEC, "ي": 0xED,
        "،": 0xA1, "؟": 0xBF, "پ": 0x81, "گ": 0x90, "ی": 0xEC, "ک": 0x98,
    ]
    var out: [UInt8] = []
    for ch in text {
        if let b = table[ch] { out.append(b) } else {
            precondition(ch.isASCII, "no windows-1256 byte for \(ch) in the test table")
            out.append(ch.asciiValue!)
        }
    }
    return out
}

@Suite struct CharsetTests {
    func detect(_ bytes: [UInt8], _ contentType: String? = nil) -> Charset.Detection {
        bytes.withUnsafeBytes { Charset.detect($0, contentType: contentType) }
    }

    @Test func byteOrderMarkWins() {
        #expect(detect([0xEF, 0xBB, 0xBF] + Array("<p>x".utf8), "text/html; charset=windows-1256")
            == .init(label: "utf-8", source: .byteOrderMark))
    }

    @Test func httpHeaderBeatsMeta() {
        let page = Array("<meta charset=utf-8><p>x".utf8)
        #expect(detect(page, "text/html; charset=\"Windows-1256\"") == .init(label: "windows-1256", source: .httpHeader))
    }

    @Test func unknownHeaderLabelFallsThrough() {
        let page = Array("<meta charset=windows-1256><p>x".utf8)
        #expect(detect(page, "text/html; charset=klingon") == .init(label: "windows-1256", source: .metaTag))
    }

    @Test func metaCharsetAndHTTPEquiv() {
        #expect(detect(Array("<html><head><META CHARSET='cp1256'>".utf8)).label == "windows-1256")
        #expect(detect(Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-6\">".utf8))
            == .init(label: "iso-8859-6", source: .metaTag))
        #expect(detect(Array("<!-- <meta charset=koi8-r> --><meta charset=utf-8>".utf8)).label == "utf-8")
    }

    @Test func latin1AndASCIILabelsMeanWindows1252() {
        #expect(detect(Array("<meta charset=iso-8859-1>".utf8)).label == "windows-1252")
        #expect(detect(Array("x".utf8), "text/html; charset=us-ascii").label == "windows-1252")
    }

    @Test func metaAfterTheFirst1024BytesIsNotSeen() {
        let page = Array(("<!doctype html>" + String(repeating: " ", count: 1100) + "<meta charset=windows-1256>").utf8)
        #expect(detect(page) == .init(label: "utf-8", source: .utf8Validity))
    }

    @Test func validUTF8WithoutDeclaration() {
        #expect(detect(Array("<title>روسيا</title>".utf8)) == .init(label: "utf-8", source: .utf8Validity))
    }

    @Test func undeclaredArabicBytesAreGuessedAsWindows1256() {
        let page = Array("<title>".utf8) + cp1256("روسيا وإيران تعاون أمني بين موسكو") + Array("</title>".utf8)
        #expect(detect(page) == .init(label: "windows-1256", source: .guess))
    }

    @Test func undeclaredLatinBytesAreGuessedAsWindows1252() {
        let page: [UInt8] = Array("<p>caf".utf8) + [0xE9] + Array(" na".utf8) + [0xEF] + Array("ve r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9]
        #expect(detect(page) == .init(label: "windows-1252", source: .guess))
    }

    @Test func utf8Validation() {
        #expect(Charset.isValidUTF8(UnsafeRawBufferPointer(start: nil, count: 0)))
        for (bytes, valid) in [([0xC3, 0xA9], true), ([0xC0, 0xAF], false), ([0xED, 0xA0, 0x80], false),
                               ([0xF4, 0x90, 0x80, 0x80], false), ([0xFF], false), ([0x61, 0xD8], true)] as [([UInt8], Bool)] {
            #expect(bytes.withUnsafeBytes { Charset.isValidUTF8($0) } == valid, "\(bytes)")
        }
    }

    // MARK: Declarations the bytes contradict (servers lie)

    static let arabic = "روسيا وإيران تعاون أمني بين موسكو وطهران، وزيارة مرتقبة للرئيس"

    @Test func windows1256BytesSaidToBeUTF8AreWindows1256() {
        let page = Array("<html><head><meta charset=\"windows-1256\"><title>".utf8) + cp1256(Self.arabic) + Array("</title>".utf8)
        #expect(detect(page, "text/html; charset=utf-8") == .init(label: "windows-1256", source: .metaTag))
        // No meta either: the byte statistics decide.
        let bare = Array("<p>".utf8) + cp1256(Self.arabic)
        #expect(detect(bare, "text/html; charset=UTF-8") == .init(label: "windows-1256", source: .guess))
    }

    @Test func utf8BytesSaidToBeWindows1256AreUTF8() {
        let page = Array("<html><head><meta charset=\"windows-1256\"><title>\(Self.arabic)</title>".utf8)
        #expect(detect(page, "text/html; charset=windows-1256") == .init(label: "utf-8", source: .utf8Validity))
        #expect(detect(page) == .init(label: "utf-8", source: .utf8Validity))
    }

    @Test func aStrayLegacyByteLeavesAUTF8PageUTF8() {
        let page = Array("<p>\(Self.arabic) \(Self.arabic)".utf8) + [0xE9] + Array(" \(Self.arabic)".utf8)
        #expect(detect(page, "text/html; charset=utf-8") == .init(label: "utf-8", source: .httpHeader))
    }

    @Test func aFewUTF8LookingPairsInALatinPageDoNotOverrideItsLabel() {
        // "Â©" and "Ã©" are valid UTF-8 as bytes; two of them prove nothing.
        let page: [UInt8] = Array("<p>caf".utf8) + [0xC3, 0xA9] + Array(" (c) ".utf8) + [0xC2, 0xA9] + Array(" 2024".utf8)
        #expect(detect(page, "text/html; charset=iso-8859-1") == .init(label: "windows-1252", source: .httpHeader))
    }

    @Test func utf8Evidence() {
        let mixed = Array("ab".utf8) + [0xD8, 0xB1] + [0xFF] + [0xE2, 0x80, 0x8C] + [0xC0, 0xAF] + [0xD8]
        let evidence = mixed.withUnsafeBytes { Charset.UTF8Evidence($0) }
        // ر, ZWNJ and the cut-off lead byte at the end are sequences; 0xFF, 0xC0 and 0xAF are not.
        #expect(evidence.multibyteSequences == 3)
        #expect(evidence.invalidSequences == 3)
    }
}
