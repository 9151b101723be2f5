import Testing
import KhabarText

@Suite struct UTF8BuilderTests {
    /// Every length of UTF-8 sequence, at both ends of its range, comes out as Swift encodes it.
    @Test func encodesEveryScalarAsSwiftDoes() {
        let values: [UInt32] = [0x00, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0x0627, 0x200C, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
                                0x10000, 0x1F600, 0x10FFFF]
        var builder = UTF8Builder()
        var expected = String.UnicodeScalarView()
        for v in values {
            let scalar = Unicode.Scalar(v)!
            builder.append(scalar)
            expected.append(scalar)
        }
        #expect(Array(builder.string.utf8) == Array(String(expected).utf8))
        #expect(Array(builder.string.unicodeScalars.map(\.value)) == values)
    }

    @Test func emptyUntilSomethingIsAppended() {
        var builder = UTF8Builder(capacity: 16)
        #expect(builder.isEmpty && builder.string.isEmpty)
        builder.append("\u{06CC}")
        #expect(!builder.isEmpty && builder.string == "\u{06CC}")
    }
}
