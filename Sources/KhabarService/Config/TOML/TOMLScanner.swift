/// Walks the document's bytes, keeping the line and column of where it is, and knows TOML's
/// lexical rules shared by every part of the grammar: whitespace, newlines (LF or CRLF, never a
/// lone CR), comments, control characters and UTF-8 validity.
///
/// Columns are counted lazily: `position()` catches up from the last point it counted, so asking
/// for the position of every key and value costs time linear in the document, however long a
/// line is.
struct TOMLScanner {
    let bytes: [UInt8]
    /// The current byte. Moving it over a newline must go through `consumeNewline()`, which
    /// keeps the line count.
    var index = 0
    private(set) var line = 1
    private var columnIndex = 0
    private var column = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark, as some editors write, is not part of the document.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
            columnIndex = 3
        }
    }

    var atEnd: Bool { index >= bytes.count }

    /// The byte `offset` places ahead, or nil past the end.
    @inline(__always)
    func peek(_ offset: Int = 0) -> UInt8? {
        let i = index + offset
        return i < bytes.count ? bytes[i] : nil
    }

    @inline(__always)
    func peekIs(_ byte: UInt8, _ offset: Int = 0) -> Bool {
        let i = index + offset
        return i < bytes.count && bytes[i] == byte
    }

    /// Moves over `count` bytes that are not newlines.
    @inline(__always)
    mutating func advance(_ count: Int = 1) {
        index += count
    }

    /// The position of the current byte.
    mutating func position() -> TOMLPosition {
        while columnIndex < index {
            if bytes[columnIndex] & 0xC0 != 0x80 { column += 1 }
            columnIndex += 1
        }
        return TOMLPosition(line: line, column: column)
    }

    func error(_ reason: TOMLError.Reason, at position: TOMLPosition, offset: Int) -> TOMLError {
        TOMLError(reason, at: position, byteOffset: offset)
    }

    mutating func error(_ reason: TOMLError.Reason) -> TOMLError {
        TOMLError(reason, at: position(), byteOffset: index)
    }

    // MARK: - Newlines and whitespace

    /// Whether a newline (LF or CRLF) starts here.
    var atNewline: Bool {
        guard let b = peek() else { return false }
        return b == 0x0A || (b == 0x0D && peekIs(0x0A, 1))
    }

    /// Consumes the newline at the current byte (`atNewline` must hold).
    mutating func consumeNewline() {
        index += bytes[index] == 0x0D ? 2 : 1
        line += 1
        column = 1
        columnIndex = index
    }

    /// Skips spaces and tabs.
    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    /// Skips a comment if one starts here, up to (not including) the end of its line, checking
    /// that it holds no control character and only valid UTF-8.
    mutating func skipComment() throws(TOMLError) {
        guard peekIs(0x23) else { return }
        index += 1
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x0A { return }
            if b >= 0x20 && b < 0x7F || b == 0x09 {
                index += 1
            } else if b >= 0x80 {
                index += try validScalar().length
            } else if b == 0x0D {
                if peekIs(0x0A, 1) { return }
                throw error(.bareCarriageReturn)
            } else {
                throw error(.controlCharacter(UInt32(b)))
            }
        }
    }

    /// Skips whitespace, comments and newlines, as arrays allow between their items.
    mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLError) {
        while true {
            skipWhitespace()
            try skipComment()
            if atNewline { consumeNewline() } else { return }
        }
    }

    // MARK: - Characters

    /// The scalar at the current byte, which must be valid UTF-8.
    mutating func validScalar() throws(TOMLError) -> (value: UInt32, length: Int) {
        switch Self.decode(bytes, at: index) {
        case .success(let scalar): return scalar
        case .failure(let broken): throw error(.invalidUTF8(broken.bytes))
        }
    }

    /// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. On
    /// failure, the bytes from the start of the sequence up to the first wrong one.
    static func decode(_ bytes: [UInt8], at i: Int) -> Result<(value: UInt32, length: Int), BrokenUTF8> {
        let b0 = bytes[i]
        if b0 < 0x80 { return .success((UInt32(b0), 1)) }
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return .failure(BrokenUTF8(bytes: [b0]))
        }
        var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length {
            guard i + k < bytes.count else { return .failure(BrokenUTF8(bytes: Array(bytes[i..<i + k]))) }
            let b = bytes[i + k]
            let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard b >= lo && b <= hi else { return .failure(BrokenUTF8(bytes: Array(bytes[i...i + k]))) }
            value = value << 6 | UInt32(b & 0x3F)
        }
        return .success((value, length))
    }

    struct BrokenUTF8: Error {
        let bytes: [UInt8]
    }

    static func isControl(_ b: UInt8) -> Bool {
        (b < 0x20 && b != 0x09) || b == 0x7F
    }

    static func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// What stands at the current byte, for an "expected …, found …" message.
    mutating func found() throws(TOMLError) -> TOMLError.Found {
        guard let b = peek() else { return .endOfFile }
        if b == 0x0A || (b == 0x0D && peekIs(0x0A, 1)) { return .endOfLine }
        if b == 0x0D { throw error(.bareCarriageReturn) }
        if Self.isControl(b) { throw error(.controlCharacter(UInt32(b))) }
        let scalar = try validScalar()
        return .character(Unicode.Scalar(scalar.value) ?? "\u{FFFD}")
    }

    /// The error for an unexpected character here. A control character, a lone carriage return or
    /// broken UTF-8 is reported as itself, since that is the real mistake.
    mutating func unexpectedError(expected: String) -> TOMLError {
        do {
            return error(.unexpected(expected: expected, found: try found()))
        } catch {
            return error
        }
    }
}
