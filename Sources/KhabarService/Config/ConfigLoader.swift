import Foundation
import TOMLKit

/// Reads `config/khabar.toml` into a validated `Configuration`, or reports every issue at once.
///
/// Strict by design: an unknown key is an error (a typo must never silently fall back to a
/// default), and so are wrong types, bad durations and sizes, non-http(s) URLs, regexes that do
/// not compile, duplicate source names and a file without sources.
public enum ConfigLoader {
    /// Loads and validates the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Configuration {
        var info = stat()
        if stat(path, &info) != 0 {
            let reason = String(cString: strerror(errno))
            throw ConfigError(issues: [ConfigIssue(file: path, message: "cannot read the configuration: \(reason)")])
        }
        if info.st_mode & S_IWOTH != 0 {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw ConfigError(issues: [ConfigIssue(
                file: path,
                message: "refusing a world-writable configuration file (mode \(mode)); anyone could change what Khabar fetches. Run: chmod o-w \(path)")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(issues: [ConfigIssue(file: path, message: "cannot read the configuration")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [ConfigIssue(file: path, message: "the configuration is not valid UTF-8")])
        }
        return try parse(text, file: path)
    }

    /// Parses and validates configuration text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Configuration {
        // TOML forbids control characters other than tab and newline; toml++ (behind TOMLKit)
        // aborts on some of them (a NUL inside a table header, found by fuzzing), so they are
        // refused here, with their position, before the parser sees them.
        if let issue = controlCharacterIssue(text, file: file) ?? tableHeaderIssue(text, file: file) {
            throw ConfigError(issues: [issue])
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(issues: [ConfigIssue(
                file: file, line: error.source.begin.line, column: error.source.begin.column,
                message: "TOML syntax error: \(error.description)")])
        } catch {
            throw ConfigError(issues: [ConfigIssue(file: file, message: "TOML syntax error: \(error)")])
        }
        var reader = Reader(file: file, locator: KeyLocator(text: text))
        let config = reader.read(table)
        if !reader.issues.isEmpty { throw ConfigError(issues: reader.issues) }
        return config
    }
}

extension ConfigLoader {
    static func controlCharacterIssue(_ text: String, file: String) -> ConfigIssue? {
        var line = 1, column = 1
        var previousCR = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x0A {
                line += 1; column = 1; previousCR = false
                continue
            }
            if previousCR {
                return ConfigIssue(file: file, line: line, column: column - 1, message: "a carriage return not followed by a line feed is not allowed in TOML")
            }
            if v == 0x0D { previousCR = true; column += 1; continue }
            if (v < 0x20 && v != 0x09) || v == 0x7F {
                let hex = String(v, radix: 16, uppercase: true)
                return ConfigIssue(file: file, line: line, column: column,
                                   message: "control character U+\(String(repeating: "0", count: 4 - hex.count) + hex) is not allowed in TOML")
            }
            column += 1
        }
        return nil
    }
}

