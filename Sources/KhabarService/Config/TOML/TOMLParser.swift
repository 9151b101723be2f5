/// Khabar's own TOML 1.0.0 reader (https://toml.io/en/v1.0.0).
///
/// It exists because the C++ library we used before (toml++, behind TOMLKit) aborts the process
/// on malformed input an operator can easily type, such as `[` alone on a line or
/// `x = ["1h", }`, and a daemon must not die on SIGHUP over a typo. This one never crashes: every
/// input ends in a table or in a `TOMLError` with a line and column. It recurses only into arrays
/// and inline tables, and nothing in a document may nest deeper than `maxNestingDepth` levels;
/// it reads each byte a bounded number of times, so its time is linear in the input.
///
/// Every key and value keeps its position, so a caller validating the document can name the line
/// of anything it refuses.
public enum TOMLParser {
    /// The deepest a value may sit below the root: arrays, inline tables, headers' and dotted
    /// keys' parts all count a level each (`a.b = [1]` puts `1` at level 3).
    public static let maxNestingDepth = TOMLTreeBuilder.maxDepth

    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        try parse(utf8: Array(text.utf8))
    }

    /// Parses raw bytes, which must be UTF-8 (a leading byte order mark is skipped); invalid
    /// UTF-8 is an error with its position.
    public static func parse(utf8 bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var reader = TOMLDocumentReader(bytes: bytes)
        return try reader.read()
    }
}

/// The grammar: a document is lines of key/value pairs, headers, comments and blank lines;
/// values are strings, arrays, inline tables or unquoted tokens (numbers, booleans, dates).
struct TOMLDocumentReader {
    private var scanner: TOMLScanner
    private let builder = TOMLTreeBuilder()
    /// Identifies each table section and inline table, for the dotted-key rules.
    private var nextSection = 1

    init(bytes: [UInt8]) {
        scanner = TOMLScanner(bytes: bytes)
    }

    mutating func read() throws(TOMLError) -> TOMLTable {
        var table = builder.root
        var path: [TOMLKeyPart] = []
        var section = 0
        while true {
            scanner.skipWhitespace()
            try scanner.skipComment()
            guard let b = scanner.peek() else { break }
            if scanner.atNewline {
                scanner.consumeNewline()
                continue
            }
            if b == UInt8(ascii: "[") {
                (table, path) = try readHeader()
                section = nextSection
                nextSection += 1
                try endOfLine(after: "the table header")
            } else if Self.isKeyStart(b) {
                try readKeyValue(into: table, section: section, prefix: path)
                try endOfLine(after: "the value")
            } else {
                throw scanner.unexpectedError(expected: "a key, a [table] header or a comment")
            }
        }
        return builder.root.freeze()
    }

    private static func isKeyStart(_ b: UInt8) -> Bool {
        TOMLScanner.isBareKeyByte(b) || b == 0x22 || b == 0x27
    }

    /// After a header or a key/value pair: whitespace, an optional comment, then a newline or
    /// the end of the file.
    private mutating func endOfLine(after what: String) throws(TOMLError) {
        scanner.skipWhitespace()
        try scanner.skipComment()
        if scanner.atEnd { return }
        guard scanner.atNewline else { throw scanner.unexpectedError(expected: "a new line after \(what)") }
        scanner.consumeNewline()
    }

    // MARK: - Headers and keys

    private mutating func readHeader() throws(TOMLError) -> (TOMLTableNode, [TOMLKeyPart]) {
        let header = scanner.position(), headerOffset = scanner.index
        scanner.advance()
        let isArray = scanner.peekIs(UInt8(ascii: "["))
        if isArray { scanner.advance() }
        scanner.skipWhitespace()
        guard let b = scanner.peek(), Self.isKeyStart(b) else {
            // A control character or broken UTF-8 is reported as itself.
            _ = try scanner.found()
            throw TOMLError(.headerWithoutName, at: header, byteOffset: headerOffset)
        }
        let key = try readKey(expected: "a key")
        let close = UInt8(ascii: "]")
        guard scanner.peekIs(close) && (!isArray || scanner.peekIs(close, 1)) else {
            throw scanner.unexpectedError(expected: isArray ? "']]' to close the array-of-tables header"
                                                            : "']' to close the table header")
        }
        scanner.advance(isArray ? 2 : 1)
        let table = isArray ? try builder.appendTable(key, header: header) : try builder.openTable(key, header: header)
        return (table, key)
    }

    /// A key: bare or quoted parts joined by dots, whitespace allowed around the dots. Skips the
    /// whitespace after it.
    private mutating func readKey(expected: String) throws(TOMLError) -> [TOMLKeyPart] {
        var parts: [TOMLKeyPart] = []
        while true {
            let position = scanner.position(), offset = scanner.index
            guard let b = scanner.peek() else {
                throw scanner.unexpectedError(expected: parts.isEmpty ? expected : "a key after '.'")
            }
            let name: String
            if TOMLScanner.isBareKeyByte(b) {
                while let c = scanner.peek(), TOMLScanner.isBareKeyByte(c) { scanner.advance() }
                name = String(decoding: scanner.bytes[offset..<scanner.index], as: UTF8.self)
            } else if b == 0x22 || b == 0x27 {
                if scanner.atMultilineString { throw scanner.error(.multilineStringKey) }
                name = try scanner.scanString()
            } else {
                throw scanner.unexpectedError(expected: parts.isEmpty ? expected : "a key after '.'")
            }
            parts.append(TOMLKeyPart(name: name, position: position, offset: offset))
            scanner.skipWhitespace()
            guard scanner.peekIs(UInt8(ascii: ".")) else { return parts }
            scanner.advance()
            scanner.skipWhitespace()
        }
    }

