import Foundation
import Testing
@testable import KhabarService

/// Invalid TOML 1.0.0 documents, each with the exact error it must give: position and message.
/// Modelled on toml-test's invalid cases, plus the inputs that made toml++ abort.
@Suite struct TOMLInvalidTests {
    static let fuzzFindings: [TOMLCase] = [
        TOMLCase("header without a name (toml++ abort)", "[\n", "line 1, column 1: a table header needs a name after '['"),
        TOMLCase("brace inside an array (toml++ abort)", "x = [\"1h\", }\n", "line 1, column 12: expected a value or ']', found '}'"),
        TOMLCase("the header-without-name seed", "[\ntimeout = \"30s\"\n", "line 1, column 1: a table header needs a name after '['"),
        TOMLCase("control characters inside [[…]] (toml++ abort)", "[daemon]\ntimeout = \"60s\"\n\n[[\u{17}\0\0\0\0\0\0\0\0source]]\nname = \"a\"\n",
                 "line 4, column 3: control character U+0017 is not allowed in TOML"),
    ]

    static let characters: [TOMLCase] = [
        TOMLCase("NUL in a string", "a = \"\u{0}\"", "line 1, column 6: control character U+0000 is not allowed in TOML"),
        TOMLCase("DEL in a comment", "# \u{7F}", "line 1, column 3: control character U+007F is not allowed in TOML"),
        TOMLCase("control after a comment's text", "a = 1 # \u{1}", "line 1, column 9: control character U+0001 is not allowed in TOML"),
        TOMLCase("lone CR at the end", "a = 1\r", "line 1, column 6: a carriage return not followed by a line feed is not allowed in TOML"),
        TOMLCase("lone CR in a comment", "# a\rb\n", "line 1, column 4: a carriage return not followed by a line feed is not allowed in TOML"),
        TOMLCase("lone CR in a string", "a = \"x\ry\"", "line 1, column 7: a carriage return not followed by a line feed is not allowed in TOML"),
        TOMLCase("lone CR in a multi-line string", "a = \"\"\"x\ry\"\"\"", "line 1, column 9: a carriage return not followed by a line feed is not allowed in TOML"),
        TOMLCase("control in a literal string", "a = 'x\u{1F}'", "line 1, column 7: control character U+001F is not allowed in TOML"),
        TOMLCase("control in a multi-line basic string", "a = \"\"\"\u{8}\"\"\"", "line 1, column 8: control character U+0008 is not allowed in TOML"),
        TOMLCase("control in a multi-line literal string", "a = '''\u{7F}'''", "line 1, column 8: control character U+007F is not allowed in TOML"),
        TOMLCase("form feed at the start of a line", "\u{C}a = 1", "line 1, column 1: control character U+000C is not allowed in TOML"),
        TOMLCase("vertical tab before a value", "a = \u{B}1", "line 1, column 5: control character U+000B is not allowed in TOML"),
        TOMLCase("control after '['", "[\u{1}a]", "line 1, column 2: control character U+0001 is not allowed in TOML"),
    ]

