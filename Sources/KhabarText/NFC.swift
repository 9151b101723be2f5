import Foundation

/// Unicode NFC with a quick check, so that the common case (text already composed) costs one
/// pass over the scalars and no Foundation call.
public enum NFC {
    /// True when `scalar` can never change under NFC, whatever surrounds it (a conservative form of
    /// the Unicode NFC_Quick_Check=Yes property: ASCII, Latin-1 and the Arabic letters are; combining
    /// marks that might compose, Hangul jamo and the compatibility blocks are not).
    @inlinable
    public static func isQuickYes(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x0300 { return true }
        // Arabic block: letters are stable. The combining marks (harakat, shadda, Quranic signs,
        // U+0653–U+0655 which compose with alef/waw/yeh) are not: NFC also puts marks in
        // combining-class order (shadda then fatha becomes fatha then shadda), which a check of
        // one scalar cannot see, so text holding them goes through the full normaliser.
        if v >= 0x0600 && v <= 0x06FF { return !isArabicCombiningMark(v) }
        if v >= 0x0750 && v <= 0x077F { return true }
        if v >= 0x2000 && v <= 0x206F { return v != 0x2000 && v != 0x2001 }  // punctuation, ZWNJ, ZWJ
        if v >= 0xFB50 && v <= 0xFDFF { return false }  // Arabic presentation forms A
        if v >= 0xFE70 && v <= 0xFEFF { return false }  // Arabic presentation forms B
        // Everything else: let Foundation decide.
        return false
    }

    /// The Arabic block's combining marks (canonical combining class other than 0).
    @inlinable
    static func isArabicCombiningMark(_ v: UInt32) -> Bool {
        switch v {
        case 0x0610...0x061A, 0x064B...0x065F, 0x0670, 0x06D6...0x06DC, 0x06DF...0x06E4,
             0x06E7, 0x06E8, 0x06EA...0x06ED:
            return true
        default:
            return false
        }
    }

    /// `text` in Unicode Normalization Form C.
    public static func normalize(_ text: String) -> String {
        var allQuick = true
        for scalar in text.unicodeScalars where !isQuickYes(scalar) {
            allQuick = false
            break
        }
        return allQuick ? text : text.precomposedStringWithCanonicalMapping
    }
}
