import KhabarText

/// A 64-bit near-duplicate fingerprint of a text, compared by Hamming distance
/// (`near_duplicate_distance`), indexed through four 16-bit bands.
///
/// **What it is.** The features are the word 3-shingles of the folded body (`ScriptFold.fold`:
/// ي/ی and ك/ک unified, tatweel, harakat and ZWNJ dropped, digits folded, Latin lower-cased),
/// the body being every line but the first when there are several (line 1 is the headline,
/// which republishers rewrite). Each of the 64 bits is one-bit minwise hashing of the shingle
/// *set*: bit k is the lowest bit of the minimum of a k-th hash over the shingles. Two texts whose
/// shingle sets have Jaccard similarity J differ in a bit with probability (1 − J) / 2, so the
/// expected distance is 32 · (1 − J).
///
/// **Why not Charikar's SimHash.** A SimHash bit flips with probability θ/π, θ the angle between
/// the shingle vectors, and θ grows with the *square root* of the share changed, so a 3-bit
/// threshold misses most "one sentence edited" pairs. Minwise bits grow linearly. Measured on the
/// five seed articles with a new headline and 2–4 words of one sentence replaced (200 edits each,
/// `bench/corpus.sh quality`): beyond 3 bits in 4–51 % of cases with SimHash, 0–2 % here;
/// unrelated articles on the same topic stay at 28–36 bits. Same storage, same bands, same
/// distance semantics; docs/corpus.md records the departure.
public struct TextFingerprint: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// Texts with fewer distinct shingles than this get no fingerprint: too little text to call
    /// two of them near-duplicates.
    public static let minimumShingles = 8

    /// The fingerprint of a corpus text; nil when it has fewer than `minimumShingles` shingles.
    public static func of(_ text: String) -> TextFingerprint? {
        let shingles = shingleHashes(body(of: text))
        guard shingles.count >= minimumShingles else { return nil }
        return TextFingerprint(value: minwiseBits(shingles))
    }

    /// Hamming distance.
    public func distance(to other: TextFingerprint) -> Int {
        (value ^ other.value).nonzeroBitCount
    }

    /// The four 16-bit bands (bits 0–15, 16–31, 32–47, 48–63). Two fingerprints within distance
    /// d share at least one band whose own distance is ≤ d / 4 (pigeonhole), which is what makes
    /// the indexed lookup complete.
    public var bands: [Int] {
        (0..<4).map { Int((value >> UInt64($0 * 16)) & 0xFFFF) }
    }

    /// 16 hex digits.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The signed 64-bit integer with the same bits (SQLite stores signed integers).
    public var signed: Int64 { Int64(bitPattern: value) }

    // MARK: - Features

    /// Every line but the first, when there is more than one.
    static func body(of text: String) -> Substring {
        var trimmed = Substring(text)
        while trimmed.last == "\n" { trimmed = trimmed.dropLast() }
        if let newline = trimmed.firstIndex(of: "\n") {
            let rest = trimmed[trimmed.index(after: newline)...]
            if !rest.isEmpty { return rest }
        }
        return trimmed
    }

    /// The words of the folded text: runs of letters, marks and digits.
    public static func words(_ text: some StringProtocol) -> [Substring.UnicodeScalarView] {
        let folded = ScriptFold.fold(NFC.normalize(String(text)))
        var words: [Substring.UnicodeScalarView] = []
        let scalars = Substring(folded).unicodeScalars
        var start: Substring.UnicodeScalarView.Index?
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let isWord = isWordScalar(scalars[index])
            if isWord, start == nil { start = index }
            if !isWord, let s = start {
                words.append(scalars[s..<index])
                start = nil
            }
            index = scalars.index(after: index)
        }
        if let s = start { words.append(scalars[s..<scalars.endIndex]) }
        return words
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The distinct 64-bit hashes of the word 3-shingles (one shingle of all words when there
    /// are fewer than three).
    static func shingleHashes(_ text: some StringProtocol) -> Set<UInt64> {
        let words = words(text)
        var hashes = Set<UInt64>()
        guard !words.isEmpty else { return hashes }
        let wordHashes = words.map { fnv1a($0) }
        if wordHashes.count < 3 {
            hashes.insert(combine(wordHashes))
            return hashes
        }
        hashes.reserveCapacity(wordHashes.count)
        for i in 0...(wordHashes.count - 3) {
            hashes.insert(combine(wordHashes[i..<(i + 3)]))
        }
        return hashes
    }

    static func fnv1a(_ word: Substring.UnicodeScalarView) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in String(word).utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func combine(_ parts: some Collection<UInt64>) -> UInt64 {
        var h: UInt64 = 0x2545_F491_4F6C_DD1D
        for part in parts { h = mix(h ^ part) }
        return h
    }

    /// splitmix64's finaliser: a cheap, well-mixing bijection on 64 bits.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64 fixed seeds, one per bit (never change them: stored fingerprints depend on them).
    static let seeds: [UInt64] = {
        var state: UInt64 = 0x6B68_6162_6172_2121  // "khabar!!"
        return (0..<64).map { _ in
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return mix(state)
        }
    }()

    static func minwiseBits(_ shingles: Set<UInt64>) -> UInt64 {
        var minima = [UInt64](repeating: .max, count: 64)
        let seeds = self.seeds
        minima.withUnsafeMutableBufferPointer { m in
            for h in shingles {
                for k in 0..<64 {
                    let v = mix(h ^ seeds[k])
                    if v < m[k] { m[k] = v }
                }
            }
        }
        var bits: UInt64 = 0
        for k in 0..<64 where minima[k] & 1 == 1 { bits |= 1 << UInt64(k) }
        return bits
    }
}
