import Testing
@testable import KhabarService

/// A compact, exact text form of a parsed TOML tree, so a test can state a whole expected tree
/// on one line: tables `{key: value, …}` in document order, arrays `[…]`, strings in double
/// quotes (control characters as `\u{…}`), integers as digits, floats `f:…`, booleans, and
/// dates `odt:`, `ldt:`, `ld:`, `lt:` followed by their RFC 3339 text. Compare the result with
/// `sameScalars`, never `==`: Swift's `String ==` would equate precomposed and decomposed text.
enum TOMLRender {
    static func table(_ t: TOMLTable) -> String {
        "{" + t.entries.map { key($0.key) + ": " + value($0.value) }.joined(separator: ", ") + "}"
    }

    static func value(_ v: TOMLValue) -> String {
        switch v.kind {
        case .string(let s): return quoted(s)
        case .integer(let n): return String(n)
        case .float(let x): return "f:\(x)"
        case .boolean(let b): return b ? "true" : "false"
        case .offsetDateTime(let t): return "odt:\(t)"
        case .localDateTime(let t): return "ldt:\(t)"
        case .localDate(let t): return "ld:\(t)"
        case .localTime(let t): return "lt:\(t)"
        case .array(let items): return "[" + items.map(value).joined(separator: ", ") + "]"
        case .table(let t): return table(t)
        }
    }

    static func key(_ k: String) -> String {
        let bare = !k.isEmpty && k.unicodeScalars.allSatisfy {
            $0.isASCII && (($0.properties.isAlphabetic) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
        return bare ? k : quoted(k)
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20 || c.value == 0x7F: out += "\\u{\(String(c.value, radix: 16))}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

/// Exact equality, scalar by scalar.
func sameScalars(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.elementsEqual(b.unicodeScalars)
}

/// The rendered tree of `text`, or `error: <description>`.
func renderTOML(_ text: String) -> String {
    do {
        return TOMLRender.table(try TOMLParser.parse(text))
    } catch {
        return "error: \(error)"
    }
}

/// The error's description (`line L, column C: message`), or `parsed: <tree>` when it parsed.
func tomlError(_ bytes: [UInt8]) -> String {
    do {
        return "parsed: " + TOMLRender.table(try TOMLParser.parse(utf8: bytes))
    } catch {
        return error.description
    }
}

/// A named document and what is expected of it, shown by name in test results.
struct TOMLCase: Sendable, CustomTestStringConvertible {
    let name: String
    let toml: String
    let expected: String

    init(_ name: String, _ toml: String, _ expected: String) {
        self.name = name
        self.toml = toml
        self.expected = expected
    }

    var testDescription: String { name }
}