extension ConfigLoader {
    /// toml++ also aborts (an assertion, in release builds too) on a table header whose name does
    /// not start with a key character — `[` followed by a newline, found by fuzzing, and easily
    /// typed. This scanner follows strings, comments and value brackets just enough to find real
    /// headers (a `[` opening a line outside any value) and checks what follows the bracket.
    static func tableHeaderIssue(_ text: String, file: String) -> ConfigIssue? {
        let bytes = Array(text.utf8)
        var i = 0, line = 1, lineStart = 0
        var depth = 0                      // open [ / { inside a value
        var atLineStart = true
        func isKeyStart(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == 0x5F || c == 0x2D || c == 0x22 || c == 0x27
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A { line += 1; lineStart = i + 1; atLineStart = true; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
            if c == 0x23 {                                   // comment to end of line
                while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                continue
            }
            if c == 0x22 || c == 0x27 {                      // strings, single- or multi-line
                let triple = i + 2 < bytes.count && bytes[i + 1] == c && bytes[i + 2] == c
                i += triple ? 3 : 1
                while i < bytes.count {
                    if bytes[i] == 0x5C && c == 0x22 { i += 2; continue }
                    if bytes[i] == 0x0A {
                        if !triple { break }
                        line += 1; lineStart = i + 1
                    }
                    if bytes[i] == c {
                        if !triple { i += 1; break }
                        if i + 2 < bytes.count && bytes[i + 1] == c && bytes[i + 2] == c { i += 3; break }
                    }
                    i += 1
                }
                atLineStart = false
                continue
            }
            if c == 0x5B && depth == 0 && atLineStart {     // a table header
                var j = i + 1
                if j < bytes.count && bytes[j] == 0x5B { j += 1 }
                while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
                if j >= bytes.count || !isKeyStart(bytes[j]) {
                    return ConfigIssue(file: file, line: line, column: i - lineStart + 1,
                                       message: "TOML syntax error: a table header needs a name after '['")
                }
                while i < bytes.count && bytes[i] != 0x0A && bytes[i] != 0x23 { i += 1 }
                atLineStart = false
                continue
            }
            if c == 0x5B || c == 0x7B { depth += 1 } else if (c == 0x5D || c == 0x7D) && depth > 0 { depth -= 1 }
            atLineStart = false
            i += 1
        }
        return nil
    }
}

/// Walks the parsed tables, converting values and collecting issues.
private struct Reader {
    let file: String
    let locator: KeyLocator
    var issues: [ConfigIssue] = []

    static let daemonKeys = [
        "corpus_dir", "state_db", "user_agent", "max_concurrency", "per_host_concurrency", "per_host_delay",
        "timeout", "max_attempts", "allow_private_addresses", "max_page_bytes", "min_chars",
        "near_duplicate_distance", "near_duplicates", "revisit",
    ]
    static let sourceKeys = [
        "name", "url", "feeds", "sitemaps", "listing_pages", "allowed_hosts", "article_url_pattern", "interval",
        "languages", "include_any", "exclude_any",
    ]

    mutating func read(_ root: TOMLTable) -> Configuration {
        var daemon = DaemonSettings()
        var sources: [SourceSettings] = []
        for key in root.keys {
            switch key {
            case "daemon":
                if let t = root[key]?.table {
                    daemon = readDaemon(t)
                } else {
                    report(table: "", key: key, label: "daemon", "expected a table ([daemon])")
                }
            case "source":
                if let array = root[key]?.array {
                    for index in 0..<array.count {
                        if let t = array[index].table {
                            if let source = readSource(t, index: index) { sources.append(source) }
                        } else {
                            report(table: "", key: key, label: "source", "expected an array of tables ([[source]])")
                        }
                    }
                } else {
                    report(table: "", key: key, label: "source", "expected an array of tables ([[source]]), not a single table")
                }
            default:
                report(table: "", key: key, label: key, "unknown key\(suggestion(key, among: ["daemon", "source"]))")
            }
        }
        if root["source"] == nil {
            issues.append(ConfigIssue(file: file, message: "no [[source]] is configured; Khabar needs at least one source to poll"))
        }
        var seen: [String: Int] = [:]
        for (index, source) in sources.enumerated() {
            if let first = seen[source.name] {
                let firstLine = locator.line(table: "source#\(first)", key: "name").map { " (first on line \($0))" } ?? ""
                report(table: "source#\(index)", key: "name", label: "source \"\(source.name)\" name",
                       "duplicate source name \"\(source.name)\"\(firstLine); names must be unique")
            } else {
                seen[source.name] = index
            }
        }
        if daemon.perHostConcurrency > daemon.maxConcurrency {
            report(table: "daemon", key: "per_host_concurrency", label: "[daemon] per_host_concurrency",
                   "must not exceed max_concurrency (\(daemon.maxConcurrency)), got \(daemon.perHostConcurrency)")
        }
        return Configuration(path: file, daemon: daemon, sources: sources)
    }

    // MARK: - [daemon]

