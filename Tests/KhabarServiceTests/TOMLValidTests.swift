import Foundation
import Testing
@testable import KhabarService

/// Valid TOML 1.0.0 documents and the exact trees they must give (see `TOMLRender` for the
/// notation). Modelled on the specification's own examples and the cases of toml-test.
@Suite struct TOMLValidTests {
    static let comments: [TOMLCase] = [
        TOMLCase("empty document", "", "{}"),
        TOMLCase("blank lines and whitespace only", "\n\n  \t\n", "{}"),
        TOMLCase("full-line and trailing comments", "# full line\na = 1 # trailing\n  # indented\n#last", "{a: 1}"),
        TOMLCase("comment with tab and Arabic", "a = \"x\" #\tتعليق عربي\n", "{a: \"x\"}"),
        TOMLCase("comment right after a value", "a = 'x'#c\nb = [1]#c\nc = {}#c\n", "{a: \"x\", b: [1], c: {}}"),
        TOMLCase("comment markers inside strings", "a = \"# not a comment\"\nb = '#'\n", "{a: \"# not a comment\", b: \"#\"}"),
        TOMLCase("no newline at the end", "a = 1", "{a: 1}"),
        TOMLCase("byte order mark", "\u{FEFF}a = 1\n", "{a: 1}"),
    ]

