import KhabarTestSupport
import Testing
@testable import KhabarService

/// Hostile input: deep nesting, huge documents, random bytes. Every input must end in a tree or
/// a `TOMLError` with a sane position, never a crash or unbounded recursion. (Speed is measured
/// by fuzzing and benchmarks, not asserted here.)
@Suite struct TOMLRobustnessTests {
    let limit = TOMLParser.maxNestingDepth

    func error(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func limitIs128() {
        #expect(limit == 128)
    }

    @Test func nestedArraysUpToTheLimit() throws {
        // `a` is level 1; 128 arrays reach level 128, and an empty innermost array is allowed.
        let ok = "a = " + String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try #require(try TOMLParser.parse(ok)["a"])
        var depth = 1
        while let inner = value.array?.first {
            value = inner
            depth += 1
        }
        #expect(depth == limit)
        let tooDeep = "a = " + String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(error(tooDeep)?.description
            == "line 1, column \(5 + limit): nesting deeper than 128 levels (arrays, tables, dotted key parts) is not supported")
        // A scalar inside 128 arrays would sit at level 129.
        #expect(error("a = " + String(repeating: "[", count: limit) + "1" + String(repeating: "]", count: limit))?.position.column == 5 + limit)
    }

    @Test func nestedInlineTablesUpToTheLimit() throws {
        let ok = "a = " + String(repeating: "{b = ", count: limit - 1) + "{}" + String(repeating: "}", count: limit - 1)
        #expect(try TOMLParser.parse(ok)["a"]?.table != nil)
        let bad = "a = " + String(repeating: "{b = ", count: limit) + "{}" + String(repeating: "}", count: limit)
        #expect(error(bad)?.reason == .tooDeep(limit: 128))
    }

    @Test func dottedKeysAndHeadersCountLevels() throws {
        let parts = (0..<limit).map { "k\($0)" }
        #expect(try TOMLParser.parse(parts.joined(separator: ".") + " = 1").count == 1)
        let long = (0...limit).map { "k\($0)" }.joined(separator: ".")
        let e = try #require(error(long + " = 1"))
        #expect(e.reason == .tooDeep(limit: 128))
        #expect(e.position.column == long.count - "k128".count + 1)
        #expect(try TOMLParser.parse("[" + parts.joined(separator: ".") + "]").count == 1)
        #expect(error("[" + long + "]")?.reason == .tooDeep(limit: 128))
        // Header parts and dotted key parts add up: 100 + 28 levels is the limit for the value.
        let header = "[" + parts.prefix(100).joined(separator: ".") + "]\n"
        #expect(try TOMLParser.parse(header + parts.prefix(28).joined(separator: ".") + " = 1").count == 1)
        #expect(error(header + parts.prefix(29).joined(separator: ".") + " = 1")?.reason == .tooDeep(limit: 128))
        // An array of tables is two levels: the array and its element.
        #expect(try TOMLParser.parse("[[" + parts.prefix(127).joined(separator: ".") + "]]").count == 1)
        #expect(error("[[" + parts.joined(separator: ".") + "]]")?.reason == .tooDeep(limit: 128))
    }

    /// Far past the limit, the parser stops at the limit and does not recurse further.
    @Test func hugeNesting() {
        let n = 1_000_000
        #expect(error("a = " + String(repeating: "[", count: n))?.reason == .tooDeep(limit: 128))
        #expect(error("a = " + String(repeating: "{b=", count: n))?.reason == .tooDeep(limit: 128))
        #expect(error(String(repeating: "[", count: n))?.reason == .headerWithoutName)
        #expect(error(Array(repeating: "k", count: 200_000).joined(separator: ".") + " = 1")?.reason == .tooDeep(limit: 128))
    }

    @Test func manyKeys() throws {
        let n = 100_000
        var text = ""
        for i in 0..<n { text += "k\(i) = \(i)\n" }
        let root = try TOMLParser.parse(text)
        #expect(root.count == n)
        #expect(root["k99999"]?.integer == 99_999)
        #expect(root.entry("k99999")?.keyPosition == TOMLPosition(line: n, column: 1))
        // A duplicate at the very end is still found.
        #expect(error(text + "k0 = 1\n")?.description == "line \(n + 1), column 1: the key 'k0' is already defined on line 1")
    }

    @Test func longArrayOnOneLine() throws {
        let n = 200_000
        let text = "a = [" + Array(repeating: "1", count: n).joined(separator: ",") + "]"
        let items = try #require(try TOMLParser.parse(text)["a"]?.array)
        #expect(items.count == n)
        #expect(items.last?.position == TOMLPosition(line: 1, column: 6 + 2 * (n - 1)))
    }

    @Test func longStringsAndComments() throws {
        let body = String(repeating: "روسیه ", count: 200_000)
        let root = try TOMLParser.parse("# " + body + "\na = \"" + body + "\"\nb = '''" + body + "'''\nc = 1")
        #expect(root["a"]?.string?.unicodeScalars.count == body.unicodeScalars.count)
        #expect(root["b"]?.string == body)
        #expect(root.entry("c")?.keyPosition.line == 4)
        let e = error("a = \"" + body + "\u{1}\"")
        #expect(e?.position == TOMLPosition(line: 1, column: 6 + body.unicodeScalars.count))
    }

    @Test func manyArrayTables() throws {
        let n = 50_000
        let text = String(repeating: "[[a]]\nx = 1\n[a.t]\n", count: n)
        let elements = try #require(try TOMLParser.parse(text)["a"]?.array)
        #expect(elements.count == n)
        #expect(elements.last?.position.line == 3 * (n - 1) + 1)
    }

    @Test func hugeNumbersAndTokens() {
        #expect(error("a = " + String(repeating: "9", count: 100_000))?.reason == .integerOutOfRange(String(repeating: "9", count: 64) + "…"))
        #expect(error("a = 1" + String(repeating: "_1", count: 100_000) + ".5e")?.position.column == 5)
        #expect(error("a = " + String(repeating: "1", count: 400) + ".0")?.reason == .floatOutOfRange(String(repeating: "1", count: 64) + "…"))
    }

    /// Random bytes, weighted towards TOML's own characters, and random damage to valid
    /// documents: each ends in a tree or an error whose position lies inside the input and whose
    /// message is one line.
    @Test func randomInputNeverCrashes() {
        var rng = SeededRandom(seed: 0x6B68_6162_6172)
        let alphabet = Array("[]{}=\"'.,#\n\r\t \\_-+:0123456789aefinrtuxzTZ".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF, 0xE2, 0x80]
        let valid = [
            "a = 1\n[t]\nb = [1, 2.5, \"x\"]\nc = {d = 1979-05-27T07:32:00Z, e = 'f'}\n[[g]]\nh = \"\"\"\nml\\\n  x\"\"\"\n",
            "[daemon]\ntimeout = \"30s\"\nrevisit = [\"1h\", \"6h\"]\n\n[[source]]\nname = \"roayah\"\nurl = \"https://roayahnews.com/\"\n",
            "x.y.z = 0x_FF\n'q' = '''lit'''\n[a.b]\n[[a.c]]\nv = -inf\nw = 00:00:00.5\n",
        ].map { Array($0.utf8) }
        var parsed = 0, refused = 0
        for round in 0..<6_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 120)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            } else {
                bytes = valid[Int(rng.next() % UInt64(valid.count))]
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let i = Int(rng.next() % UInt64(bytes.count + 1))
                    switch rng.next() % 3 {
                    case 0: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
                    case 1: if i < bytes.count { bytes.remove(at: i) }
                    default: if i < bytes.count { bytes[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                    }
                }
            }
            do {
                _ = try TOMLParser.parse(utf8: bytes)
                parsed += 1
            } catch {
                refused += 1
                let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
                #expect(error.position.line >= 1 && error.position.line <= lines, "\(bytes)")
                #expect(error.position.column >= 1 && error.byteOffset >= 0 && error.byteOffset <= bytes.count, "\(bytes)")
                #expect(!error.description.contains("\n"), "\(bytes)")
            }
        }
        // Both outcomes occur, so the generator exercises more than the first byte.
        #expect(parsed > 100 && refused > 1_000)
    }

    /// Any string that parses from bytes parses the same from a `String`.
    @Test func bytesAndStringsAgree() {
        var rng = SeededRandom(seed: 7)
        let pieces = ["a", "=", " ", "1", "\"x\"", "[", "]", "{", "}", ",", ".", "\n", "#", "é", "'y'", "[[b]]\n", "true"]
        for _ in 0..<3_000 {
            let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let fromText = Result { () throws(TOMLError) in try TOMLParser.parse(text) }
            let fromBytes = Result { () throws(TOMLError) in try TOMLParser.parse(utf8: Array(text.utf8)) }
            #expect(fromText == fromBytes, "\(text)")
        }
    }
}