    static let keys: [TOMLCase] = [
        TOMLCase("no key", "= 1", "line 1, column 1: expected a key, a [table] header or a comment, found '='"),
        TOMLCase("space inside a bare key", "a b = 1", "line 1, column 3: expected '=' after the key, found 'b'"),
        TOMLCase("duplicate key", "a = 1\na = 2", "line 2, column 1: the key 'a' is already defined on line 1"),
        TOMLCase("quoted and bare spelling of one key", "\"a\" = 1\na = 2", "line 2, column 1: the key 'a' is already defined on line 1"),
        TOMLCase("dot before '='", "a. = 1", "line 1, column 4: expected a key after '.', found '='"),
        TOMLCase("leading dot", ".a = 1", "line 1, column 1: expected a key, a [table] header or a comment, found '.'"),
        TOMLCase("two dots", "a..b = 1", "line 1, column 3: expected a key after '.', found '.'"),
        TOMLCase("multi-line string as a key", "\"\"\"a\"\"\" = 1", "line 1, column 1: a key cannot be a multi-line string"),
        TOMLCase("key without '='", "a", "line 1, column 2: expected '=' after the key, found the end of the file"),
        TOMLCase("no value at the end of the file", "a =", "line 1, column 4: expected a value after '=', found the end of the file"),
        TOMLCase("comment instead of a value", "a = # c", "line 1, column 5: expected a value after '=', found '#'"),
        TOMLCase("value on the next line", "a =\n1", "line 1, column 4: expected a value after '=', found the end of the line"),
        TOMLCase("non-ASCII bare key", "ʎ = 1", "line 1, column 1: expected a key, a [table] header or a comment, found 'ʎ' (U+028E)"),
        TOMLCase("no-break space after a key", "a\u{A0}= 1", "line 1, column 2: expected '=' after the key, found U+00A0"),
        TOMLCase("duplicate dotted key", "a.b = 1\na.b = 2", "line 2, column 3: the key 'a.b' is already defined on line 1"),
        TOMLCase("dotted key through a value", "a = 1\na.b = 2", "line 2, column 1: 'a' already holds a value (line 1), not a table"),
        TOMLCase("key over a dotted table", "a.b = 1\na = 2", "line 2, column 1: the key 'a' is already defined on line 1"),
        TOMLCase("two pairs on one line", "a = 1 b = 2", "line 1, column 7: expected a new line after the value, found 'b'"),
        TOMLCase("newline in a quoted key", "\"a\nb\" = 1",
                 "line 1, column 1: unterminated string: a string in \"…\" must end on the line where it starts (\"\"\" starts a multi-line string)"),
    ]

