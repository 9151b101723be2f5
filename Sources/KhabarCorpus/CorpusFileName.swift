/// A corpus file name, `NNN_HHHHHHHHHHHHHHHH.txt`: the sequence number zero-padded to at least
/// three digits (`000`…`999`, then `1000`…) and the 16-lowercase-hex content hash.
///
/// Names come from the number and the hash only, never from a URL or a title.
public struct CorpusFileName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int
    /// The 16 lowercase hex digits in the name (for a legacy file, not its computed hash).
    public let hash: String

    /// A name for `number` and `hash`; nil unless `number` ≥ 0 and `hash` is 16 lowercase hex digits.
    public init?(number: Int, hash: String) {
        guard number >= 0, CorpusFileName.isHash16(hash) else { return nil }
        self.number = number
        self.hash = hash
    }

    /// Parses a name in the scheme; nil for anything else. Padding must be canonical (`005`, not
    /// `0005`; `1000`, not `01000`), so one number has one spelling.
    public init?(parsing name: some StringProtocol) {
        let bytes = Array(name.utf8)
        guard let underscore = bytes.firstIndex(of: UInt8(ascii: "_")) else { return nil }
        let digits = bytes[..<underscore]
        guard digits.count >= 3, digits.count <= 18,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if digits.count > 3 && digits.first == UInt8(ascii: "0") { return nil }
        let rest = bytes[(underscore + 1)...]
        guard rest.count == 20, rest.suffix(4).elementsEqual(".txt".utf8) else { return nil }
        let hash = String(decoding: rest.prefix(16), as: UTF8.self)
        guard CorpusFileName.isHash16(hash) else { return nil }
        var number = 0
        for d in digits { number = number * 10 + Int(d - UInt8(ascii: "0")) }
        self.number = number
        self.hash = hash
    }

    /// `NNN_hash.txt`.
    public var name: String {
        var digits = String(number)
        if digits.count < 3 { digits = String(repeating: "0", count: 3 - digits.count) + digits }
        return "\(digits)_\(hash).txt"
    }

    public var description: String { name }

    public static func < (a: CorpusFileName, b: CorpusFileName) -> Bool {
        a.number != b.number ? a.number < b.number : a.hash < b.hash
    }

    /// True for exactly 16 lowercase hex digits.
    public static func isHash16(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.count == 16 && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    /// The number zero-padded as in names (`7` → `007`).
    public static func paddedNumber(_ number: Int) -> String {
        let digits = String(number)
        return digits.count < 3 ? String(repeating: "0", count: 3 - digits.count) + digits : digits
    }
}
