import Foundation
import Testing
@testable import KhabarService

@Suite struct ConfigLoaderTests {
    static let minimal = """
    [[source]]
    name = "roayah"
    url = "https://roayahnews.com/"
    """

    func issues(_ text: String) -> [String] {
        do {
            _ = try ConfigLoader.parse(text, file: "k.toml")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func minimalFileGetsEveryDefault() throws {
        let config = try ConfigLoader.parse(Self.minimal, file: "k.toml")
        #expect(config.daemon == DaemonSettings())
        #expect(config.daemon.corpusDir == "state/corpus")
        #expect(config.daemon.stateDB == "state/khabar.sqlite")
        #expect(config.daemon.maxConcurrency == 16)
        #expect(config.daemon.perHostConcurrency == 2)
        #expect(config.daemon.perHostDelay == .seconds(1))
        #expect(config.daemon.timeout == .seconds(30))
        #expect(config.daemon.maxAttempts == 4)
        #expect(config.daemon.allowPrivateAddresses == false)
        #expect(config.daemon.maxPageBytes == 5_000_000)
        #expect(config.daemon.minChars == 300)
        #expect(config.daemon.nearDuplicateDistance == 3)
        #expect(config.daemon.nearDuplicates == .skip)
        #expect(config.daemon.revisit == [.seconds(3600), .seconds(21_600), .seconds(86_400), .seconds(259_200)])
        #expect(config.sources.count == 1)
        let s = config.sources[0]
        #expect(s.name == "roayah" && s.url == "https://roayahnews.com/")
        #expect(s.interval == .seconds(900))
        #expect(s.feeds.isEmpty && s.sitemaps.isEmpty && s.listingPages.isEmpty && s.languages.isEmpty)
        #expect(s.articleURLPattern == nil)
    }

    @Test func everyKeyIsRead() throws {
        let text = """
        [daemon]
        corpus_dir = "/srv/corpus"
        state_db = "/srv/k.sqlite"
        user_agent = "Test/1"
        max_concurrency = 8
        per_host_concurrency = 1
        per_host_delay = "500ms"
        timeout = "10s"
        max_attempts = 2
        allow_private_addresses = true
        max_page_bytes = "2MB"
        min_chars = 100
        near_duplicate_distance = 0
        near_duplicates = "keep"
        revisit = ["30m", "2h"]

        [[source]]
        name = "a"
        url = "http://127.0.0.1:8080/"
        feeds = ["http://127.0.0.1:8080/rss.xml"]
        sitemaps = ["http://127.0.0.1:8080/sitemap.xml"]
        listing_pages = ["http://127.0.0.1:8080/news/"]
        allowed_hosts = ["CDN.example.com"]
        article_url_pattern = "/news/[0-9]+"
        interval = "1h"
        languages = ["fa", "ar"]
        include_any = ["روسیه"]
        exclude_any = ["ورزش"]
        """
        let c = try ConfigLoader.parse(text, file: "k.toml")
        let d = c.daemon
        #expect(d.corpusDir == "/srv/corpus" && d.stateDB == "/srv/k.sqlite" && d.userAgent == "Test/1")
        #expect(d.maxConcurrency == 8 && d.perHostConcurrency == 1 && d.perHostDelay == .milliseconds(500))
        #expect(d.timeout == .seconds(10) && d.maxAttempts == 2 && d.allowPrivateAddresses)
        #expect(d.maxPageBytes == 2_000_000 && d.minChars == 100 && d.nearDuplicateDistance == 0)
        #expect(d.nearDuplicates == .keep && d.revisit == [.seconds(1800), .seconds(7200)])
        let s = c.sources[0]
        #expect(s.feeds == ["http://127.0.0.1:8080/rss.xml"])
        #expect(s.sitemaps == ["http://127.0.0.1:8080/sitemap.xml"])
        #expect(s.listingPages == ["http://127.0.0.1:8080/news/"])
        #expect(s.allowedHosts == ["cdn.example.com"])
        #expect(s.articleURLPattern == "/news/[0-9]+")
        #expect(s.interval == .seconds(3600))
        #expect(s.languages == ["fa", "ar"] && s.includeAny == ["روسیه"] && s.excludeAny == ["ورزش"])
    }

    @Test func syntaxErrorNamesTheLine() {
        let found = issues("[daemon]\ntimeout = \"30s\"\nmax_attempts = = 3\n")
        #expect(found == ["k.toml:3:16: TOML syntax error: expected a value after '=', found '='"])
    }

    /// Found by fuzzing: toml++ aborted on a NUL inside a `[[…]]` header.
    @Test func controlCharactersAreRefused() throws {
        let crash = "[daemon]\ntimeout = \"60s\"\n\n[[\u{17}\0\0\0\0\0\0\0\0source]]\nname = \"a\"\n"
        #expect(issues(crash) == ["k.toml:4:3: control character U+0017 is not allowed in TOML"])
        #expect(issues(Self.minimal + "\n# bell \u{7}\n") == ["k.toml:4:8: control character U+0007 is not allowed in TOML"])
        #expect(issues("a = 1\r\r\n") == ["k.toml:1:6: a carriage return not followed by a line feed is not allowed in TOML"])
        #expect(try ConfigLoader.parse(Self.minimal.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n", file: "k.toml").sources.count == 1)
        #expect(try ConfigLoader.parse(Self.minimal + "\n#\ttab\n", file: "k.toml").sources.count == 1)
    }

    /// Found by fuzzing: toml++ aborted on a header without a name (`[` then a newline).
    @Test func headerWithoutANameIsASyntaxError() throws {
        #expect(issues("[daemon]\ntimeout = \"30s\"\n[\ntimeout = \"30s\"\n") == ["k.toml:3:1: TOML syntax error: a table header needs a name after '['"])
        #expect(issues(Self.minimal + "\n  [[ ]]\n") == ["k.toml:4:3: TOML syntax error: a table header needs a name after '['"])
        #expect(issues("[]\n") == ["k.toml:1:1: TOML syntax error: a table header needs a name after '['"])
        // Brackets inside values and strings are not headers.
        let ok = "[daemon]\nrevisit = [\n  \"1h\",\n  \"2h\",\n]\nuser_agent = \"\"\"\n[not a header\"\"\"\n" + Self.minimal
        let config = try ConfigLoader.parse(ok, file: "k.toml")
        #expect(config.daemon.revisit == [.seconds(3600), .seconds(7200)])
    }

    /// Found by fuzzing: toml++ aborted on a closing brace inside an array.
    @Test func braceInsideAnArrayIsASyntaxError() {
        #expect(issues("[daemon]\nrevisit = [\"1h\", }\n" + Self.minimal)
            == ["k.toml:2:18: TOML syntax error: expected a value or ']', found '}'"])
    }

    /// The inputs that made toml++ abort, as kept in the fuzzer's seeds, now end in one issue.
    @Test func fuzzSeedsEndInAnIssue() throws {
        let seeds = Self.repoRoot + "/Fuzz/seeds/FuzzConfig/"
        let expected = [
            "crash-toml-header-without-name.toml": "1:1: TOML syntax error: a table header needs a name after '['",
            "crash-toml-array-value-terminator.toml": "1:12: TOML syntax error: expected a value or ']', found '}'",
        ]
        for (name, issue) in expected {
            do {
                _ = try ConfigLoader.load(path: seeds + name)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(error.description == seeds + name + ":" + issue)
            }
        }
        #expect(try ConfigLoader.load(path: seeds + "small.toml").sources.map(\.name) == ["a"])
        #expect(try ConfigLoader.load(path: seeds + "config-every-key.toml").sources.map(\.name) == ["a", "b"])
        #expect(try ConfigLoader.load(path: seeds + "config-crlf.toml").daemon.revisit == [.seconds(3600), .seconds(21_600)])
    }

    /// The file's bytes go to the parser as they are, so broken UTF-8 is named with its place.
    @Test func invalidUTF8NamesLineAndColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("k.toml").path
        var bytes = Array((Self.minimal + "\n# روسیه ").utf8)
        bytes += [0xD8, 0x0A]
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o644]))
        do {
            _ = try ConfigLoader.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(path):4:9: the configuration is not valid UTF-8 (bytes 0xD8 0x0A)")
        }
    }

    /// Issues inside arrays name the line of the item, not of the key.
    @Test func arrayItemsAreNamedByTheirLine() {
        let text = Self.minimal + "\nfeeds = [\n  \"https://roayahnews.com/feed\",\n  \"ftp://roayahnews.com/feed\",\n]\nlanguages = [\n  \"ar\",\n  \"Arabic\",\n]\n"
        #expect(issues(text) == [
            "k.toml:6: source \"roayah\" feeds: expected an http:// or https:// URL, got \"ftp://roayahnews.com/feed\"",
            "k.toml:10: source \"roayah\" languages: expected ISO 639 language codes such as \"ar\" or \"fa\", got \"Arabic\"",
        ])
        #expect(issues("[daemon]\nrevisit = [\n  \"1h\",\n  3,\n]\n" + Self.minimal)
            == ["k.toml:4: [daemon] revisit: expected an array of durations, but item 2 is the integer 3"])
    }

    /// Issues come in the order of the file, whatever order the checks run in.
    @Test func issuesAreInFileOrder() {
        // The checks run unknown keys first; the report follows the file.
        let text = "[[source]]\nname = \"a b\"\nurl = \"https://e.com/\"\ninterval = 5\nbogus = 1\n[daemon]\ntimeout = \"x\"\n"
        #expect(issues(text) == [
            "k.toml:2: source \"a b\" name: expected a short name of ASCII letters, digits, '-', '_' or '.', got \"a b\"",
            "k.toml:4: source \"a b\" interval: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got the integer 5",
            "k.toml:5: source \"a b\" bogus: unknown key; known keys: name, url, feeds, sitemaps, listing_pages, allowed_hosts, article_url_pattern, interval, languages, include_any, exclude_any",
            "k.toml:7: [daemon] timeout: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got \"x\"",
        ])
    }

    /// Values of other TOML types are described by their type and value.
    @Test func otherTypesAreDescribed() {
        #expect(issues("[daemon]\ntimeout = 07:30:00\nper_host_delay = 1979-05-27\nuser_agent = 1.5\nmax_attempts = [1]\n" + Self.minimal) == [
            "k.toml:2: [daemon] timeout: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got the time 07:30:00",
            "k.toml:3: [daemon] per_host_delay: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got the date 1979-05-27",
            "k.toml:4: [daemon] user_agent: expected a string, got the number 1.5",
            "k.toml:5: [daemon] max_attempts: expected an integer from 1 to 20, got an array",
        ])
    }

    /// `source` must be an array of tables; a single table, a value or an empty array is not one.
    @Test func sourceMustBeAnArrayOfTables() {
        #expect(issues("[source]\nname = \"a\"\n") == [
            "k.toml:1: source: expected an array of tables ([[source]]), not a single table",
            "k.toml: no [[source]] is configured; Khabar needs at least one source to poll",
        ])
        #expect(issues("source = []\n") == ["k.toml: no [[source]] is configured; Khabar needs at least one source to poll"])
        #expect(issues("source = [{name = \"a\", url = \"https://e.com/\"}, 5]\n")
            == ["k.toml:1: source: expected an array of tables ([[source]]), but item 2 is the integer 5"])
        #expect(issues("daemon = 5\n" + Self.minimal) == ["k.toml:1: daemon: expected a table ([daemon]), got the integer 5"])
    }


    @Test func unknownDaemonKeyNamesLineKeyAndSuggestion() {
        let found = issues("[daemon]\ntimout = \"30s\"\n\n" + Self.minimal)
        #expect(found == ["k.toml:2: [daemon] timout: unknown key (did you mean 'timeout'?)"])
    }

    @Test func unknownSourceKeyIsAnError() {
        let found = issues(Self.minimal + "\nfeed = [\"https://roayahnews.com/feed\"]\n")
        #expect(found == ["k.toml:4: source \"roayah\" feed: unknown key (did you mean 'feeds'?)"])
    }

    @Test func unknownTopLevelTableIsAnError() {
        let found = issues("[demon]\nx = 1\n" + Self.minimal)
        #expect(found == ["k.toml:1: demon: unknown key (did you mean 'daemon'?)"])
    }

    @Test func badDurationNamesKeyAndValue() {
        let found = issues("[daemon]\nmax_attempts = 3\ntimeout = \"30 seconds\"\n" + Self.minimal)
        #expect(found == [
            "k.toml:3: [daemon] timeout: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got \"30 seconds\""
        ])
    }

    @Test func durationAsIntegerIsRefused() {
        let found = issues(Self.minimal + "\ninterval = 900\n")
        #expect(found == [
            "k.toml:4: source \"roayah\" interval: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got the integer 900"
        ])
    }

    @Test func badSizeIsRefused() {
        let found = issues("[daemon]\nmax_page_bytes = \"5 megs\"\n" + Self.minimal)
        #expect(found == ["k.toml:2: [daemon] max_page_bytes: expected a size in bytes such as 5_000_000 or \"5MB\", got \"5 megs\""])
    }

    @Test func wrongTypesAreRefused() {
        let found = issues("[daemon]\nmax_concurrency = \"16\"\nallow_private_addresses = \"no\"\nmin_chars = -1\n" + Self.minimal)
        #expect(found.sorted() == [
            "k.toml:2: [daemon] max_concurrency: expected an integer from 1 to 1024, got the string \"16\"",
            "k.toml:3: [daemon] allow_private_addresses: expected true or false, got the string \"no\"",
            "k.toml:4: [daemon] min_chars: expected an integer from 0 to 1000000, got -1",
        ].sorted())
    }

    @Test func nonHTTPURLIsRefused() {
        let found = issues("[[source]]\nname = \"a\"\nurl = \"ftp://example.com/\"\nfeeds = [\"file:///etc/passwd\"]\n")
        #expect(found == [
            "k.toml:3: source \"a\" url: expected an http:// or https:// URL, got \"ftp://example.com/\"",
            "k.toml:4: source \"a\" feeds: expected an http:// or https:// URL, got \"file:///etc/passwd\"",
        ])
    }

    @Test func badRegexIsRefused() {
        let found = issues(Self.minimal + "\narticle_url_pattern = \"/news/(\"\n")
        #expect(found == ["k.toml:4: source \"roayah\" article_url_pattern: the regular expression \"/news/(\" does not compile"])
    }

    @Test func duplicateSourceNamesAreRefused() {
        let found = issues(Self.minimal + "\n\n[[source]]\nname = \"roayah\"\nurl = \"https://example.com/\"\n")
        #expect(found == ["k.toml:6: source \"roayah\" name: duplicate source name \"roayah\" (first on line 2); names must be unique"])
    }

    @Test func fileWithoutSourcesIsRefused() {
        let found = issues("[daemon]\ntimeout = \"30s\"\n")
        #expect(found == ["k.toml: no [[source]] is configured; Khabar needs at least one source to poll"])
    }

    @Test func missingNameAndURLAreReported() {
        let found = issues("[[source]]\ninterval = \"1h\"\n")
        #expect(found == [
            "k.toml:1: source #1: missing required key 'name'",
            "k.toml:1: source #1: missing required key 'url' (the source's homepage)",
        ])
    }

    @Test func everyIssueIsReportedAtOnce() {
        let found = issues("[daemon]\ntimeout = \"x\"\nretries = 3\n[[source]]\nname = \"a b\"\nurl = \"https://e.com/\"\nlanguages = [\"Persian\"]\n")
        #expect(found.count == 4)
    }

    @Test func nearDuplicatesMustBeSkipOrKeep() {
        let found = issues("[daemon]\nnear_duplicates = \"drop\"\n" + Self.minimal)
        #expect(found == ["k.toml:2: [daemon] near_duplicates: expected \"skip\" or \"keep\", got \"drop\""])
    }

    @Test func perHostConcurrencyMayNotExceedGlobal() {
        let found = issues("[daemon]\nmax_concurrency = 2\nper_host_concurrency = 4\n" + Self.minimal)
        #expect(found == ["k.toml:3: [daemon] per_host_concurrency: must not exceed max_concurrency (2), got 4"])
    }

    @Test func revisitMustBeIncreasingDurations() {
        #expect(issues("[daemon]\nrevisit = [\"6h\", \"1h\"]\n" + Self.minimal)
            == ["k.toml:2: [daemon] revisit: expected durations in increasing order, got \"6h\", \"1h\""])
        #expect(issues("[daemon]\nrevisit = [\"soon\"]\n" + Self.minimal)
            == ["k.toml:2: [daemon] revisit: expected durations such as \"1h\" or \"72h\", got \"soon\""])
    }

    @Test func sourceLinesCountArrayElements() {
        let text = Self.minimal + "\n\n[[source]]\nname = \"b\"\nurl = \"https://b.example/\"\ninterval = \"never\"\n"
        #expect(issues(text) == [
            "k.toml:8: source \"b\" interval: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got \"never\""
        ])
    }

    @Test func worldWritableFileIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("k.toml").path
        try Self.minimal.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o666)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: path) }
        do {
            _ = try ConfigLoader.load(path: path)
        } catch {
            #expect(error.description == "\(path): refusing a world-writable configuration file (mode 666); anyone could change what Khabar fetches. Run: chmod o-w \(path)")
        }
        chmod(path, 0o644)
        #expect(try ConfigLoader.load(path: path).sources.count == 1)
    }

    @Test func missingFileIsOneClearIssue() {
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/khabar.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/khabar.toml: cannot read the configuration: No such file or directory")
        }
    }

    @Test func printedConfigurationParsesBackToTheSame() throws {
        let shipped = try ConfigLoader.load(path: Self.repoRoot + "/config/khabar.toml")
        #expect(shipped.sources.map(\.name) == ["independentpersian", "melliun", "iranintl-ar", "roayah", "thenewkhalij"])
        let printed = ConfigPrinter.render(shipped)
        var again = try ConfigLoader.parse(printed, file: shipped.path)
        again.path = shipped.path
        #expect(again == shipped)
    }

    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
