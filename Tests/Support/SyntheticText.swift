/// Paragraphs of made-up words of Arabic letters, drawn by a xorshift generator from `seed`:
/// distinct texts for distinct seeds, the same text for the same seed on every run. Each paragraph
/// is `perParagraph` words ending in a full stop (the last one may be shorter). `salt` keeps the
/// texts of one suite apart from another's.
public func syntheticParagraphs(seed: Int, salt: UInt64, words: Int, perParagraph: Int) -> [String] {
    var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ salt
    func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    let letters = Array("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
    var paragraphs: [String] = []
    var current: [String] = []
    for i in 0..<words {
        let length = Int(next() % 6) + 2
        current.append(String((0..<length).map { _ in letters[Int(next() % UInt64(letters.count))] }))
        if i % perParagraph == perParagraph - 1 {
            paragraphs.append(current.joined(separator: " ") + ".")
            current = []
        }
    }
    if !current.isEmpty { paragraphs.append(current.joined(separator: " ") + ".") }
    return paragraphs
}
