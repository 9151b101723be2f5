import Foundation

/// Reads `config/khabar.toml` into a validated `Configuration`, or reports every issue at once.
///
/// Strict by design: an unknown key is an error (a typo must never silently fall back to a
/// default), and so are wrong types, bad durations and sizes, non-http(s) URLs, regexes that do
/// not compile, duplicate source names and a file without sources. The TOML itself is read by
/// Khabar's own parser (`TOMLParser`), which keeps the position of every key and value, so each
/// issue names its line.
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
        // The bytes go to the parser as they are, so invalid UTF-8 is reported with its line.
        return try parse(utf8: [UInt8](data), file: path)
    }

    /// Parses and validates configuration text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Configuration {
        try parse(utf8: Array(text.utf8), file: file)
    }

    static func parse(utf8 bytes: [UInt8], file: String) throws(ConfigError) -> Configuration {
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(utf8: bytes)
        } catch {
            // Characters TOML refuses anywhere are named as such; the rest are syntax errors.
            let message: String
            switch error.reason {
            case .invalidUTF8: message = "the configuration is \(error.message)"
            case .controlCharacter, .bareCarriageReturn: message = error.message
            default: message = "TOML syntax error: \(error.message)"
            }
            throw ConfigError(issues: [ConfigIssue(
                file: file, line: error.position.line, column: error.position.column, message: message)])
        }
        var reader = Reader(file: file)
        let config = reader.read(root)
        if !reader.issues.isEmpty { throw ConfigError(issues: reader.sortedIssues) }
        return config
    }
}

/// Walks the parsed tables, converting values and collecting issues, each at the line of the
/// key, array item or table it is about.
private struct Reader {
    typealias Entry = TOMLTable.Entry
    let file: String
    var issues: [ConfigIssue] = []

    /// The issues in the order of the file (stable, so issues of one line keep their order);
    /// issues about the whole file come last.
    var sortedIssues: [ConfigIssue] {
        issues.enumerated().sorted { a, b in
            let la = a.element.line ?? Int.max, lb = b.element.line ?? Int.max
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

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
        var daemonTable: TOMLTable?
        var sources: [(settings: SourceSettings, nameLine: Int)] = []
        for entry in root.entries {
            let line = entry.keyPosition.line
            switch entry.key {
            case "daemon":
                if let t = entry.value.table {
                    daemon = readDaemon(t)
                    daemonTable = t
                } else {
                    report(line, "daemon", "expected a table ([daemon]), got \(describe(entry.value))")
                }
            case "source":
                if let array = entry.value.array {
                    for (index, item) in array.enumerated() {
                        if let t = item.table {
                            if let source = readSource(t, at: item.position, index: index) { sources.append(source) }
                        } else {
                            report(item.position.line, "source",
                                   "expected an array of tables ([[source]]), but item \(index + 1) is \(describe(item))")
                        }
                    }
                } else if entry.value.table != nil {
                    report(line, "source", "expected an array of tables ([[source]]), not a single table")
                } else {
                    report(line, "source", "expected an array of tables ([[source]]), got \(describe(entry.value))")
                }
            default:
                report(line, entry.key, "unknown key\(suggestion(entry.key, among: ["daemon", "source"]))")
            }
        }
        if root["source"]?.array?.isEmpty ?? true {
            issues.append(ConfigIssue(file: file, message: "no [[source]] is configured; Khabar needs at least one source to poll"))
        }
        var seen: [String: Int] = [:]
        for source in sources {
            let name = source.settings.name
            if let firstLine = seen[name] {
                report(source.nameLine, "source \"\(name)\" name",
                       "duplicate source name \"\(name)\" (first on line \(firstLine)); names must be unique")
            } else {
                seen[name] = source.nameLine
            }
        }
        if daemon.perHostConcurrency > daemon.maxConcurrency, let e = daemonTable?.entry("per_host_concurrency") {
            report(e.keyPosition.line, "[daemon] per_host_concurrency",
                   "must not exceed max_concurrency (\(daemon.maxConcurrency)), got \(daemon.perHostConcurrency)")
        }
        return Configuration(path: file, daemon: daemon, sources: sources.map(\.settings))
    }

    // MARK: - [daemon]

    mutating func readDaemon(_ t: TOMLTable) -> DaemonSettings {
        var d = DaemonSettings()
        func label(_ key: String) -> String { "[daemon] \(key)" }
        for entry in t.entries where !Self.daemonKeys.contains(entry.key) {
            report(entry.keyPosition.line, label(entry.key), "unknown key\(suggestion(entry.key, among: Self.daemonKeys))")
        }
        func e(_ key: String) -> (Entry, String)? { t.entry(key).map { ($0, label(key)) } }
        if let x = e("corpus_dir") { d.corpusDir = path(x) ?? d.corpusDir }
        if let x = e("state_db") { d.stateDB = path(x) ?? d.stateDB }
        if let x = e("user_agent"), let s = string(x) {
            if s.trimmingSpaces().isEmpty || s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) || !s.allSatisfy(\.isASCII) {
                report(x, "expected a non-empty printable ASCII User-Agent, got \(quoted(s))")
            } else {
                d.userAgent = s
            }
        }
        if let x = e("max_concurrency") { d.maxConcurrency = int(x, min: 1, max: 1024) ?? d.maxConcurrency }
        if let x = e("per_host_concurrency") { d.perHostConcurrency = int(x, min: 1, max: 64) ?? d.perHostConcurrency }
        if let x = e("per_host_delay") { d.perHostDelay = duration(x, allowZero: true) ?? d.perHostDelay }
        if let x = e("timeout") { d.timeout = duration(x) ?? d.timeout }
        if let x = e("max_attempts") { d.maxAttempts = int(x, min: 1, max: 20) ?? d.maxAttempts }
        if let x = e("allow_private_addresses") { d.allowPrivateAddresses = bool(x) ?? d.allowPrivateAddresses }
        if let x = e("max_page_bytes") { d.maxPageBytes = size(x) ?? d.maxPageBytes }
        if let x = e("min_chars") { d.minChars = int(x, min: 0, max: 1_000_000) ?? d.minChars }
        if let x = e("near_duplicate_distance") { d.nearDuplicateDistance = int(x, min: 0, max: 32) ?? d.nearDuplicateDistance }
        if let x = e("near_duplicates"), let s = string(x) {
            if let p = NearDuplicatePolicy(rawValue: s) {
                d.nearDuplicates = p
            } else {
                report(x, "expected \"skip\" or \"keep\", got \(quoted(s))")
            }
        }
        if let x = e("revisit"), let items = stringArray(x, what: "durations") {
            var list: [Duration] = []
            var ok = true
            for item in items {
                if let dur = Units.parseDuration(item.text), dur > .zero {
                    list.append(dur)
                } else {
                    ok = false
                    report(item.line, x.1, "expected durations such as \"1h\" or \"72h\", got \(quoted(item.text))")
                }
            }
            if ok {
                if list != list.sorted() {
                    report(x, "expected durations in increasing order, got \(items.map { quoted($0.text) }.joined(separator: ", "))")
                } else {
                    d.revisit = list
                }
            }
        }
        return d
    }