    /// `key = value`, defined in `table` (whose own path is `prefix`).
    private mutating func readKeyValue(into table: TOMLTableNode, section: Int, prefix: [TOMLKeyPart]) throws(TOMLError) {
        let key = try readKey(expected: "a key")
        guard scanner.peekIs(UInt8(ascii: "=")) else { throw scanner.unexpectedError(expected: "'=' after the key") }
        scanner.advance()
        scanner.skipWhitespace()
        let parent = try builder.resolveDottedKey(key, in: table, section: section, prefix: prefix)
        let value = try readValue(depth: parent.depth + 1, expected: "a value after '='")
        let last = key[key.count - 1]
        parent.insert(last.name, at: last.position, .value(value))
    }

    // MARK: - Values

    private mutating func readValue(depth: Int, expected: String) throws(TOMLError) -> TOMLValue {
        guard depth <= TOMLTreeBuilder.maxDepth else { throw scanner.error(.tooDeep(limit: TOMLTreeBuilder.maxDepth)) }
        guard let b = scanner.peek() else { throw scanner.unexpectedError(expected: expected) }
        switch b {
        case 0x22, 0x27:
            let position = scanner.position()
            return TOMLValue(.string(try scanner.scanString()), at: position)
        case UInt8(ascii: "["):
            return try readArray(depth: depth)
        case UInt8(ascii: "{"):
            return try readInlineTable(depth: depth)
        default:
            guard Self.isTokenByte(b) else { throw scanner.unexpectedError(expected: expected) }
            return try readToken()
        }
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        TOMLScanner.isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
    }

    /// Numbers, booleans, `inf`/`nan` and dates: one run of token characters, plus the space and
    /// time of a date-time written `1979-05-27 07:32:00`.
    private mutating func readToken() throws(TOMLError) -> TOMLValue {
        let position = scanner.position(), start = scanner.index
        while let b = scanner.peek(), Self.isTokenByte(b) { scanner.advance() }
        let bytes = scanner.bytes
        if scanner.index - start == 10 && bytes[start + 4] == 0x2D && bytes[start + 7] == 0x2D
            && scanner.peekIs(0x20) && scanner.peekIs(0x3A, 3)
            && TOMLScanner.isDigit(scanner.peek(1) ?? 0) && TOMLScanner.isDigit(scanner.peek(2) ?? 0) {
            scanner.advance()
            while let b = scanner.peek(), Self.isTokenByte(b) { scanner.advance() }
        }
        switch TOMLScalars.parse(Array(bytes[start..<scanner.index])) {
        case .success(let kind): return TOMLValue(kind, at: position)
        case .failure(let reason): throw TOMLError(reason, at: position, byteOffset: start)
        }
    }

    private mutating func readArray(depth: Int) throws(TOMLError) -> TOMLValue {
        let position = scanner.position()
        scanner.advance()
        var items: [TOMLValue] = []
        let close = UInt8(ascii: "]")
        try scanner.skipWhitespaceCommentsAndNewlines()
        if scanner.peekIs(close) {
            scanner.advance()
            return TOMLValue(.array(items), at: position)
        }
        while true {
            items.append(try readValue(depth: depth + 1, expected: "a value or ']'"))
            try scanner.skipWhitespaceCommentsAndNewlines()
            if scanner.peekIs(UInt8(ascii: ",")) {
                scanner.advance()
                try scanner.skipWhitespaceCommentsAndNewlines()
                if scanner.peekIs(close) { break }
            } else if scanner.peekIs(close) {
                break
            } else {
                throw scanner.unexpectedError(expected: "',' or ']' after an array item")
            }
        }
        scanner.advance()
        return TOMLValue(.array(items), at: position)
    }

    /// `{ key = value, … }`: on one line (values such as arrays may still span lines), no
    /// trailing comma, and complete once closed.
    private mutating func readInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        let position = scanner.position()
        scanner.advance()
        let section = nextSection
        nextSection += 1
        let table = TOMLTableNode(origin: .header, position: position, depth: depth)
        let close = UInt8(ascii: "}")
        scanner.skipWhitespace()
        if scanner.peekIs(close) {
            scanner.advance()
            return TOMLValue(.table(table.freeze()), at: position)
        }
        while true {
            if scanner.atNewline { throw scanner.error(.inlineTableNewline) }
            let key = try readKey(expected: "a key or '}'")
            guard scanner.peekIs(UInt8(ascii: "=")) else {
                if scanner.atNewline { throw scanner.error(.inlineTableNewline) }
                throw scanner.unexpectedError(expected: "'=' after the key")
            }
            scanner.advance()
            scanner.skipWhitespace()
            if scanner.atNewline { throw scanner.error(.inlineTableNewline) }
            let parent = try builder.resolveDottedKey(key, in: table, section: section, prefix: [])
            let value = try readValue(depth: parent.depth + 1, expected: "a value after '='")
            let last = key[key.count - 1]
            parent.insert(last.name, at: last.position, .value(value))
            scanner.skipWhitespace()
            if scanner.peekIs(UInt8(ascii: ",")) {
                scanner.advance()
                scanner.skipWhitespace()
                if scanner.peekIs(close) { throw scanner.error(.inlineTableTrailingComma) }
                continue
            }
            if scanner.peekIs(close) { break }
            if scanner.atNewline { throw scanner.error(.inlineTableNewline) }
            throw scanner.unexpectedError(expected: "',' or '}' after a value in an inline table")
        }
        scanner.advance()
        return TOMLValue(.table(table.freeze()), at: position)
    }
}