    static let strings: [TOMLCase] = [
        TOMLCase("unterminated basic string", "a = \"abc",
                 "line 1, column 5: unterminated string: a string in \"…\" must end on the line where it starts (\"\"\" starts a multi-line string)"),
        TOMLCase("unterminated literal string", "a = 'abc\nb = 1",
                 "line 1, column 5: unterminated string: a string in '…' must end on the line where it starts (''' starts a multi-line string)"),
        TOMLCase("unterminated multi-line basic string", "a = \"\"\"abc\n", "line 1, column 5: unterminated multi-line string: no closing \"\"\""),
        TOMLCase("unterminated multi-line literal string", "a = '''abc''", "line 1, column 5: unterminated multi-line string: no closing '''"),
        TOMLCase("unknown escape", #"a = "\q""#, #"line 1, column 6: invalid escape '\q' in a string; TOML has \b \t \n \f \r \" \\ \uXXXX and \UXXXXXXXX"#),
        TOMLCase("\\x is TOML 1.1", #"a = "\x41""#, #"line 1, column 6: invalid escape '\x' in a string; TOML has \b \t \n \f \r \" \\ \uXXXX and \UXXXXXXXX"#),
        TOMLCase("\\e is TOML 1.1", #"a = "\e""#, #"line 1, column 6: invalid escape '\e' in a string; TOML has \b \t \n \f \r \" \\ \uXXXX and \UXXXXXXXX"#),
        TOMLCase("short \\u", #"a = "\u12""#, #"line 1, column 6: \u needs 4 hexadecimal digits"#),
        TOMLCase("non-hex \\u", #"a = "\uXYZW""#, #"line 1, column 6: \u needs 4 hexadecimal digits"#),
        TOMLCase("short \\U", #"a = "\U0001F60""#, #"line 1, column 6: \U needs 8 hexadecimal digits"#),
        TOMLCase("surrogate \\U", #"a = "\U0000D800""#, #"line 1, column 6: \U0000D800 is not a Unicode scalar value (surrogates D800–DFFF and values above 10FFFF are not)"#),
        TOMLCase("surrogate \\u", #"a = "x\uDFFF""#, #"line 1, column 7: \uDFFF is not a Unicode scalar value (surrogates D800–DFFF and values above 10FFFF are not)"#),
        TOMLCase("beyond 10FFFF", #"a = "\U00110000""#, #"line 1, column 6: \U00110000 is not a Unicode scalar value (surrogates D800–DFFF and values above 10FFFF are not)"#),
        TOMLCase("backslash and space, not at the end of a line", "a = \"\"\"a\\ b\"\"\"",
                 #"line 1, column 9: invalid escape '\ ' in a string; TOML has \b \t \n \f \r \" \\ \uXXXX and \UXXXXXXXX"#),
        TOMLCase("backslash and tab in a basic string", "a = \"\\\tb\"",
                 #"line 1, column 6: invalid escape '\' followed by U+0009 in a string; TOML has \b \t \n \f \r \" \\ \uXXXX and \UXXXXXXXX"#),
        TOMLCase("line-ending backslash in a basic string", "a = \"a\\\nb\"",
                 #"line 1, column 7: invalid escape '\' followed by U+000A in a string; TOML has \b \t \n \f \r \" \\ \uXXXX and \UXXXXXXXX"#),
        TOMLCase("six closing quotes", "a = \"\"\"a\"\"\"\"\"\"", "line 1, column 14: expected a new line after the value, found '\"'"),
        TOMLCase("text after a string", "a = \"x\"y", "line 1, column 8: expected a new line after the value, found 'y'"),
    ]

    static let numbers: [TOMLCase] = [
        TOMLCase("leading zero", "a = 01", "line 1, column 5: invalid number '01': leading zeros are not allowed"),
        TOMLCase("leading zero with underscore", "a = 0_0", "line 1, column 5: invalid number '0_0': leading zeros are not allowed"),
        TOMLCase("leading zero after a sign", "a = -01", "line 1, column 5: invalid number '-01': leading zeros are not allowed"),
        TOMLCase("two signs", "a = ++99", "line 1, column 5: invalid number '++99': not a TOML integer or float"),
        TOMLCase("sign alone", "a = -", "line 1, column 5: invalid number '-': not a TOML integer or float"),
        TOMLCase("negative hex", "a = -0xff", "line 1, column 5: invalid number '-0xff': hexadecimal, octal and binary integers cannot have a sign"),
        TOMLCase("positive binary", "a = +0b1", "line 1, column 5: invalid number '+0b1': hexadecimal, octal and binary integers cannot have a sign"),
        TOMLCase("trailing underscore", "a = 123_", "line 1, column 5: invalid number '123_': an underscore must stand between two digits"),
        TOMLCase("leading underscore", "a = _123", "line 1, column 5: invalid number '_123': an underscore must stand between two digits"),
        TOMLCase("double underscore", "a = 1__23", "line 1, column 5: invalid number '1__23': an underscore must stand between two digits"),
        TOMLCase("underscore after 0x", "a = 0x_1", "line 1, column 5: invalid number '0x_1': an underscore must stand between two digits"),
        TOMLCase("underscore at the end of hex", "a = 0x1_", "line 1, column 5: invalid number '0x1_': an underscore must stand between two digits"),
        TOMLCase("underscore after 0o", "a = 0o_1", "line 1, column 5: invalid number '0o_1': an underscore must stand between two digits"),
        TOMLCase("bad hex digit", "a = 0xaafz", "line 1, column 5: invalid number '0xaafz': 'z' is not a hexadecimal digit"),
        TOMLCase("bad octal digit", "a = 0o778", "line 1, column 5: invalid number '0o778': '8' is not an octal digit"),
        TOMLCase("bad binary digit", "a = 0b0012", "line 1, column 5: invalid number '0b0012': '2' is not a binary digit"),
        TOMLCase("capital prefix", "a = 0X1", "line 1, column 5: invalid number '0X1': the prefixes are 0x, 0o and 0b, in lower case"),
        TOMLCase("prefix without digits", "a = 0x", "line 1, column 5: invalid number '0x': digits are expected after the prefix"),
        TOMLCase("letter in a decimal", "a = 1x", "line 1, column 5: invalid number '1x': 'x' is not a decimal digit"),
        TOMLCase("above Int64.max", "a = 9223372036854775808",
                 "line 1, column 5: the integer 9223372036854775808 does not fit in 64 bits (-9223372036854775808 to 9223372036854775807)"),
        TOMLCase("below Int64.min", "a = -9223372036854775809",
                 "line 1, column 5: the integer -9223372036854775809 does not fit in 64 bits (-9223372036854775808 to 9223372036854775807)"),
        TOMLCase("hex above Int64.max", "a = 0x8000000000000000",
                 "line 1, column 5: the integer 0x8000000000000000 does not fit in 64 bits (-9223372036854775808 to 9223372036854775807)"),
        TOMLCase("hex beyond 64 bits", "a = 0xFFFFFFFFFFFFFFFFF",
                 "line 1, column 5: the integer 0xFFFFFFFFFFFFFFFFF does not fit in 64 bits (-9223372036854775808 to 9223372036854775807)"),
        TOMLCase("two numbers", "a = 1 2", "line 1, column 7: expected a new line after the value, found '2'"),
        TOMLCase("no digit before the point", "a = .5", "line 1, column 5: invalid number '.5': a decimal point needs a digit on each side"),
        TOMLCase("no digit before the point, signed", "a = -.5", "line 1, column 5: invalid number '-.5': a decimal point needs a digit on each side"),
        TOMLCase("no digit after the point", "a = 5.", "line 1, column 5: invalid number '5.': a decimal point needs a digit on each side"),
        TOMLCase("exponent right after the point", "a = 1.e5", "line 1, column 5: invalid number '1.e5': a decimal point needs a digit on each side"),
        TOMLCase("empty exponent", "a = 1e", "line 1, column 5: invalid number '1e': the exponent needs digits"),
        TOMLCase("signed empty exponent", "a = 1.5E+", "line 1, column 5: invalid number '1.5E+': the exponent needs digits"),
        TOMLCase("underscore before the point", "a = 1_.5", "line 1, column 5: invalid number '1_.5': an underscore must stand between two digits"),
        TOMLCase("underscore after the point", "a = 1._5", "line 1, column 5: invalid number '1._5': an underscore must stand between two digits"),
        TOMLCase("underscore at the end of a float", "a = 1.5_", "line 1, column 5: invalid number '1.5_': an underscore must stand between two digits"),
        TOMLCase("underscore after e", "a = 1e_5", "line 1, column 5: invalid number '1e_5': an underscore must stand between two digits"),
        TOMLCase("leading zero in a float", "a = 01.5", "line 1, column 5: invalid number '01.5': leading zeros are not allowed"),
        TOMLCase("two points", "a = 1.5.5", "line 1, column 5: invalid number '1.5.5': not a TOML integer or float"),
        TOMLCase("float overflow", "a = 1e400", "line 1, column 5: the float 1e400 is too large for a 64-bit float"),
        TOMLCase("negative float overflow", "a = -1.5e999", "line 1, column 5: the float -1.5e999 is too large for a 64-bit float"),
        TOMLCase("capitalised inf", "a = Inf", "line 1, column 5: invalid value 'Inf': infinity and not-a-number are written inf and nan, in lower case"),
        TOMLCase("capitalised signed nan", "a = -NaN", "line 1, column 5: invalid value '-NaN': infinity and not-a-number are written inf and nan, in lower case"),
        TOMLCase("infinity spelt out", "a = infinity", "line 1, column 5: invalid value 'infinity' (a string needs quotes)"),
        TOMLCase("capitalised boolean", "a = True", "line 1, column 5: invalid value 'True': booleans are written true and false, in lower case"),
        TOMLCase("boolean with a tail", "a = truex", "line 1, column 5: invalid value 'truex' (a string needs quotes)"),
        TOMLCase("bare word", "a = yes", "line 1, column 5: invalid value 'yes' (a string needs quotes)"),
        TOMLCase("very long bare word", "a = " + String(repeating: "x", count: 100),
                 "line 1, column 5: invalid value '\(String(repeating: "x", count: 64))…' (a string needs quotes)"),
    ]

    static let dates: [TOMLCase] = [
        TOMLCase("30 February", "a = 1979-02-30", "line 1, column 5: invalid date or time '1979-02-30': day 30 does not exist in month 2 of 1979"),
        TOMLCase("29 February of a common year", "a = 2023-02-29", "line 1, column 5: invalid date or time '2023-02-29': day 29 does not exist in month 2 of 2023"),
        TOMLCase("29 February 1900", "a = 1900-02-29", "line 1, column 5: invalid date or time '1900-02-29': day 29 does not exist in month 2 of 1900"),
        TOMLCase("31 April", "a = 2000-04-31", "line 1, column 5: invalid date or time '2000-04-31': day 31 does not exist in month 4 of 2000"),
        TOMLCase("month 13", "a = 1979-13-01", "line 1, column 5: invalid date or time '1979-13-01': the month must be 01 to 12"),
        TOMLCase("month 0", "a = 1979-00-01", "line 1, column 5: invalid date or time '1979-00-01': the month must be 01 to 12"),
        TOMLCase("day 0", "a = 1979-05-00", "line 1, column 5: invalid date or time '1979-05-00': day 0 does not exist in month 5 of 1979"),
        TOMLCase("one-digit month", "a = 1979-5-27", "line 1, column 5: invalid date or time '1979-5-27': expected a date such as 1979-05-27"),
        TOMLCase("hour 25", "a = 1979-05-27T25:00:00", "line 1, column 5: invalid date or time '1979-05-27T25:00:00': the hour must be 00 to 23"),
        TOMLCase("minute 60", "a = 07:60:00", "line 1, column 5: invalid date or time '07:60:00': the minute must be 00 to 59"),
        TOMLCase("second 61", "a = 07:32:61", "line 1, column 5: invalid date or time '07:32:61': the second must be 00 to 60"),
        TOMLCase("time without seconds", "a = 07:32", "line 1, column 5: invalid date or time '07:32': seconds are required (HH:MM:SS)"),
        TOMLCase("date-time without seconds", "a = 1979-05-27T07:32Z", "line 1, column 5: invalid date or time '1979-05-27T07:32Z': seconds are required (HH:MM:SS)"),
        TOMLCase("space-separated date-time without seconds", "a = 1979-05-27 07:32",
                 "line 1, column 5: invalid date or time '1979-05-27 07:32': seconds are required (HH:MM:SS)"),
        TOMLCase("time with an offset", "a = 07:32:00Z",
                 "line 1, column 5: invalid date or time '07:32:00Z': a time without a date cannot have an offset or anything after it"),
        TOMLCase("one-digit offset hour", "a = 1979-05-27T07:32:00+7:00",
                 "line 1, column 5: invalid date or time '1979-05-27T07:32:00+7:00': expected an offset such as Z, +03:30 or -07:00"),
        TOMLCase("offset out of range", "a = 1979-05-27T07:32:00+24:00",
                 "line 1, column 5: invalid date or time '1979-05-27T07:32:00+24:00': the offset must be from -23:59 to +23:59"),
        TOMLCase("point without a fraction", "a = 1979-05-27T07:32:00.Z",
                 "line 1, column 5: invalid date or time '1979-05-27T07:32:00.Z': a decimal point needs digits after it"),
        TOMLCase("wrong separator", "a = 1979-05-27X07:32:00",
                 "line 1, column 5: invalid date or time '1979-05-27X07:32:00': expected 'T' or a space between the date and the time"),
        TOMLCase("text after the offset", "a = 1979-05-27T07:32:00-07:00:00",
                 "line 1, column 5: invalid date or time '1979-05-27T07:32:00-07:00:00': unexpected characters after the offset"),
        TOMLCase("unknown offset letter", "a = 1979-05-27T07:32:00X",
                 "line 1, column 5: invalid date or time '1979-05-27T07:32:00X': expected an offset such as Z, +03:30 or -07:00, or nothing"),
        TOMLCase("T without a time", "a = 1979-05-27T", "line 1, column 5: invalid date or time '1979-05-27T': expected a time such as 07:32:00"),
        TOMLCase("one-digit hour", "a = 1:30:00", "line 1, column 5: invalid date or time '1:30:00': expected a time such as 07:32:00"),
    ]

    static let arrays: [TOMLCase] = [
        TOMLCase("missing comma", "a = [1 2]", "line 1, column 8: expected ',' or ']' after an array item, found '2'"),
        TOMLCase("two commas", "a = [1,,2]", "line 1, column 8: expected a value or ']', found ','"),
        TOMLCase("comma alone", "a = [,]", "line 1, column 6: expected a value or ']', found ','"),
        TOMLCase("unclosed at the end of the file", "a = [1", "line 1, column 7: expected ',' or ']' after an array item, found the end of the file"),
        TOMLCase("unclosed after newlines", "a = [\n1,\n", "line 3, column 1: expected a value or ']', found the end of the file"),
        TOMLCase("extra bracket", "a = [1]]", "line 1, column 8: expected a new line after the value, found ']'"),
        TOMLCase("closing bracket inside a comment", "a = [1 # c ]", "line 1, column 13: expected ',' or ']' after an array item, found the end of the file"),
        TOMLCase("[[…]] on a static array", "a = []\n[[a]]", "line 2, column 3: 'a' is a static array (line 1); [[a]] cannot append to it"),
        TOMLCase("table inside a static array", "a = [{ b = 1 }]\n[a.c]\nfoo = 1", "line 2, column 2: 'a' already holds a value (line 1), not a table"),
        TOMLCase("dotted key into a static array", "a = [1]\na.b = 2", "line 2, column 1: 'a' already holds a value (line 1), not a table"),
    ]

    static let inlineTables: [TOMLCase] = [
        TOMLCase("trailing comma", "a = {b = 1,}", "line 1, column 12: a trailing comma is not allowed in an inline table"),
        TOMLCase("newline after '{'", "a = {\nb = 1}", "line 1, column 6: an inline table must be written on one line"),
        TOMLCase("newline before '}'", "a = {b = 1\n}", "line 1, column 11: an inline table must be written on one line"),
        TOMLCase("newline after a multi-line value", "a = {b = [1,\n2]\n}", "line 2, column 3: an inline table must be written on one line"),
        TOMLCase("newline after a comma", "a = {b = 1,\nc = 2}", "line 1, column 12: an inline table must be written on one line"),
        TOMLCase("missing comma", "a = {b = 1 c = 2}", "line 1, column 12: expected ',' or '}' after a value in an inline table, found 'c'"),
        TOMLCase("comment inside", "a = {b = 1 # c\n}", "line 1, column 12: expected ',' or '}' after a value in an inline table, found '#'"),
        TOMLCase("duplicate key", "a = {b = 1, b = 2}", "line 1, column 13: the key 'b' is already defined on line 1"),
        TOMLCase("dotted key then plain key", "a = {b.c = 1, b = 2}", "line 1, column 15: the key 'b' is already defined on line 1"),
        TOMLCase("dotted key into a nested inline table", "a = {b = {c = 1}, b.d = 2}", "line 1, column 19: 'b' is an inline table (line 1) and cannot be extended"),
        TOMLCase("toml-test nested key conflict", "tbl = { fruit = { apple.color = \"red\" }, fruit.apple.texture = { smooth = true } }",
                 "line 1, column 42: 'fruit' is an inline table (line 1) and cannot be extended"),
        TOMLCase("dotted key into an inline table later", "a = {b = 1}\na.c = 2", "line 2, column 1: 'a' is an inline table (line 1) and cannot be extended"),
        TOMLCase("header over an inline table", "a = {b = 1}\n[a]", "line 2, column 2: the table [a] is already defined on line 1"),
        TOMLCase("sub-table of an inline table", "a = {}\n[a.b]", "line 2, column 2: 'a' is an inline table (line 1) and cannot be extended"),
        TOMLCase("[[…]] over an inline table", "a = {}\n[[a]]", "line 2, column 3: [[a]] cannot append to the table [a] defined on line 1"),
        TOMLCase("unclosed", "a = {b = 1", "line 1, column 11: expected ',' or '}' after a value in an inline table, found the end of the file"),
        TOMLCase("missing value", "a = { b = }", "line 1, column 11: expected a value after '=', found '}'"),
        TOMLCase("comma alone", "a = {,}", "line 1, column 6: expected a key or '}', found ','"),
        TOMLCase("missing '='", "a = {b}", "line 1, column 7: expected '=' after the key, found '}'"),
    ]

    static let tables: [TOMLCase] = [
        TOMLCase("table defined twice", "[a]\n[a]", "line 2, column 2: the table [a] is already defined on line 1"),
        TOMLCase("deep table defined twice", "[a.b.c]\n[a.b.c]", "line 2, column 6: the table [a.b.c] is already defined on line 1"),
        TOMLCase("header over a value", "[a]\nb = 1\n[a.b]", "line 3, column 4: the key 'a.b' is already defined on line 2"),
        TOMLCase("value over an implicit table", "[a.b]\n[a]\nb = 1", "line 3, column 1: the key 'a.b' is already defined on line 1"),
        TOMLCase("header over a dotted-key table", "[fruit]\napple.color = \"red\"\n[fruit.apple]",
                 "line 3, column 8: the table [fruit.apple] is already defined by dotted keys on line 2"),
        TOMLCase("header over a deeper dotted-key table", "[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]",
                 "line 3, column 14: the table [fruit.apple.taste] is already defined by dotted keys on line 2"),
        TOMLCase("header over a root dotted-key table", "x.y = 1\n[x]", "line 2, column 2: the table [x] is already defined by dotted keys on line 1"),
        TOMLCase("toml-test injection-1", "[a.b.c]\nz = 9\n[a]\nb.c.t = 1",
                 "line 4, column 3: dotted keys cannot add to the table [a.b.c], defined by its header on line 1"),
        TOMLCase("toml-test injection-2", "[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 1",
                 "line 4, column 5: dotted keys cannot add to the table [a.b.c.d], defined by its header on line 1"),
        TOMLCase("[[…]] over a table", "[a]\n[[a]]", "line 2, column 3: [[a]] cannot append to the table [a] defined on line 1"),
        TOMLCase("[[…]] over an implicit table", "[a.b]\n[[a]]", "line 2, column 3: [[a]] cannot append to the table [a] defined on line 1"),
        TOMLCase("table over an array of tables", "[[a]]\n[a]", "line 2, column 2: the table [a] is already defined as an array of tables on line 1"),
        TOMLCase("header over a key", "a = 1\n[a]", "line 2, column 2: the key 'a' is already defined on line 1"),
        TOMLCase("[[…]] over a key", "a = 1\n[[a]]", "line 2, column 3: the key 'a' is already defined on line 1"),
        TOMLCase("header through a value", "a = 1\n[a.b]", "line 2, column 2: 'a' already holds a value (line 1), not a table"),
        TOMLCase("sub-table defined twice in one element", "[[a]]\n[a.b]\n[a.b]", "line 3, column 4: the table [a.b] is already defined on line 2"),
        TOMLCase("header over an element's dotted-key table", "[[a]]\nb.c = 1\n[a.b]", "line 3, column 4: the table [a.b] is already defined by dotted keys on line 2"),
        TOMLCase("dotted keys into an array of tables", "[[a.arr]]\n[a]\narr.x = 1", "line 3, column 1: dotted keys cannot add to the array of tables 'a.arr' (line 1)"),
        TOMLCase("extra bracket", "[a]]", "line 1, column 4: expected a new line after the table header, found ']'"),
        TOMLCase("unclosed header", "[a\nb = 1", "line 1, column 3: expected ']' to close the table header, found the end of the line"),
        TOMLCase("[[…]] closed by one bracket", "[[a]\n", "line 1, column 4: expected ']]' to close the array-of-tables header, found ']'"),
        TOMLCase("space between brackets", "[ [a]]", "line 1, column 1: a table header needs a name after '['"),
        TOMLCase("empty header", "[]", "line 1, column 1: a table header needs a name after '['"),
        TOMLCase("empty [[ ]]", "[[ ]]", "line 1, column 1: a table header needs a name after '['"),
        TOMLCase("header ending in a dot", "[a.]", "line 1, column 4: expected a key after '.', found ']'"),
        TOMLCase("text after a header", "[a] b = 1", "line 1, column 5: expected a new line after the table header, found 'b'"),
        TOMLCase("unterminated quoted header part", "[\"a]\n",
                 "line 1, column 2: unterminated string: a string in \"…\" must end on the line where it starts (\"\"\" starts a multi-line string)"),
        TOMLCase("multi-line string in a header", "[\"\"\"a\"\"\"]", "line 1, column 2: a key cannot be a multi-line string"),
    ]

    @Test(arguments: fuzzFindings + characters + keys + strings)
    func charactersKeysAndStrings(_ c: TOMLCase) {
        let got = tomlError(Array(c.toml.utf8))
        #expect(sameScalars(got, c.expected), "\(got)")
    }

    @Test(arguments: numbers + dates)
    func numbersAndDates(_ c: TOMLCase) {
        let got = tomlError(Array(c.toml.utf8))
        #expect(sameScalars(got, c.expected), "\(got)")
    }

    @Test(arguments: arrays + inlineTables + tables)
    func arraysAndTables(_ c: TOMLCase) {
        let got = tomlError(Array(c.toml.utf8))
        #expect(sameScalars(got, c.expected), "\(got)")
    }

    /// Bytes that are not UTF-8, wherever they stand, are refused with their position.
    @Test func invalidUTF8() {
        let q = UInt8(ascii: "\"")
        let cases: [([UInt8], String)] = [
            (Array("a = ".utf8) + [q, 0xFF, q], "line 1, column 6: not valid UTF-8 (byte 0xFF)"),
            (Array("# ".utf8) + [0xC0, 0x80], "line 1, column 3: not valid UTF-8 (byte 0xC0)"),
            (Array("a = ".utf8) + [q, 0xED, 0xA0, 0x80, q], "line 1, column 6: not valid UTF-8 (bytes 0xED 0xA0)"),
            (Array("a = ".utf8) + [q, 0xE2, 0x82], "line 1, column 6: not valid UTF-8 (bytes 0xE2 0x82)"),
            (Array("a = ".utf8) + [q, 0xE0, 0x80, 0x80, q], "line 1, column 6: not valid UTF-8 (bytes 0xE0 0x80)"),
            (Array("a = ".utf8) + [q, 0xF4, 0x90, 0x80, 0x80, q], "line 1, column 6: not valid UTF-8 (bytes 0xF4 0x90)"),
            (Array("a = ".utf8) + [q, 0xF5, 0x80, q], "line 1, column 6: not valid UTF-8 (byte 0xF5)"),
            ([0xFF] + Array(" = 1".utf8), "line 1, column 1: not valid UTF-8 (byte 0xFF)"),
            (Array("a = 1\nb = 'x".utf8) + [0x80, UInt8(ascii: "'")], "line 2, column 7: not valid UTF-8 (byte 0x80)"),
            (Array("a = \"é".utf8) + [0xC3, 0x28, q], "line 1, column 7: not valid UTF-8 (bytes 0xC3 0x28)"),
            (Array("a = '''\nروسیه ".utf8) + [0xD8], "line 2, column 7: not valid UTF-8 (byte 0xD8)"),
            (Array("a = 1 # ".utf8) + [0xBF], "line 1, column 9: not valid UTF-8 (byte 0xBF)"),
            (Array("[\"".utf8) + [0xFE] + Array("\"]".utf8), "line 1, column 3: not valid UTF-8 (byte 0xFE)"),
        ]
        for (bytes, expected) in cases {
            #expect(tomlError(bytes) == expected)
        }
    }

    /// Every error carries the byte offset of what it is about, for tools that take bytes.
    @Test func byteOffsets() {
        func offset(_ text: String) -> Int? {
            do {
                _ = try TOMLParser.parse(text)
                return nil
            } catch {
                return error.byteOffset
            }
        }
        #expect(offset("a = 1\nb = @") == 10)
        #expect(offset("a = \"é\u{1}\"") == 7)
        #expect(offset("[a]\n[a]") == 5)
        #expect(offset("\u{FEFF}= 1") == 3)
    }

    /// The error itself is typed: callers can tell a syntax problem from a definition problem.
    @Test func reasonsAreTyped() {
        do {
            _ = try TOMLParser.parse("a = 1\na = 2")
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == .duplicateKey("a", line: 1))
            #expect(error.position == TOMLPosition(line: 2, column: 1))
            #expect(error.message == "the key 'a' is already defined on line 1")
        }
    }
}