    mutating func readDaemon(_ t: TOMLTable) -> DaemonSettings {
        var d = DaemonSettings()
        let table = "daemon"
        func label(_ key: String) -> String { "[daemon] \(key)" }
        for key in t.keys where !Self.daemonKeys.contains(key) {
            report(table: table, key: key, label: label(key), "unknown key\(suggestion(key, among: Self.daemonKeys))")
        }
        let v = { (key: String) -> (any TOMLValueConvertible)? in t[key] }
        if let x = v("corpus_dir") { d.corpusDir = path(x, table, "corpus_dir", label("corpus_dir")) ?? d.corpusDir }
        if let x = v("state_db") { d.stateDB = path(x, table, "state_db", label("state_db")) ?? d.stateDB }
        if let x = v("user_agent") {
            if let s = string(x, table, "user_agent", label("user_agent")) {
                if s.trimmingSpaces().isEmpty || s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || !s.allSatisfy(\.isASCII) {
                    report(table: table, key: "user_agent", label: label("user_agent"),
                           "expected a non-empty printable ASCII User-Agent, got \(quoted(s))")
                } else {
                    d.userAgent = s
                }
            }
        }
        if let x = v("max_concurrency") { d.maxConcurrency = int(x, table, "max_concurrency", label("max_concurrency"), min: 1, max: 1024) ?? d.maxConcurrency }
        if let x = v("per_host_concurrency") { d.perHostConcurrency = int(x, table, "per_host_concurrency", label("per_host_concurrency"), min: 1, max: 64) ?? d.perHostConcurrency }
        if let x = v("per_host_delay") { d.perHostDelay = duration(x, table, "per_host_delay", label("per_host_delay"), allowZero: true) ?? d.perHostDelay }
        if let x = v("timeout") { d.timeout = duration(x, table, "timeout", label("timeout")) ?? d.timeout }
        if let x = v("max_attempts") { d.maxAttempts = int(x, table, "max_attempts", label("max_attempts"), min: 1, max: 20) ?? d.maxAttempts }
        if let x = v("allow_private_addresses") { d.allowPrivateAddresses = bool(x, table, "allow_private_addresses", label("allow_private_addresses")) ?? d.allowPrivateAddresses }
        if let x = v("max_page_bytes") { d.maxPageBytes = size(x, table, "max_page_bytes", label("max_page_bytes")) ?? d.maxPageBytes }
        if let x = v("min_chars") { d.minChars = int(x, table, "min_chars", label("min_chars"), min: 0, max: 1_000_000) ?? d.minChars }
        if let x = v("near_duplicate_distance") { d.nearDuplicateDistance = int(x, table, "near_duplicate_distance", label("near_duplicate_distance"), min: 0, max: 32) ?? d.nearDuplicateDistance }
        if let x = v("near_duplicates") {
            if let s = string(x, table, "near_duplicates", label("near_duplicates")) {
                if let p = NearDuplicatePolicy(rawValue: s) {
                    d.nearDuplicates = p
                } else {
                    report(table: table, key: "near_duplicates", label: label("near_duplicates"), "expected \"skip\" or \"keep\", got \(quoted(s))")
                }
            }
        }
        if let x = v("revisit") {
            if let items = stringArray(x, table, "revisit", label("revisit"), what: "durations") {
                var list: [Duration] = []
                var ok = true
                for item in items {
                    if let dur = Units.parseDuration(item), dur > .zero {
                        list.append(dur)
                    } else {
                        ok = false
                        report(table: table, key: "revisit", label: label("revisit"), "expected durations such as \"1h\" or \"72h\", got \(quoted(item))")
                    }
                }
                if ok {
                    if list != list.sorted() {
                        report(table: table, key: "revisit", label: label("revisit"), "expected durations in increasing order, got \(items.map(quoted).joined(separator: ", "))")
                    } else {
                        d.revisit = list
                    }
                }
            }
        }
        return d
    }

    // MARK: - [[source]]

