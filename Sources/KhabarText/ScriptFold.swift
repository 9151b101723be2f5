/// A folded form of Arabic-script and Latin text for matching, not for storage: two spellings a
/// reader takes for the same word fold to the same string.
///
/// - Arabic yeh/alef maksura (ي ى) and Persian yeh (ی) become ی; Arabic kaf (ك) becomes Persian ک.
/// - Alef with hamza or madda (أ إ آ ٱ) becomes bare alef (ا): a spelling variant, not a new word.
/// - Tatweel (ـ) and the harakat/Quranic marks are dropped; ZWNJ/ZWJ are dropped too, since
///   writers use them inconsistently (`می‌گویم` / `میگویم` match).
/// - Arabic-Indic (٠–٩) and Persian (۰–۹) digits become ASCII digits.
/// - Latin letters are lower-cased; every run of white space becomes one space.
///
/// Used by near-duplicate detection (SimHash shingles), revision detection and topic filters.
public enum ScriptFold {
    public static func fold(_ text: some StringProtocol) -> String {
        var out = UTF8Builder(capacity: text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if CorpusText.isSpace(scalar) || CorpusText.isControl(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if isDropped(v) { continue }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(mapped(scalar))
        }
        return out.string
    }

    /// Tatweel, harakat, Quranic annotation marks, superscript alef, ZWNJ/ZWJ, and the invisible
    /// characters corpus texts never hold anyway.
    @inlinable
    static func isDropped(_ v: UInt32) -> Bool {
        switch v {
        case 0x0640: return true                      // tatweel
        case 0x064B...0x065F: return true             // harakat and other marks
        case 0x0670: return true                      // superscript alef
        case 0x06D6...0x06ED: return true             // Quranic annotation signs
        case 0x0610...0x061A: return true             // honorific and small marks
        case 0x200B...0x200F, 0xFEFF, 0x00AD, 0x2060: return true
        default: return false
        }
    }

    @inlinable
    static func mapped(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let v = scalar.value
        switch v {
        case 0x0041...0x005A: return Unicode.Scalar(v + 0x20)!
        case 0x064A, 0x0649: return "\u{06CC}"        // ي ى → ی
        case 0x0643: return "\u{06A9}"                // ك → ک
        case 0x0622, 0x0623, 0x0625, 0x0671: return "\u{0627}"  // آ أ إ ٱ → ا
        case 0x0660...0x0669: return Unicode.Scalar(v - 0x0660 + 0x30)!
        case 0x06F0...0x06F9: return Unicode.Scalar(v - 0x06F0 + 0x30)!
        case 0x00C0...0x00DE where v != 0x00D7: return Unicode.Scalar(v + 0x20)!
        default:
            if v > 0x7F && v < 0x0600, scalar.properties.isUppercase,
               let lower = scalar.properties.lowercaseMapping.unicodeScalars.first,
               scalar.properties.lowercaseMapping.unicodeScalars.count == 1 {
                return lower
            }
            return scalar
        }
    }
}
