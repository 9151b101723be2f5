import KhabarHTML

/// Small helpers shared by the tests.
enum HTMLParserShim {
    static func parse(_ html: String, url: String? = nil) throws -> Document {
        try HTMLParser.parse(Array(html.utf8), contentType: "text/html; charset=utf-8", url: url)
    }

    static func parseBytes(_ bytes: [UInt8]) throws -> Document {
        try HTMLParser.parse(bytes)
    }
}

/// A seeded generator (SplitMix64), so random inputs are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
