import Testing
@testable import KhabarService

/// Every key and value keeps where it is written, so the configuration loader can name the line
/// of anything it refuses.
@Suite struct TOMLPositionTests {
    func p(_ line: Int, _ column: Int) -> TOMLPosition { TOMLPosition(line: line, column: column) }

    @Test func keysValuesAndHeaders() throws {
        let root = try TOMLParser.parse("a = 1\n[t]\n  key = \"v\"\n")
        let a = try #require(root.entry("a"))
        #expect(a.keyPosition == p(1, 1) && a.value.position == p(1, 5))
        let t = try #require(root.entry("t"))
        #expect(t.keyPosition == p(2, 2) && t.value.position == p(2, 1))
        let key = try #require(t.value.table?.entry("key"))
        #expect(key.keyPosition == p(3, 3) && key.value.position == p(3, 9))
    }

    /// Columns count scalars, not bytes: an Arabic key of five letters is five columns.
    @Test func columnsCountScalars() throws {
        let root = try TOMLParser.parse("\"روسيا\" = \"موسكو\"\nx = 'می\u{200C}خواهم' # ok\ny = 1\n")
        let key = try #require(root.entries.first)
        #expect(key.keyPosition == p(1, 1) && key.value.position == p(1, 11))
        #expect(root.entry("y")?.value.position == p(3, 5))
        do {
            _ = try TOMLParser.parse("x = 'می\u{200C}خواهم' @\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.position == p(1, 16))
        }
    }

    @Test func linesAfterMultilineStringsAndCRLF() throws {
        let root = try TOMLParser.parse("s = \"\"\"\na\nb\"\"\"\nx = 1\r\ny = '''\r\n\r\n'''\r\nz = \"\"\"\\\n\n  q\"\"\"\nw = 2")
        #expect(root.entry("x")?.keyPosition == p(4, 1))
        #expect(root.entry("y")?.keyPosition == p(5, 1))
        #expect(root.entry("z")?.keyPosition == p(8, 1))
        #expect(root.entry("w")?.keyPosition == p(11, 1))
        #expect(root["z"]?.string == "q")
    }

    @Test func arrayItemsOnTheirOwnLines() throws {
        let root = try TOMLParser.parse("feeds = [\n  \"a\",\n\t\"b\", # c\n  [1, 2],\n]\n")
        let items = try #require(root["feeds"]?.array)
        #expect(items.map(\.position) == [p(2, 3), p(3, 2), p(4, 3)])
        #expect(items[2].array?.map(\.position) == [p(4, 4), p(4, 7)])
        #expect(root["feeds"]?.position == p(1, 9))
    }

    @Test func arraysOfTables() throws {
        let root = try TOMLParser.parse("x = 0\n\n[[source]]\nname = \"a\"\n\n  [[source]]\nname = \"b\"\n")
        let source = try #require(root.entry("source"))
        #expect(source.keyPosition == p(3, 3))
        #expect(source.value.position == p(3, 1))
        let elements = try #require(source.value.array)
        #expect(elements.map(\.position) == [p(3, 1), p(6, 3)])
        #expect(elements[1].table?.entry("name")?.keyPosition == p(7, 1))
    }

    @Test func dottedAndImplicitTables() throws {
        let root = try TOMLParser.parse("a.b.c = 1\n[x.y]\n[x]\nz = {k = 2}\n")
        let a = try #require(root.entry("a"))
        #expect(a.keyPosition == p(1, 1) && a.value.position == p(1, 1))
        let b = try #require(a.value.table?.entry("b"))
        #expect(b.keyPosition == p(1, 3) && b.value.position == p(1, 3))
        #expect(b.value.table?.entry("c")?.value.position == p(1, 9))
        // `x` is created implicitly on line 2, then defined by its own header on line 3.
        let x = try #require(root.entry("x"))
        #expect(x.keyPosition == p(2, 2) && x.value.position == p(3, 1))
        #expect(x.value.table?.entry("y")?.value.position == p(2, 1))
        let z = try #require(x.value.table?.entry("z"))
        #expect(z.value.position == p(4, 5) && z.value.table?.entry("k")?.keyPosition == p(4, 6))
    }

    @Test func byteOrderMarkIsNotAColumn() throws {
        let root = try TOMLParser.parse("\u{FEFF}a = 1\n")
        #expect(root.entry("a")?.keyPosition == p(1, 1))
    }

    @Test func descriptions() {
        #expect(p(3, 10).description == "line 3, column 10")
        #expect(p(1, 9) < p(2, 1) && p(2, 1) < p(2, 2))
        #expect(TOMLLocalTime(hour: 7, minute: 5, second: 0, nanosecond: 500_000_000).description == "07:05:00.5")
        #expect(TOMLOffsetDateTime(date: TOMLLocalDate(year: 33, month: 1, day: 2), time: TOMLLocalTime(hour: 0, minute: 0, second: 0),
                                   offsetMinutes: -90).description == "0033-01-02T00:00:00-01:30")
    }
}
