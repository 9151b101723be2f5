/// Builds a `String` one Unicode scalar at a time through its UTF-8 bytes.
///
/// Appending to a `String.UnicodeScalarView` re-checks the string's storage and flags on every
/// call; the text passes (folding, the content hash's normalisation, paragraph cleaning) did that
/// once per character of every article, about 8% of the daemon's CPU in a profile of the
/// end-to-end benchmark. Bytes in an array, decoded once at the end, cost a fraction of it.
public struct UTF8Builder: Sendable {
    @usableFromInline var bytes: [UInt8]

    /// `capacity`: the number of bytes expected (the input's UTF-8 length is a good guess).
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    @inlinable
    public mutating func append(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        if v < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v))
        } else if v < 0x800 {
            bytes.append(UInt8(truncatingIfNeeded: 0xC0 | (v >> 6)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            bytes.append(UInt8(truncatingIfNeeded: 0xE0 | (v >> 12)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        } else {
            bytes.append(UInt8(truncatingIfNeeded: 0xF0 | (v >> 18)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F)))
        }
    }

    /// The text built so far (the bytes are valid UTF-8 by construction).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
