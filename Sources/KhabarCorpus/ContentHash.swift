import Crypto
import KhabarText

/// The corpus content hash of DESIGN.md, byte for byte the Python reference:
///
/// ```python
/// n = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
/// hashlib.sha256(n.encode("utf-8")).hexdigest()[:16]
/// ```
///
/// So a file verifies itself: `hash16(content) == the hash in its name`.
public enum ContentHash {
    /// Python's `\s` (and `str.strip()`) for `str` patterns: the characters whose bidirectional
    /// class is WS, B or S or whose category is Zs. This is the Unicode White_Space set plus
    /// U+001C–U+001F (the information separators, bidi class B/S) — the reference is the
    /// contract, so those four count as space here even though Unicode says otherwise.
    @inlinable
    public static func isReferenceSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
             0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `normalize(text)`: NFC, every maximal run of space (as above) made one U+0020, trimmed.
    public static func normalize(_ text: String) -> String {
        let nfc = NFC.normalize(text)
        var out = UTF8Builder(capacity: nfc.utf8.count)
        var pendingSpace = false
        for scalar in nfc.unicodeScalars {
            if isReferenceSpace(scalar.value) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
        return out.string
    }

    /// The 16 lowercase hex digits naming a text: the first 8 bytes of SHA-256 over the UTF-8 of
    /// `normalize(text)`.
    public static func hash16(_ text: String) -> String {
        let normalized = normalize(text)
        let digest = SHA256.hash(data: Array(normalized.utf8))
        return hex(digest.prefix(8))
    }

    /// `hash16` of raw file bytes: invalid UTF-8 is decoded with U+FFFD replacement (Python's
    /// `errors="replace"`), so even a damaged file gets a hash that can be compared.
    public static func hash16(bytes: [UInt8]) -> String {
        hash16(String(decoding: bytes, as: UTF8.self))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension ContentHash {
    /// 16 hex digits of SHA-256 over the folded text (`ScriptFold.fold` of its NFC form): equal
    /// for two texts that differ only in spacing, line breaks, ZWNJ/ZWJ, tatweel, harakat, digit
    /// forms or letter variants. The revision test: such a change is not a new version.
    public static func foldHash16(_ text: String) -> String {
        let folded = ScriptFold.fold(NFC.normalize(text))
        return hex(SHA256.hash(data: Array(folded.utf8)).prefix(8))
    }
}
