import Foundation

/// Finds the line on which a key of a TOML file is written. TOMLKit reports lines for syntax
/// errors only; for a bad value or an unknown key the operator still needs to be told where to
/// look, so this reads the lines the way TOML defines tables and keys: `[table]` and
/// `[[array]]` headers (each array header starts a new element), and `key = value` lines.
struct KeyLocator {
    /// (table header, element index for arrays of tables, key) → 1-based line.
    private var lines: [String: Int] = [:]
    private var tableLines: [String: Int] = [:]

    init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        var inMultilineString: String? = nil
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.trimmingSpaces()
            if let delimiter = inMultilineString {
                if Self.count(of: delimiter, in: line) % 2 == 1 { inMultilineString = nil }
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let name = Self.headerName(line, open: "[[", close: "]]")
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)#\(index)"
                tableLines[table] = lineNumber
                continue
            }
            if line.hasPrefix("[") {
                table = Self.headerName(line, open: "[", close: "]")
                tableLines[table] = tableLines[table] ?? lineNumber
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            var key = line[..<eq].trimmingSpaces()
            if key.count >= 2, let f = key.first, f == "\"" || f == "'", key.last == f {
                key = String(key.dropFirst().dropLast())
            }
            let composite = table.isEmpty ? key : "\(table).\(key)"
            if lines[composite] == nil { lines[composite] = lineNumber }
            let value = line[line.index(after: eq)...]
            for delimiter in ["\"\"\"", "'''"] where Self.count(of: delimiter, in: String(value)) % 2 == 1 {
                inMultilineString = delimiter
            }
        }
    }

    /// The line of `key` in `table` (`"daemon"`, or `"source#2"` for the third `[[source]]`);
    /// with no key, the line of the table's header.
    func line(table: String, key: String? = nil) -> Int? {
        guard let key else { return tableLines[table] }
        if table.isEmpty {
            // A top-level key may be a value, a [table] or the first [[array]] element.
            return lines[key] ?? tableLines[key] ?? tableLines["\(key)#0"]
        }
        return lines["\(table).\(key)"] ?? tableLines[table]
    }

    private static func headerName(_ line: String, open: String, close: String) -> String {
        var body = Substring(line.dropFirst(open.count))
        if let end = body.range(of: close) { body = body[..<end.lowerBound] }
        return body.trimmingSpaces()
    }

    private static func count(of needle: String, in haystack: String) -> Int {
        var count = 0
        var rest = Substring(haystack)
        while let r = rest.range(of: needle) {
            count += 1
            rest = rest[r.upperBound...]
        }
        return count
    }
}
