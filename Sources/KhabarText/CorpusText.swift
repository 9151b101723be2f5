import Foundation

/// The text rules of a corpus file (docs/DESIGN.md, "Text file format"), in one place, so the
/// extractor that produces paragraphs and the corpus that stores and verifies them agree exactly.
///
/// A corpus text is UTF-8, NFC, no BOM; one paragraph per line (line 1 the headline when there is
/// one); no empty lines; no leading or trailing spaces; a final newline. No control characters but
/// the newline; no zero-width space, BOM or soft hyphen; no-break spaces become spaces. U+200C (ZWNJ)
/// and U+200D (ZWJ) are kept: Persian, Kurdish and Urdu words need them.
public enum CorpusText {
    /// Characters removed outright: they carry no text, only trouble (U+200B zero-width space,
    /// U+FEFF BOM / zero-width no-break space, U+00AD soft hyphen, U+2060 word joiner).
    @inlinable
    public static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B, 0xFEFF, 0x00AD, 0x2060: return true
        default: return false
        }
    }

    /// True for scalars that count as white space within a paragraph: Unicode White_Space
    /// (which includes U+00A0 and the line separators) — never ZWNJ/ZWJ.
    @inlinable
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// True for control characters (general category Cc), which never appear in a paragraph.
    @inlinable
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v >= 0x7F && v <= 0x9F)
    }

    /// One paragraph made to the rules: removed characters dropped, control characters and
    /// every run of white space (NBSP included) turned into one space, trimmed, NFC.
    /// Returns "" for a paragraph with nothing left.
    public static func cleanParagraph(_ text: some StringProtocol) -> String {
        var out = UTF8Builder(capacity: text.utf8.count)
        var pendingSpace = false
        var needsNormalization = false
        for scalar in text.unicodeScalars {
            if isRemoved(scalar) { continue }
            if isSpace(scalar) || isControl(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            if !needsNormalization && !NFC.isQuickYes(scalar) { needsNormalization = true }
            out.append(scalar)
        }
        let result = out.string
        return needsNormalization ? NFC.normalize(result) : result
    }

    /// Renders a text file: the headline (when there is one) and the paragraphs, each cleaned,
    /// empty ones dropped, one per line, with a final newline. Returns "" when nothing is left.
    public static func render(headline: String?, paragraphs: [String]) -> String {
        var lines: [String] = []
        lines.reserveCapacity(paragraphs.count + 1)
        if let headline {
            let h = cleanParagraph(headline)
            if !h.isEmpty { lines.append(h) }
        }
        for p in paragraphs {
            let c = cleanParagraph(p)
            if !c.isEmpty { lines.append(c) }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// A rule a stored text breaks, for `khabar verify` and for tests.
    public enum Violation: Equatable, Sendable, CustomStringConvertible {
        case empty
        case byteOrderMark
        case notNFC
        case noFinalNewline
        case emptyLine(line: Int)
        case surroundingSpace(line: Int)
        case repeatedSpace(line: Int)
        case forbiddenCharacter(line: Int, scalar: UInt32)

        public var description: String {
            switch self {
            case .empty: return "the text is empty"
            case .byteOrderMark: return "the text starts with a byte-order mark"
            case .notNFC: return "the text is not in Unicode NFC"
            case .noFinalNewline: return "the text does not end with a newline"
            case .emptyLine(let line): return "line \(line) is empty"
            case .surroundingSpace(let line): return "line \(line) has leading or trailing space"
            case .repeatedSpace(let line): return "line \(line) has white space other than single spaces"
            case .forbiddenCharacter(let line, let scalar):
                return "line \(line) contains U+\(String(scalar, radix: 16, uppercase: true).leftPadded(to: 4))"
            }
        }
    }

    /// Every rule `text` breaks; empty when the text is a well-formed corpus text.
    public static func violations(of text: String) -> [Violation] {
        if text.isEmpty { return [.empty] }
        var found: [Violation] = []
        if text.unicodeScalars.first == "\u{FEFF}" { found.append(.byteOrderMark) }
        if !text.hasSuffix("\n") { found.append(.noFinalNewline) }
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        for (index, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            if line.isEmpty { found.append(.emptyLine(line: number)); continue }
            let scalars = line.unicodeScalars
            if scalars.first == " " || scalars.last == " " { found.append(.surroundingSpace(line: number)) }
            var previousSpace = false
            var flaggedSpace = false
            for scalar in scalars {
                if isRemoved(scalar) || isControl(scalar) {
                    if scalar != "\u{FEFF}" || number != 1 || found.first != .byteOrderMark {
                        found.append(.forbiddenCharacter(line: number, scalar: scalar.value))
                    }
                    continue
                }
                let space = isSpace(scalar)
                if space && (scalar != " " || previousSpace) && !flaggedSpace {
                    found.append(.repeatedSpace(line: number))
                    flaggedSpace = true
                }
                previousSpace = space
            }
        }
        // Swift's `==` compares canonical equivalence, which NFC never changes: compare scalars.
        if !NFC.normalize(text).unicodeScalars.elementsEqual(text.unicodeScalars) { found.append(.notNFC) }
        return found
    }
}

extension String {
    @usableFromInline
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