    // MARK: - [[source]]

    /// One source, with the line of its name (for duplicate names); nil when it is unusable.
    mutating func readSource(_ t: TOMLTable, at position: TOMLPosition, index: Int) -> (SourceSettings, Int)? {
        let rawName = t["name"]?.string
        let title = rawName.map { "source \"\($0)\"" } ?? "source #\(index + 1)"
        func label(_ key: String) -> String { "\(title) \(key)" }
        for entry in t.entries where !Self.sourceKeys.contains(entry.key) {
            report(entry.keyPosition.line, label(entry.key), "unknown key\(suggestion(entry.key, among: Self.sourceKeys))")
        }
        func e(_ key: String) -> (Entry, String)? { t.entry(key).map { ($0, label(key)) } }
        var valid = true
        var name = ""
        var nameLine = position.line
        if let x = e("name") {
            nameLine = x.0.keyPosition.line
            if let s = string(x) {
                if s.isEmpty || s.count > 64 || !s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                    report(x, "expected a short name of ASCII letters, digits, '-', '_' or '.', got \(quoted(s))")
                    valid = false
                } else {
                    name = s
                }
            } else { valid = false }
        } else {
            report(position.line, title, "missing required key 'name'")
            valid = false
        }
        var url = ""
        if let x = e("url") {
            if let s = string(x), checkURL(s, line: x.0.keyPosition.line, label: x.1) { url = s } else { valid = false }
        } else {
            report(position.line, title, "missing required key 'url' (the source's homepage)")
            valid = false
        }
        var s = SourceSettings(name: name, url: url)
        if let x = e("feeds") { s.feeds = urlList(x) ?? [] }
        if let x = e("sitemaps") { s.sitemaps = urlList(x) ?? [] }
        if let x = e("listing_pages") { s.listingPages = urlList(x) ?? [] }
        if let x = e("allowed_hosts"), let hosts = stringArray(x, what: "host names") {
            for host in hosts {
                if host.text.isEmpty || host.text.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
                    report(host.line, x.1, "expected bare host names such as \"cdn.example.com\", got \(quoted(host.text))")
                } else {
                    s.allowedHosts.append(host.text.lowercased())
                }
            }
        }
        if let x = e("article_url_pattern"), let p = string(x) {
            if p.isEmpty {
                s.articleURLPattern = nil
            } else {
                do {
                    _ = try NSRegularExpression(pattern: p)
                    s.articleURLPattern = p
                } catch {
                    report(x, "the regular expression \(quoted(p)) does not compile")
                }
            }
        }
        if let x = e("interval") { s.interval = duration(x) ?? s.interval }
        if let x = e("languages"), let langs = stringArray(x, what: "language codes") {
            for lang in langs {
                if (2...3).contains(lang.text.count) && lang.text.allSatisfy({ $0.isASCII && $0.isLowercase }) {
                    s.languages.append(lang.text)
                } else {
                    report(lang.line, x.1, "expected ISO 639 language codes such as \"ar\" or \"fa\", got \(quoted(lang.text))")
                }
            }
        }
        if let x = e("include_any") { s.includeAny = phrases(x) }
        if let x = e("exclude_any") { s.excludeAny = phrases(x) }
        return valid ? (s, nameLine) : nil
    }

    // MARK: - Values

    mutating func report(_ line: Int?, _ label: String, _ message: String) {
        issues.append(ConfigIssue(file: file, line: line, key: label, message: message))
    }

    /// An issue with the value of a key, at the key's line.
    mutating func report(_ x: (Entry, String), _ message: String) {
        report(x.0.keyPosition.line, x.1, message)
    }

    mutating func string(_ x: (Entry, String)) -> String? {
        if let s = x.0.value.string { return s }
        report(x, "expected a string, got \(describe(x.0.value))")
        return nil
    }

    mutating func path(_ x: (Entry, String)) -> String? {
        guard let s = string(x) else { return nil }
        if s.isEmpty || s.contains("\0") {
            report(x, "expected a non-empty path")
            return nil
        }
        return s
    }

    mutating func int(_ x: (Entry, String), min: Int, max: Int) -> Int? {
        guard let n = x.0.value.integer else {
            report(x, "expected an integer from \(min) to \(max), got \(describe(x.0.value))")
            return nil
        }
        guard n >= min && n <= max, let value = Int(exactly: n) else {
            report(x, "expected an integer from \(min) to \(max), got \(n)")
            return nil
        }
        return value
    }

    mutating func bool(_ x: (Entry, String)) -> Bool? {
        if let b = x.0.value.bool { return b }
        report(x, "expected true or false, got \(describe(x.0.value))")
        return nil
    }

    mutating func duration(_ x: (Entry, String), allowZero: Bool = false) -> Duration? {
        let expected = "expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\""
        guard let s = x.0.value.string else {
            report(x, "\(expected), got \(describe(x.0.value))")
            return nil
        }
        guard let d = Units.parseDuration(s) else {
            report(x, "\(expected), got \(quoted(s))")
            return nil
        }
        if d == .zero && !allowZero {
            report(x, "expected a duration greater than zero, got \(quoted(s))")
            return nil
        }
        return d
    }

    mutating func size(_ x: (Entry, String)) -> Int64? {
        let expected = "expected a size in bytes such as 5_000_000 or \"5MB\""
        var bytes: Int64?
        if let n = x.0.value.integer {
            bytes = n
        } else if let s = x.0.value.string {
            bytes = Units.parseSize(s)
            if bytes == nil {
                report(x, "\(expected), got \(quoted(s))")
                return nil
            }
        } else {
            report(x, "\(expected), got \(describe(x.0.value))")
            return nil
        }
        guard let b = bytes, b > 0 else {
            report(x, "expected a size greater than zero")
            return nil
        }
        return b
    }

    /// The strings of an array, each with its own line; nil (after reporting) when the value is
    /// not an array of strings.
    mutating func stringArray(_ x: (Entry, String), what: String) -> [(text: String, line: Int)]? {
        guard let array = x.0.value.array else {
            report(x, "expected an array of \(what), got \(describe(x.0.value))")
            return nil
        }
        var out: [(text: String, line: Int)] = []
        for (i, item) in array.enumerated() {
            guard let s = item.string else {
                report(item.position.line, x.1, "expected an array of \(what), but item \(i + 1) is \(describe(item))")
                return nil
            }
            out.append((s, item.position.line))
        }
        return out
    }

    mutating func checkURL(_ s: String, line: Int, label: String) -> Bool {
        guard let comps = URLComponents(string: s), let scheme = comps.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else {
            report(line, label, "expected an http:// or https:// URL, got \(quoted(s))")
            return false
        }
        guard let host = comps.host, !host.isEmpty else {
            report(line, label, "expected a URL with a host name, got \(quoted(s))")
            return false
        }
        return true
    }

    mutating func urlList(_ x: (Entry, String)) -> [String]? {
        guard let items = stringArray(x, what: "URLs") else { return nil }
        var out: [String] = []
        for item in items where checkURL(item.text, line: item.line, label: x.1) { out.append(item.text) }
        return out
    }

    mutating func phrases(_ x: (Entry, String)) -> [String] {
        guard let items = stringArray(x, what: "words or phrases") else { return [] }
        var out: [String] = []
        for item in items {
            if item.text.trimmingSpaces().isEmpty {
                report(item.line, x.1, "expected non-empty words or phrases, got an empty string")
            } else {
                out.append(item.text)
            }
        }
        return out
    }

    func describe(_ x: TOMLValue) -> String {
        switch x.kind {
        case .string(let s): return "the string \(quoted(s))"
        case .integer(let n): return "the integer \(n)"
        case .float(let f): return "the number \(f)"
        case .boolean(let b): return b ? "true" : "false"
        case .offsetDateTime(let t): return "the date-time \(t)"
        case .localDateTime(let t): return "the local date-time \(t)"
        case .localDate(let t): return "the date \(t)"
        case .localTime(let t): return "the time \(t)"
        case .array: return "an array"
        case .table: return "a table"
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
