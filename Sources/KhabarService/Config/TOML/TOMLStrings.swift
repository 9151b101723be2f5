/// TOML's four kinds of string: basic `"…"` (with escapes), literal `'…'` (as written), and
/// their multi-line forms `"""…"""` and `'''…'''`.
///
/// The text is gathered as UTF-8 bytes that have been checked one scalar at a time, so turning
/// them into a `String` never needs repair. Newlines inside multi-line strings are stored as LF,
/// whether the file uses LF or CRLF.
extension TOMLScanner {
    /// Reads the string that starts at the current quote (`"` or `'`).
    mutating func scanString() throws(TOMLError) -> String {
        let quote = bytes[index]
        if peekIs(quote, 1) && peekIs(quote, 2) {
            return try scanMultilineString(quote: quote)
        }
        return try scanSingleLineString(quote: quote)
    }

    /// Whether a multi-line string starts here (keys may not be one).
    var atMultilineString: Bool {
        guard let q = peek(), q == 0x22 || q == 0x27 else { return false }
        return peekIs(q, 1) && peekIs(q, 2)
    }

    private mutating func scanSingleLineString(quote: UInt8) throws(TOMLError) -> String {
        let escapes = quote == 0x22
        let start = position(), startOffset = index
        index += 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw error(.unterminatedString(escapes ? .basic : .literal), at: start, offset: startOffset)
            }
            let b = bytes[index]
            if b == quote {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == 0x5C && escapes {
                try scanEscape(into: &out, multiline: false)
            } else if b == 0x0A || (b == 0x0D && peekIs(0x0A, 1)) {
                throw error(.unterminatedString(escapes ? .basic : .literal), at: start, offset: startOffset)
            } else {
                try appendCharacter(b, to: &out)
            }
        }
    }

    private mutating func scanMultilineString(quote: UInt8) throws(TOMLError) -> String {
        let escapes = quote == 0x22
        let start = position(), startOffset = index
        index += 3
        // A newline right after the opening delimiter is trimmed.
        if atNewline { consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw error(.unterminatedString(escapes ? .multilineBasic : .multilineLiteral), at: start, offset: startOffset)
            }
            let b = bytes[index]
            if b == quote {
                // One or two quotes are content; three close the string, and up to two more
                // right before the closing three are content too (`""""` ends with one quote).
                var run = 1
                while run < 5 && peekIs(quote, run) { run += 1 }
                if run < 3 {
                    out.append(contentsOf: repeatElement(quote, count: run))
                    index += run
                    continue
                }
                out.append(contentsOf: repeatElement(quote, count: run - 3))
                index += run
                return String(decoding: out, as: UTF8.self)
            }
            if b == 0x5C && escapes {
                try scanEscape(into: &out, multiline: true)
            } else if atNewline {
                out.append(0x0A)
                consumeNewline()
            } else {
                try appendCharacter(b, to: &out)
            }
        }
    }

    /// Appends the character at the current byte `b` (not a newline): tab and printable
    /// characters only, and valid UTF-8.
    @inline(__always)
    private mutating func appendCharacter(_ b: UInt8, to out: inout [UInt8]) throws(TOMLError) {
        if b < 0x80 {
            if b == 0x0D { throw error(.bareCarriageReturn) }
            if Self.isControl(b) { throw error(.controlCharacter(UInt32(b))) }
            out.append(b)
            index += 1
        } else {
            let length = try validScalar().length
            out.append(contentsOf: bytes[index..<index + length])
            index += length
        }
    }

    /// Reads the escape at the current backslash. In a multi-line basic string, a backslash that
    /// ends a line removes the newline and all whitespace and newlines after it.
    private mutating func scanEscape(into out: inout [UInt8], multiline: Bool) throws(TOMLError) {
        let start = position(), startOffset = index
        index += 1
        // At the end of the file, the caller reports the unterminated string.
        guard let e = peek() else { return }
        let simple: UInt8?
        switch e {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        default: simple = nil
        }
        if let simple {
            out.append(simple)
            index += 1
            return
        }
        if e == UInt8(ascii: "u") || e == UInt8(ascii: "U") {
            let count = e == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for k in 1...count {
                guard let h = peek(k), let digit = Self.hexDigit(h) else {
                    throw error(.unicodeEscapeDigits(long: count == 8), at: start, offset: startOffset)
                }
                value = value << 4 | digit
            }
            guard let scalar = Unicode.Scalar(value) else {
                let text = String(decoding: bytes[startOffset...index + count], as: UTF8.self)
                throw error(.invalidUnicodeEscape(text), at: start, offset: startOffset)
            }
            out.append(contentsOf: String(scalar).utf8)
            index += count + 1
            return
        }
        if multiline && (e == 0x20 || e == 0x09 || e == 0x0A || e == 0x0D) {
            var j = index
            while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
            if j < bytes.count && bytes[j] == 0x0A || j + 1 < bytes.count && bytes[j] == 0x0D && bytes[j + 1] == 0x0A {
                index = j
                while true {
                    skipWhitespace()
                    if atNewline { consumeNewline() } else { break }
                }
                return
            }
            if j < bytes.count && bytes[j] == 0x0D {
                index = j
                throw error(.bareCarriageReturn)
            }
        }
        if e == 0x0D && !peekIs(0x0A, 1) { throw error(.bareCarriageReturn) }
        let scalar = try validScalar()
        throw error(.invalidEscape(Unicode.Scalar(scalar.value) ?? "\u{FFFD}"), at: start, offset: startOffset)
    }

    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }
}