    static let keys: [TOMLCase] = [
        TOMLCase("bare keys", "key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\nA-Z_09 = 5\n",
                 "{key: 1, bare_key: 2, bare-key: 3, 1234: 4, A-Z_09: 5}"),
        TOMLCase("quoted keys", "\"127.0.0.1\" = 1\n\"character encoding\" = 2\n\"ʎǝʞ\" = 3\n'key2' = 4\n'quoted \"value\"' = 5\n",
                 "{\"127.0.0.1\": 1, \"character encoding\": 2, \"ʎǝʞ\": 3, key2: 4, \"quoted \\\"value\\\"\": 5}"),
        TOMLCase("empty quoted keys", "\"\" = 1\n", "{\"\": 1}"),
        TOMLCase("empty literal key", "'' = 2\n", "{\"\": 2}"),
        TOMLCase("escapes in a quoted key", #"" a\"b\u00E9\t" = 1"#, "{\" a\\\"bé\\u{9}\": 1}"),
        TOMLCase("no whitespace around =", "key=\"v\"\n", "{key: \"v\"}"),
        TOMLCase("tabs around =", "a\t=\t1\n", "{a: 1}"),
        TOMLCase("dotted keys", "name = \"Orange\"\nphysical.color = \"orange\"\nphysical.shape = \"round\"\nsite.\"google.com\" = true\n",
                 "{name: \"Orange\", physical: {color: \"orange\", shape: \"round\"}, site: {\"google.com\": true}}"),
        TOMLCase("whitespace around dots", "fruit . color = 1\n  fruit.\tflavor = 2\n", "{fruit: {color: 1, flavor: 2}}"),
        TOMLCase("a float-like key is two keys", "3.14159 = \"pi\"\n", "{3: {14159: \"pi\"}}"),
        TOMLCase("dotted keys in any order", "apple.type = \"fruit\"\norange.type = \"fruit\"\napple.skin = \"thin\"\n",
                 "{apple: {type: \"fruit\", skin: \"thin\"}, orange: {type: \"fruit\"}}"),
        TOMLCase("keys are case-sensitive", "a = 1\nA = 2\n", "{a: 1, A: 2}"),
        TOMLCase("keys are not normalised", "\"\u{E9}\" = 1\n\"e\u{301}\" = 2\n", "{\"\u{E9}\": 1, \"e\u{301}\": 2}"),
        TOMLCase("quoted and bare parts together", "a.\"b.c\".'d' = 1\n", "{a: {\"b.c\": {d: 1}}}"),
        TOMLCase("keyword-like keys", "true = 1\ninf = 2\nnan = 3\n", "{true: 1, inf: 2, nan: 3}"),
    ]

    static let strings: [TOMLCase] = [
        TOMLCase("every escape", #"s = "\b\t\n\f\r\"\\\u00E9\U0001F600""#,
                 "{s: \"\\u{8}\\u{9}\\u{a}\\u{c}\\u{d}\\\"\\\\é😀\"}"),
        TOMLCase("tab and Unicode as they are", "s = \"a\tb ی‌ک\"\n", "{s: \"a\\u{9}b ی‌ک\"}"),
        TOMLCase("literal strings keep backslashes", #"a = 'C:\Users\nodejs\templates'"# + "\n" + #"b = '<\i\c*\s*>'"#,
                 #"{a: "C:\\Users\\nodejs\\templates", b: "<\\i\\c*\\s*>"}"#),
        TOMLCase("multi-line basic trims the first newline", "s = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n",
                 "{s: \"Roses are red\\u{a}Violets are blue\"}"),
        TOMLCase("line-ending backslash", "s = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"\n",
                 "{s: \"The quick brown fox jumps over the lazy dog.\"}"),
        TOMLCase("line-ending backslash with trailing spaces", "s = \"\"\"a \\  \t\n   b\"\"\"\n", "{s: \"a b\"}"),
        TOMLCase("line-ending backslash before the end", "s = \"\"\"a\\\n  \"\"\"\n", "{s: \"a\"}"),
        TOMLCase("quotes inside multi-line basic", "s = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"\n",
                 "{s: \"Here are two quotation marks: \\\"\\\". Simple enough.\"}"),
        TOMLCase("escaped third quote", ##"s = """Here are three quotation marks: ""\".""""##,
                 "{s: \"Here are three quotation marks: \\\"\\\"\\\".\"}"),
        TOMLCase("quotes right before the closing delimiter", ##"s = """"This," she said, "is just a pointless statement."""""##,
                 "{s: \"\\\"This,\\\" she said, \\\"is just a pointless statement.\\\"\"}"),
        TOMLCase("two quotes before the delimiter", "s = \"\"\"a\"\"\"\"\"\n", "{s: \"a\\\"\\\"\"}"),
        TOMLCase("multi-line literal", "s = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n",
                 "{s: \"The first newline is\\u{a}trimmed in raw strings.\\u{a}   All other whitespace\\u{a}   is preserved.\\u{a}\"}"),
        TOMLCase("quotes inside multi-line literal", "s = ''''That,' she said, 'is still pointless.''''\n",
                 "{s: \"'That,' she said, 'is still pointless.'\"}"),
        TOMLCase("multi-line literal keeps backslashes", "s = '''a\\b\\\n c'''\n", "{s: \"a\\\\b\\\\\\u{a} c\"}"),
        TOMLCase("CRLF in multi-line strings becomes LF", "s = \"\"\"\r\na\r\nb\"\"\"\r\nt = '''x\r\ny'''\r\n",
                 "{s: \"a\\u{a}b\", t: \"x\\u{a}y\"}"),
        TOMLCase("empty strings", "a = \"\"\nb = ''\nc = \"\"\"\"\"\"\nd = ''''''\n", "{a: \"\", b: \"\", c: \"\", d: \"\"}"),
        TOMLCase("escapes in multi-line basic", "s = \"\"\"\\u0041\\t\\\"\"\"\"\n", "{s: \"A\\u{9}\\\"\"}"),
        TOMLCase("a lone quote in multi-line literal", "s = '''it's'''\n", "{s: \"it's\"}"),
        TOMLCase("highest scalar and BMP edge", #"a = "\U0010FFFF\uFFFF\uE000\u0000""#, "{a: \"\u{10FFFF}\u{FFFF}\u{E000}\\u{0}\"}"),
    ]

    static let integers: [TOMLCase] = [
        TOMLCase("decimal integers", "a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221\ng = 1_2_3_4_5\nh = -0\ni = +0\n",
                 "{a: 99, b: 42, c: 0, d: -17, e: 1000, f: 5349221, g: 12345, h: 0, i: 0}"),
        TOMLCase("hexadecimal, octal and binary", "h1 = 0xDEADBEEF\nh2 = 0xdeadbeef\nh3 = 0xdead_beef\no1 = 0o01234567\no2 = 0o755\nb1 = 0b11010110\nz = 0x0\nlz = 0x00ff\n",
                 "{h1: 3735928559, h2: 3735928559, h3: 3735928559, o1: 342391, o2: 493, b1: 214, z: 0, lz: 255}"),
        TOMLCase("64-bit limits", "max = 9223372036854775807\nmin = -9223372036854775808\nhex = 0x7FFFFFFFFFFFFFFF\nbin = 0b111\n",
                 "{max: 9223372036854775807, min: -9223372036854775808, hex: 9223372036854775807, bin: 7}"),
    ]

    static let floats: [TOMLCase] = [
        TOMLCase("fractions and exponents", "f1 = +1.0\nf2 = 3.1415\nf3 = -0.01\nf4 = 5e+22\nf5 = 1e06\nf6 = -2E-2\nf7 = 6.626e-34\n",
                 "{f1: f:1.0, f2: f:3.1415, f3: f:-0.01, f4: f:5e+22, f5: f:1000000.0, f6: f:-0.02, f7: f:6.626e-34}"),
        TOMLCase("underscores and zeros", "a = 224_617.445_991_228\nb = -0.0\nc = +0.0\nd = 0e0\ne = 1e1_0\nf = 3e007\n",
                 "{a: f:224617.445991228, b: f:-0.0, c: f:0.0, d: f:0.0, e: f:10000000000.0, f: f:30000000.0}"),
        TOMLCase("infinity and not-a-number", "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\n",
                 "{a: f:inf, b: f:inf, c: f:-inf, d: f:nan, e: f:nan, f: f:-nan}"),
        TOMLCase("extremes", "big = 1.7976931348623157e308\ntiny = 1e-400\nsmall = 5e-324\n",
                 "{big: f:1.7976931348623157e+308, tiny: f:0.0, small: f:5e-324}"),
    ]

    static let booleansAndDates: [TOMLCase] = [
        TOMLCase("booleans", "t = true\nf = false\n", "{t: true, f: false}"),
        TOMLCase("offset date-times",
                 "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999-07:00\nd = 1979-05-27 07:32:00Z\ne = 1979-05-27t07:32:00z\nf = 1979-05-27T07:32:00+03:30\n",
                 "{a: odt:1979-05-27T07:32:00Z, b: odt:1979-05-27T00:32:00-07:00, c: odt:1979-05-27T00:32:00.999999-07:00, d: odt:1979-05-27T07:32:00Z, e: odt:1979-05-27T07:32:00Z, f: odt:1979-05-27T07:32:00+03:30}"),
        TOMLCase("offset -00:00 and +00:00 are zero", "a = 2000-01-01T00:00:00-00:00\nb = 2000-01-01T00:00:00+00:00\n",
                 "{a: odt:2000-01-01T00:00:00Z, b: odt:2000-01-01T00:00:00Z}"),
        TOMLCase("local date-times", "a = 1979-05-27T07:32:00\nb = 1979-05-27T00:32:00.999999\nc = 1979-05-27 07:32:00\n",
                 "{a: ldt:1979-05-27T07:32:00, b: ldt:1979-05-27T00:32:00.999999, c: ldt:1979-05-27T07:32:00}"),
        TOMLCase("local dates and times", "d = 1979-05-27\nt1 = 07:32:00\nt2 = 00:32:00.999999\n",
                 "{d: ld:1979-05-27, t1: lt:07:32:00, t2: lt:00:32:00.999999}"),
        TOMLCase("date edges, leap days, leap second",
                 "a = 0000-01-01\nb = 9999-12-31T23:59:59Z\nc = 2000-02-29\nd = 2024-02-29\ne = 23:59:60\nf = 1600-02-29\n",
                 "{a: ld:0000-01-01, b: odt:9999-12-31T23:59:59Z, c: ld:2000-02-29, d: ld:2024-02-29, e: lt:23:59:60, f: ld:1600-02-29}"),
        TOMLCase("fraction beyond nanoseconds is truncated", "t = 00:00:00.1234567891\nu = 00:00:00.5\n",
                 "{t: lt:00:00:00.123456789, u: lt:00:00:00.5}"),
        TOMLCase("a date, a space and a comment", "d = 1979-05-27 # comment\ne = 1979-05-27 \n", "{d: ld:1979-05-27, e: ld:1979-05-27}"),
        TOMLCase("dates in arrays and inline tables", "a = [1979-05-27, 07:32:00, 1979-05-27 07:32:00]\nb = {d = 1979-05-27T07:32:00Z}\n",
                 "{a: [ld:1979-05-27, lt:07:32:00, ldt:1979-05-27T07:32:00], b: {d: odt:1979-05-27T07:32:00Z}}"),
    ]

    static let arrays: [TOMLCase] = [
        TOMLCase("arrays from the specification",
                 "integers = [ 1, 2, 3 ]\ncolors = [ \"red\", \"yellow\", \"green\" ]\nnested = [ [ 1, 2 ], [3, 4, 5] ]\nmixed = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]\nstrings = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]\n",
                 "{integers: [1, 2, 3], colors: [\"red\", \"yellow\", \"green\"], nested: [[1, 2], [3, 4, 5]], mixed: [[1, 2], [\"a\", \"b\", \"c\"]], strings: [\"all\", \"strings\", \"are the same\", \"type\"]}"),
        TOMLCase("mixed types",
                 "numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\ncontributors = [ \"Foo Bar <foo@example.com>\", { name = \"Baz Qux\", email = \"bazqux@example.com\" } ]\n",
                 "{numbers: [f:0.1, f:0.2, f:0.5, 1, 2, 5], contributors: [\"Foo Bar <foo@example.com>\", {name: \"Baz Qux\", email: \"bazqux@example.com\"}]}"),
        TOMLCase("newlines, comments and a trailing comma", "a = [\n  1,\n  2, # this is ok\n]\nb = [ # c\n  # another\n  1 # after\n  , 2\n , ]\n",
                 "{a: [1, 2], b: [1, 2]}"),
        TOMLCase("CRLF inside an array", "a = [\r\n1,\r\n2\r\n]\r\n", "{a: [1, 2]}"),
        TOMLCase("empty arrays", "a = []\nb = [ ]\nc = [\n]\nd = [[]]\ne = [[], [[]]]\n", "{a: [], b: [], c: [], d: [[]], e: [[], [[]]]}"),
        TOMLCase("strings with brackets and commas", "a = [\"]\", ',', \"[\", \"\"\"\n]\"\"\"]\n",
                 "{a: [\"]\", \",\", \"[\", \"]\"]}"),
        TOMLCase("inline tables in an array", "points = [ { x = 1, y = 2 },\n  { x = 7, y = 8 } ]\n",
                 "{points: [{x: 1, y: 2}, {x: 7, y: 8}]}"),
    ]

    static let inlineTables: [TOMLCase] = [
        TOMLCase("inline tables from the specification",
                 "name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = \"pug\" }\n",
                 "{name: {first: \"Tom\", last: \"Preston-Werner\"}, point: {x: 1, y: 2}, animal: {type: {name: \"pug\"}}}"),
        TOMLCase("empty and nested", "a = {}\nb = { }\nc = { d = { e = { } } }\n", "{a: {}, b: {}, c: {d: {e: {}}}}"),
        TOMLCase("dotted keys inside", "a = { b.c = 1, b.d = 2, 'e'.\"f\" = 3 }\n", "{a: {b: {c: 1, d: 2}, e: {f: 3}}}"),
        TOMLCase("values spanning lines inside", "a = { b = [\n1,\n2], c = \"\"\"x\ny\"\"\" }\n", "{a: {b: [1, 2], c: \"x\\u{a}y\"}}"),
        TOMLCase("no whitespace", "a={b=1,c=\"x\"}\n", "{a: {b: 1, c: \"x\"}}"),
        TOMLCase("inline table as a dotted key's value", "a.b = { c = 1 }\n", "{a: {b: {c: 1}}}"),
    ]

    static let tables: [TOMLCase] = [
        TOMLCase("two tables", "[table-1]\nkey1 = \"some string\"\nkey2 = 123\n\n[table-2]\nkey1 = \"another string\"\nkey2 = 456\n",
                 "{table-1: {key1: \"some string\", key2: 123}, table-2: {key1: \"another string\", key2: 456}}"),
        TOMLCase("quoted header parts and dotted keys", "[dog.\"tater.man\"]\ntype.name = \"pug\"\n",
                 "{dog: {\"tater.man\": {type: {name: \"pug\"}}}}"),
        TOMLCase("whitespace in headers", "[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n[ j . \"ʞ\" . 'l' ]\n[\tm\t]\n",
                 "{a: {b: {c: {}}}, d: {e: {f: {}}}, g: {h: {i: {}}}, j: {\"ʞ\": {l: {}}}, m: {}}"),
        TOMLCase("super-table defined after its sub-table", "[x.y.z.w]\na = 1\n[x]\nb = 2\n", "{x: {y: {z: {w: {a: 1}}}, b: 2}}"),
        TOMLCase("empty table", "[empty]\n", "{empty: {}}"),
        TOMLCase("tables out of order", "[fruit.apple]\n[animal]\n[fruit.orange]\n", "{fruit: {apple: {}, orange: {}}, animal: {}}"),
        TOMLCase("root keys before tables", "a = 1\n[t]\nb = 2\n", "{a: 1, t: {b: 2}}"),
        TOMLCase("sub-tables inside a table defined by dotted keys",
                 "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n\n[fruit.apple.texture]\nsmooth = true\n",
                 "{fruit: {apple: {color: \"red\", taste: {sweet: true}, texture: {smooth: true}}}}"),
        TOMLCase("dotted keys through an implicit table", "[a.b.c]\nz = 9\n[a]\nb.d = 1\n", "{a: {b: {c: {z: 9}, d: 1}}}"),
        TOMLCase("header with a key named like a keyword", "[true]\n[1979-05-27]\n", "{true: {}, 1979-05-27: {}}"),
        TOMLCase("CRLF document", "a = 1\r\n[t]\r\nb = \"x\" # c\r\n\r\n", "{a: 1, t: {b: \"x\"}}"),
    ]

    static let arraysOfTables: [TOMLCase] = [
        TOMLCase("products",
                 "[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]  # empty table within the array\n\n[[products]]\nname = \"Nail\"\nsku = 284758393\n\ncolor = \"gray\"\n",
                 "{products: [{name: \"Hammer\", sku: 738594937}, {}, {name: \"Nail\", sku: 284758393, color: \"gray\"}]}"),
        TOMLCase("nested arrays of tables and sub-tables",
                 """
                 [[fruits]]
                 name = "apple"

                 [fruits.physical]  # subtable
                 color = "red"
                 shape = "round"

                 [[fruits.varieties]]  # nested array of tables
                 name = "red delicious"

                 [[fruits.varieties]]
                 name = "granny smith"

                 [[fruits]]
                 name = "banana"

                 [[fruits.varieties]]
                 name = "plantain"
                 """,
                 "{fruits: [{name: \"apple\", physical: {color: \"red\", shape: \"round\"}, varieties: [{name: \"red delicious\"}, {name: \"granny smith\"}]}, {name: \"banana\", varieties: [{name: \"plantain\"}]}]}"),
        TOMLCase("implicit parent defined afterwards", "[[a.b]]\nx = 1\n[a]\nc = 2\n", "{a: {b: [{x: 1}], c: 2}}"),
        TOMLCase("same sub-table in each element", "[[a]]\n[a.t]\nx = 1\n[[a]]\n[a.t]\nx = 2\n", "{a: [{t: {x: 1}}, {t: {x: 2}}]}"),
        TOMLCase("dotted keys in an element", "[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n", "{a: [{b: {c: 1}}, {b: {c: 2}}]}"),
        TOMLCase("whitespace inside [[ ]]", "[[ a . b ]]\n", "{a: {b: [{}]}}"),
    ]

    static let unicode: [TOMLCase] = [
        TOMLCase("Persian with a zero-width non-joiner", "fa = \"می\u{200C}خواهم\"\n\"کلید\" = 'روسیه'\n",
                 "{fa: \"می\u{200C}خواهم\", \"کلید\": \"روسیه\"}"),
        TOMLCase("Arabic, emoji and combining marks", "a = \"روسيا 🇮🇷 e\u{301}\"\n", "{a: \"روسيا 🇮🇷 e\u{301}\"}"),
    ]

    @Test(arguments: comments + keys + strings)
    func commentsKeysAndStrings(_ c: TOMLCase) {
        let got = renderTOML(c.toml)
        #expect(sameScalars(got, c.expected), "\(got)")
    }

    @Test(arguments: integers + floats + booleansAndDates)
    func numbersBooleansAndDates(_ c: TOMLCase) {
        let got = renderTOML(c.toml)
        #expect(sameScalars(got, c.expected), "\(got)")
    }

    @Test(arguments: arrays + inlineTables + tables + arraysOfTables + unicode)
    func arraysAndTables(_ c: TOMLCase) {
        let got = renderTOML(c.toml)
        #expect(sameScalars(got, c.expected), "\(got)")
    }

    /// The specification's example document, whole.
    @Test func specificationExample() throws {
        let text = """
        # This is a TOML document

        title = "TOML Example"

        [owner]
        name = "Tom Preston-Werner"
        dob = 1979-05-27T07:32:00-08:00

        [database]
        enabled = true
        ports = [ 8000, 8001, 8002 ]
        data = [ ["delta", "phi"], [3.14] ]
        temp_targets = { cpu = 79.5, case = 72.0 }

        [servers]

        [servers.alpha]
        ip = "10.0.0.1"
        role = "frontend"

        [servers.beta]
        ip = "10.0.0.2"
        role = "backend"
        """
        let expected = "{title: \"TOML Example\", owner: {name: \"Tom Preston-Werner\", dob: odt:1979-05-27T07:32:00-08:00}, "
            + "database: {enabled: true, ports: [8000, 8001, 8002], data: [[\"delta\", \"phi\"], [f:3.14]], temp_targets: {cpu: f:79.5, case: f:72.0}}, "
            + "servers: {alpha: {ip: \"10.0.0.1\", role: \"frontend\"}, beta: {ip: \"10.0.0.2\", role: \"backend\"}}}"
        #expect(sameScalars(renderTOML(text), expected), "\(renderTOML(text))")
    }

    /// Accessors and lookups that the configuration loader relies on.
    @Test func accessors() throws {
        let t = try TOMLParser.parse("s = 'x'\ni = 3\nf = 1.5\nb = true\na = [1]\nt = {k = 1}\nd = 1979-05-27\n")
        #expect(t.keys == ["s", "i", "f", "b", "a", "t", "d"])
        #expect(t.count == 7 && !t.isEmpty)
        #expect(t["s"]?.string == "x" && t["s"]?.integer == nil)
        #expect(t["i"]?.integer == 3 && t["i"]?.float == nil)
        #expect(t["f"]?.float == 1.5)
        #expect(t["b"]?.bool == true)
        #expect(t["a"]?.array?.map(\.integer) == [1])
        #expect(t["t"]?.table?["k"]?.integer == 1)
        #expect(t["missing"] == nil)
        #expect(t.entry("d")?.value.kind == .localDate(TOMLLocalDate(year: 1979, month: 5, day: 27)))
        #expect(["s", "i", "f", "b", "a", "t", "d"].compactMap { t[$0]?.typeName }
            == ["string", "integer", "float", "boolean", "array", "table", "local date"])
        #expect(try TOMLParser.parse("a = 1979-05-27T07:32:00Z\nb = 1979-05-27T07:32:00\nc = 07:32:00\n").entries.map(\.value.typeName)
            == ["offset date-time", "local date-time", "local time"])
    }

    /// The fuzzer's seeds: the valid ones parse, the `crash-` and `toml-invalid-` ones are refused.
    @Test func fuzzSeeds() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let dir = url.path + "/Fuzz/seeds/FuzzConfig/"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names.count >= 10)
        for name in names {
            let bytes = try #require(FileManager.default.contents(atPath: dir + name))
            let refused = name.hasPrefix("crash-") || name.hasPrefix("toml-invalid-")
            do {
                _ = try TOMLParser.parse(utf8: [UInt8](bytes))
                #expect(!refused, "\(name) parsed")
            } catch {
                #expect(refused, "\(name): \(error)")
            }
        }
    }

    /// The same document read from bytes and from a String gives the same tree.
    @Test func bytesAndTextAgree() throws {
        let text = "a = \"روسیه\"\n[t]\nb = [1, 2.5, 1979-05-27]\n"
        #expect(try TOMLParser.parse(text) == TOMLParser.parse(utf8: Array(text.utf8)))
    }
}
