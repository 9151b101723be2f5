/// Why a TOML document was refused, and where: one line for a log or the command line,
/// `line 3, column 10: expected a value after '=', found the end of the line`.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: Reason
    public var position: TOMLPosition
    /// The offset of the offending byte in the document's UTF-8.
    public var byteOffset: Int

    public init(_ reason: Reason, at position: TOMLPosition, byteOffset: Int) {
        self.reason = reason
        self.position = position
        self.byteOffset = byteOffset
    }

    /// The reason alone, without the position.
    public var message: String { reason.message }

    public var description: String { "\(position): \(message)" }

    /// What was found where something else was expected.
    public enum Found: Sendable, Equatable, CustomStringConvertible {
        case endOfFile
        case endOfLine
        case character(Unicode.Scalar)

        public var description: String {
            switch self {
            case .endOfFile: return "the end of the file"
            case .endOfLine: return "the end of the line"
            case .character(let c):
                if c.isASCII { return "'\(c)'" }
                let code = "U+" + hex(c.value, width: 4)
                // Invisible and format characters (NBSP, ZWNJ, BOM, bidi marks) are named by code only.
                if c.properties.isWhitespace || c.properties.generalCategory == .format
                    || c.properties.generalCategory == .control {
                    return code
                }
                return "'\(c)' (\(code))"
            }
        }
    }

    /// Every way a document can be wrong. Key and table names are given as written in dotted
    /// form (`fruit."apple pie".color`).
    public enum Reason: Error, Sendable, Equatable {
        /// The bytes from the start of a broken sequence up to the first one that breaks it.
        case invalidUTF8([UInt8])
        case controlCharacter(UInt32)
        case bareCarriageReturn
        case unexpected(expected: String, found: Found)
        case headerWithoutName
        case multilineStringKey
        case unterminatedString(StringKind)
        case invalidEscape(Unicode.Scalar)
        case unicodeEscapeDigits(long: Bool)
        /// The escape as written, such as `\uD800`.
        case invalidUnicodeEscape(String)
        case invalidNumber(String, NumberProblem)
        case integerOutOfRange(String)
        case floatOutOfRange(String)
        /// The text as written and what is wrong with it.
        case invalidDateTime(String, String)
        case invalidValue(String)
        case duplicateKey(String, line: Int)
        case tableRedefined(String, line: Int)
        case tableDefinedByDottedKeys(String, line: Int)
        case tableDefinedByHeader(String, line: Int)
        case inlineTableIsFinal(String, line: Int)
        case staticArray(String, line: Int)
        case notATable(String, line: Int)
        case tableIsArrayOfTables(String, line: Int)
        case dottedKeysIntoArrayOfTables(String, line: Int)
        case tableNotArrayOfTables(String, line: Int)
        case tooDeep(limit: Int)
        case inlineTableNewline
        case inlineTableTrailingComma

        public enum StringKind: Sendable, Equatable {
            case basic, literal, multilineBasic, multilineLiteral
        }

        public enum NumberProblem: Error, Sendable, Equatable {
            case leadingZero
            case underscore
            case signedPrefix
            case upperCasePrefix
            case digit(Unicode.Scalar, radix: Int)
            case noDigits
            case fraction
            case exponent
            case malformed
        }

        public var message: String {
            switch self {
            case .invalidUTF8(let bytes):
                return "not valid UTF-8 (\(bytes.count == 1 ? "byte" : "bytes") \(bytes.map { "0x" + hex(UInt32($0), width: 2) }.joined(separator: " ")))"
            case .controlCharacter(let value):
                return "control character U+\(hex(value, width: 4)) is not allowed in TOML"
            case .bareCarriageReturn:
                return "a carriage return not followed by a line feed is not allowed in TOML"
            case .unexpected(let expected, let found):
                return "expected \(expected), found \(found)"
            case .headerWithoutName:
                return "a table header needs a name after '['"
            case .multilineStringKey:
                return "a key cannot be a multi-line string"
            case .unterminatedString(.basic):
                return "unterminated string: a string in \"…\" must end on the line where it starts (\"\"\" starts a multi-line string)"
            case .unterminatedString(.literal):
                return "unterminated string: a string in '…' must end on the line where it starts (''' starts a multi-line string)"
            case .unterminatedString(.multilineBasic):
                return "unterminated multi-line string: no closing \"\"\""
            case .unterminatedString(.multilineLiteral):
                return "unterminated multi-line string: no closing '''"
            case .invalidEscape(let c):
                let shown = c.value < 0x20 || c.value == 0x7F ? "'\\' followed by U+" + hex(c.value, width: 4) : "'\\\(c)'"
                return "invalid escape \(shown) in a string; TOML has \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX"
            case .unicodeEscapeDigits(let long):
                return long ? "\\U needs 8 hexadecimal digits" : "\\u needs 4 hexadecimal digits"
            case .invalidUnicodeEscape(let text):
                return "\(text) is not a Unicode scalar value (surrogates D800–DFFF and values above 10FFFF are not)"
            case .invalidNumber(let text, let problem):
                return "invalid number '\(text)': \(problem.message)"
            case .integerOutOfRange(let text):
                return "the integer \(text) does not fit in 64 bits (-9223372036854775808 to 9223372036854775807)"
            case .floatOutOfRange(let text):
                return "the float \(text) is too large for a 64-bit float"
            case .invalidDateTime(let text, let problem):
                return "invalid date or time '\(text)': \(problem)"
            case .invalidValue(let text):
                let lower = text.lowercased()
                if lower == "true" || lower == "false" {
                    return "invalid value '\(text)': booleans are written true and false, in lower case"
                }
                if lower == "inf" || lower == "nan" || lower.dropFirst() == "inf" || lower.dropFirst() == "nan" {
                    return "invalid value '\(text)': infinity and not-a-number are written inf and nan, in lower case"
                }
                return "invalid value '\(text)' (a string needs quotes)"
            case .duplicateKey(let key, let line):
                return "the key '\(key)' is already defined on line \(line)"
            case .tableRedefined(let name, let line):
                return "the table [\(name)] is already defined on line \(line)"
            case .tableDefinedByDottedKeys(let name, let line):
                return "the table [\(name)] is already defined by dotted keys on line \(line)"
            case .tableDefinedByHeader(let name, let line):
                return "dotted keys cannot add to the table [\(name)], defined by its header on line \(line)"
            case .inlineTableIsFinal(let key, let line):
                return "'\(key)' is an inline table (line \(line)) and cannot be extended"
            case .staticArray(let key, let line):
                return "'\(key)' is a static array (line \(line)); [[\(key)]] cannot append to it"
            case .notATable(let key, let line):
                return "'\(key)' already holds a value (line \(line)), not a table"
            case .tableIsArrayOfTables(let name, let line):
                return "the table [\(name)] is already defined as an array of tables on line \(line)"
            case .dottedKeysIntoArrayOfTables(let key, let line):
                return "dotted keys cannot add to the array of tables '\(key)' (line \(line))"
            case .tableNotArrayOfTables(let name, let line):
                return "[[\(name)]] cannot append to the table [\(name)] defined on line \(line)"
            case .tooDeep(let limit):
                return "nesting deeper than \(limit) levels (arrays, tables, dotted key parts) is not supported"
            case .inlineTableNewline:
                return "an inline table must be written on one line"
            case .inlineTableTrailingComma:
                return "a trailing comma is not allowed in an inline table"
            }
        }
    }
}

extension TOMLError.Reason.NumberProblem {
    var message: String {
        switch self {
        case .leadingZero: return "leading zeros are not allowed"
        case .underscore: return "an underscore must stand between two digits"
        case .signedPrefix: return "hexadecimal, octal and binary integers cannot have a sign"
        case .upperCasePrefix: return "the prefixes are 0x, 0o and 0b, in lower case"
        case .digit(let c, let radix):
            let base = radix == 16 ? "a hexadecimal" : radix == 8 ? "an octal" : radix == 2 ? "a binary" : "a decimal"
            return "'\(c)' is not \(base) digit"
        case .noDigits: return "digits are expected after the prefix"
        case .fraction: return "a decimal point needs a digit on each side"
        case .exponent: return "the exponent needs digits"
        case .malformed: return "not a TOML integer or float"
        }
    }
}

fileprivate func hex(_ value: UInt32, width: Int) -> String {
    let s = String(value, radix: 16, uppercase: true)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
