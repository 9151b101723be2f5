/// The JSON the change log needs and no more: flat objects of strings, integers and nulls,
/// written with keys in a fixed order and read back with that order kept (so `verify` can check
/// it). Foundation's JSON APIs neither keep key order nor promise byte-stable output.
public enum FlatJSON {
    /// A value in a flat object.
    public enum Value: Equatable, Sendable {
        case string(String)
        case integer(Int)
        case number(Double)
        case bool(Bool)
        case null

        public var string: String? { if case .string(let s) = self { return s }; return nil }
        public var integer: Int? { if case .integer(let n) = self { return n }; return nil }
        public var isNull: Bool { self == .null }
    }

    /// A reason a line is not a flat JSON object, with the byte offset.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "\(message) at byte \(offset + 1)" }
    }

    // MARK: - Writing

    /// Appends `text` as a JSON string literal: `"` `\` and control characters escaped, U+2028
    /// and U+2029 escaped too (some JSON readers are JavaScript), everything else as UTF-8.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20, 0x7F, 0x2028, 0x2029:
                let hex = Array("0123456789abcdef".utf8)
                let v = Int(scalar.value)
                out.append(contentsOf: [0x5C, 0x75, hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]])
            default:
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(0x22)
    }

    /// One object, keys in the given order, no spaces.
    public static func object(_ pairs: [(String, Value)]) -> String {
        var out: [UInt8] = [0x7B]
        for (index, (key, value)) in pairs.enumerated() {
            if index > 0 { out.append(0x2C) }
            appendString(key, to: &out)
            out.append(0x3A)
            switch value {
            case .string(let s): appendString(s, to: &out)
            case .integer(let n): out.append(contentsOf: String(n).utf8)
            case .number(let d): out.append(contentsOf: (d.isFinite ? "\(d)" : "null").utf8)
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .null: out.append(contentsOf: "null".utf8)
            }
        }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Reading

    /// Parses one flat object (nested objects and arrays are refused), keeping key order.
    public static func parseObject(_ text: some StringProtocol) throws(ParseError) -> [(key: String, value: Value)] {
        var parser = Parser(bytes: Array(text.utf8))
        return try parser.object()
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func fail(_ message: String) -> ParseError { ParseError(offset: i, message: message) }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(ParseError) {
            skipSpace()
            guard i < bytes.count, bytes[i] == byte else { throw fail("expected \(what)") }
            i += 1
        }

        mutating func object() throws(ParseError) -> [(key: String, value: Value)] {
            try expect(0x7B, "'{'")
            var pairs: [(key: String, value: Value)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D {
                i += 1
            } else {
                while true {
                    skipSpace()
                    let key = try string()
                    try expect(0x3A, "':'")
                    let value = try self.value()
                    pairs.append((key, value))
                    skipSpace()
                    guard i < bytes.count else { throw fail("unterminated object") }
                    if bytes[i] == 0x2C { i += 1; continue }
                    if bytes[i] == 0x7D { i += 1; break }
                    throw fail("expected ',' or '}'")
                }
            }
            skipSpace()
            guard i == bytes.count else { throw fail("unexpected text after the object") }
            return pairs
        }

        mutating func value() throws(ParseError) -> Value {
            skipSpace()
            guard i < bytes.count else { throw fail("expected a value") }
            switch bytes[i] {
            case 0x22: return .string(try string())
            case 0x6E: try literal("null"); return .null
            case 0x74: try literal("true"); return .bool(true)
            case 0x66: try literal("false"); return .bool(false)
            case 0x2D, 0x30...0x39: return try number()
            case 0x7B, 0x5B: throw fail("nested objects and arrays are not expected")
            default: throw fail("expected a value")
            }
        }

        mutating func literal(_ word: String) throws(ParseError) {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("expected \(word)") }
            i += w.count
        }

        mutating func number() throws(ParseError) -> Value {
            let start = i
            if bytes[i] == 0x2D { i += 1 }
            var isInteger = true
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 { i += 1; continue }
                if b == 0x2E || b == 0x65 || b == 0x45 || b == 0x2B || (b == 0x2D && i > start) { isInteger = false; i += 1; continue }
                break
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if isInteger, let n = Int(text) { return .integer(n) }
            guard let d = Double(text), d.isFinite else { throw ParseError(offset: start, message: "malformed number") }
            return .number(d)
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw fail("truncated \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                default: throw fail("malformed \\u escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func string() throws(ParseError) -> String {
            guard i < bytes.count, bytes[i] == 0x22 else { throw fail("expected a string") }
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let b = bytes[i]
                if b == 0x22 { i += 1; break }
                if b < 0x20 { throw fail("control character in a string") }
                if b != 0x5C { out.append(b); i += 1; continue }
                i += 1
                guard i < bytes.count else { throw fail("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var v = try hex4()
                    if v >= 0xD800 && v < 0xDC00 {
                        guard i + 6 <= bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { throw fail("unpaired surrogate") }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw fail("unpaired surrogate") }
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    } else if v >= 0xDC00 && v < 0xE000 {
                        throw fail("unpaired surrogate")
                    }
                    guard let scalar = Unicode.Scalar(v) else { throw fail("invalid code point") }
                    out.append(contentsOf: String(scalar).utf8)
                default:
                    throw fail("unknown escape")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else { throw fail("invalid UTF-8 in a string") }
            return s
        }
    }
}