    mutating func readSource(_ t: TOMLTable, index: Int) -> SourceSettings? {
        let table = "source#\(index)"
        let rawName = t["name"]?.string
        let title = rawName.map { "source \"\($0)\"" } ?? "source #\(index + 1)"
        func label(_ key: String) -> String { "\(title) \(key)" }
        for key in t.keys where !Self.sourceKeys.contains(key) {
            report(table: table, key: key, label: label(key), "unknown key\(suggestion(key, among: Self.sourceKeys))")
        }
        var valid = true
        var name = ""
        if let x = t["name"] {
            if let s = string(x, table, "name", label("name")) {
                if s.isEmpty || s.count > 64 || !s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                    report(table: table, key: "name", label: label("name"),
                           "expected a short name of ASCII letters, digits, '-', '_' or '.', got \(quoted(s))")
                    valid = false
                } else {
                    name = s
                }
            } else { valid = false }
        } else {
            report(table: table, key: nil, label: title, "missing required key 'name'")
            valid = false
        }
        var url = ""
        if let x = t["url"] {
            if let u = httpURL(x, table, "url", label("url")) { url = u } else { valid = false }
        } else {
            report(table: table, key: nil, label: title, "missing required key 'url' (the source's homepage)")
            valid = false
        }
        var s = SourceSettings(name: name, url: url)
        if let x = t["feeds"] { s.feeds = urlList(x, table, "feeds", label("feeds")) ?? [] }
        if let x = t["sitemaps"] { s.sitemaps = urlList(x, table, "sitemaps", label("sitemaps")) ?? [] }
        if let x = t["listing_pages"] { s.listingPages = urlList(x, table, "listing_pages", label("listing_pages")) ?? [] }
        if let x = t["allowed_hosts"], let hosts = stringArray(x, table, "allowed_hosts", label("allowed_hosts"), what: "host names") {
            for host in hosts {
                if host.isEmpty || host.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
                    report(table: table, key: "allowed_hosts", label: label("allowed_hosts"), "expected bare host names such as \"cdn.example.com\", got \(quoted(host))")
                } else {
                    s.allowedHosts.append(host.lowercased())
                }
            }
        }
        if let x = t["article_url_pattern"], let p = string(x, table, "article_url_pattern", label("article_url_pattern")) {
            if p.isEmpty {
                s.articleURLPattern = nil
            } else {
                do {
                    _ = try NSRegularExpression(pattern: p)
                    s.articleURLPattern = p
                } catch {
                    report(table: table, key: "article_url_pattern", label: label("article_url_pattern"), "the regular expression \(quoted(p)) does not compile")
                }
            }
        }
        if let x = t["interval"] { s.interval = duration(x, table, "interval", label("interval")) ?? s.interval }
        if let x = t["languages"], let langs = stringArray(x, table, "languages", label("languages"), what: "language codes") {
            for lang in langs {
                if (2...3).contains(lang.count) && lang.allSatisfy({ $0.isASCII && $0.isLowercase }) {
                    s.languages.append(lang)
                } else {
                    report(table: table, key: "languages", label: label("languages"), "expected ISO 639 language codes such as \"ar\" or \"fa\", got \(quoted(lang))")
                }
            }
        }
        if let x = t["include_any"] { s.includeAny = phrases(x, table, "include_any", label("include_any")) }
        if let x = t["exclude_any"] { s.excludeAny = phrases(x, table, "exclude_any", label("exclude_any")) }
        return valid ? s : nil
    }

    // MARK: - Values

    mutating func report(table: String, key: String?, label: String, _ message: String) {
        issues.append(ConfigIssue(file: file, line: locator.line(table: table, key: key), key: label, message: message))
    }

    mutating func string(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> String? {
        if let s = x.string { return s }
        report(table: table, key: key, label: label, "expected a string, got \(describe(x))")
        return nil
    }

    mutating func path(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> String? {
        guard let s = string(x, table, key, label) else { return nil }
        if s.isEmpty || s.contains("\0") {
            report(table: table, key: key, label: label, "expected a non-empty path")
            return nil
        }
        return s
    }

    mutating func int(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String, min: Int, max: Int) -> Int? {
        guard let n = x.int else {
            report(table: table, key: key, label: label, "expected an integer from \(min) to \(max), got \(describe(x))")
            return nil
        }
        guard n >= min && n <= max else {
            report(table: table, key: key, label: label, "expected an integer from \(min) to \(max), got \(n)")
            return nil
        }
        return n
    }

    mutating func bool(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> Bool? {
        if let b = x.bool { return b }
        report(table: table, key: key, label: label, "expected true or false, got \(describe(x))")
        return nil
    }

    mutating func duration(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String, allowZero: Bool = false) -> Duration? {
        let expected = "expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\""
        guard let s = x.string else {
            report(table: table, key: key, label: label, "\(expected), got \(describe(x))")
            return nil
        }
        guard let d = Units.parseDuration(s) else {
            report(table: table, key: key, label: label, "\(expected), got \(quoted(s))")
            return nil
        }
        if d == .zero && !allowZero {
            report(table: table, key: key, label: label, "expected a duration greater than zero, got \(quoted(s))")
            return nil
        }
        return d
    }

    mutating func size(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> Int64? {
        let expected = "expected a size in bytes such as 5_000_000 or \"5MB\""
        var bytes: Int64?
        if let n = x.int { bytes = Int64(n) } else if let s = x.string {
            bytes = Units.parseSize(s)
            if bytes == nil {
                report(table: table, key: key, label: label, "\(expected), got \(quoted(s))")
                return nil
            }
        } else {
            report(table: table, key: key, label: label, "\(expected), got \(describe(x))")
            return nil
        }
        guard let b = bytes, b > 0 else {
            report(table: table, key: key, label: label, "expected a size greater than zero")
            return nil
        }
        return b
    }

    mutating func stringArray(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String, what: String) -> [String]? {
        guard let array = x.array else {
            report(table: table, key: key, label: label, "expected an array of \(what), got \(describe(x))")
            return nil
        }
        var out: [String] = []
        for i in 0..<array.count {
            guard let s = array[i].string else {
                report(table: table, key: key, label: label, "expected an array of \(what), but item \(i + 1) is \(describe(array[i]))")
                return nil
            }
            out.append(s)
        }
        return out
    }

    mutating func httpURL(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> String? {
        guard let s = string(x, table, key, label) else { return nil }
        return checkURL(s, table, key, label) ? s : nil
    }

    mutating func checkURL(_ s: String, _ table: String, _ key: String, _ label: String) -> Bool {
        guard let comps = URLComponents(string: s), let scheme = comps.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            report(table: table, key: key, label: label, "expected an http:// or https:// URL, got \(quoted(s))")
            return false
        }
        guard let host = comps.host, !host.isEmpty else {
            report(table: table, key: key, label: label, "expected a URL with a host name, got \(quoted(s))")
            return false
        }
        return true
    }

    mutating func urlList(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> [String]? {
        guard let items = stringArray(x, table, key, label, what: "URLs") else { return nil }
        var out: [String] = []
        for item in items where checkURL(item, table, key, label) { out.append(item) }
        return out
    }

    mutating func phrases(_ x: any TOMLValueConvertible, _ table: String, _ key: String, _ label: String) -> [String] {
        guard let items = stringArray(x, table, key, label, what: "words or phrases") else { return [] }
        var out: [String] = []
        for item in items {
            if item.trimmingSpaces().isEmpty {
                report(table: table, key: key, label: label, "expected non-empty words or phrases, got an empty string")
            } else {
                out.append(item)
            }
        }
        return out
    }

    func describe(_ x: any TOMLValueConvertible) -> String {
        switch x.type {
        case .string: return "the string \(quoted(x.string ?? ""))"
        case .int: return "the integer \(x.int ?? 0)"
        case .double: return "the number \(x.double ?? 0)"
        case .bool: return x.bool == true ? "true" : "false"
        case .array: return "an array"
        case .table: return "a table"
        default: return "a \(x.type)"
        }
    }

    func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20: out += "\\u{\(String(c.value, radix: 16))}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// ` (did you mean 'timeout'?)` when a known key is one or two edits away.
    func suggestion(_ key: String, among known: [String]) -> String {
        let best = known.map { ($0, editDistance(key, $0)) }.min { $0.1 < $1.1 }
        guard let (name, distance) = best, distance <= 2 else {
            return "; known keys: \(known.joined(separator: ", "))"
        }
        return " (did you mean '\(name)'?)"
    }

    func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
