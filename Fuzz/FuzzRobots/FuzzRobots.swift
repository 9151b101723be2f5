import FuzzSupport
import KhabarDiscover
@testable import KhabarHTTP

/// Arbitrary bytes as a robots.txt: KhabarHTTP's RFC 9309 parser and matcher, and discovery's
/// reader of its `Sitemap:` lines.
///
/// Checked, beyond "no crash, no leak, bounded time and memory":
/// - parsing is deterministic and bounded (`maxRules`, 10,000 sitemaps), a crawl delay is finite,
///   non-negative and at most a day; `/robots.txt` is always allowed;
/// - the matcher agrees with a plain backtracking reference on every (rule, path) pair tried, and
///   each decision is the longest matching rule, `Allow` winning ties;
/// - a literal rule (no `*`, no `$`) always matches its own text as a path;
/// - `RobotsSitemaps` URLs are http(s), fixed points of parsing and canonicalisation, unique.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRobots(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let body = bytes(data, size)
    let robots = RobotsTxt(parsing: body, productToken: "khabar")
    check(RobotsTxt(parsing: body, productToken: "khabar") == robots, "parsing not deterministic")
    check(robots.rules.count <= RobotsTxt.maxRules, "\(robots.rules.count) rules")
    check(robots.sitemaps.count <= 10_000, "\(robots.sitemaps.count) sitemaps")
    if let delay = robots.crawlDelay {
        check(delay >= .zero && delay <= .seconds(86_400), "crawl delay \(delay)")
    }
    check(robots.isAllowed("/robots.txt"), "/robots.txt refused")

    // Paths to ask about: fixed ones, and the rules' own texts (which the fuzzer steers).
    let rules = Array(robots.rules.prefix(24))
    var paths = fixedPaths
    for rule in rules where rule.text.utf8.count <= 256 { paths.append(rule.text) }

    // (Only rules written in valid UTF-8: otherwise the text no longer spells the pattern.)
    for rule in rules where RobotsTxt.normalize(Array(rule.text.utf8)) == rule.pattern {
        let literal = !rule.pattern.contains(UInt8(ascii: "*")) && !rule.pattern.contains(UInt8(ascii: "$"))
        guard literal, rule.text != "/robots.txt" else { continue }
        let d = robots.decision(for: rule.text)
        check(d.rule != nil && d.rule!.pattern.count >= rule.pattern.count,
              "literal rule \(rule) does not decide its own path (got \(String(describing: d.rule)))")
    }

    for path in paths {
        let normalized = RobotsTxt.normalize(Array(path.utf8))
        var best: RobotsTxt.Rule?
        for rule in robots.rules {
            let fast = RobotsTxt.matches(normalized, rule.pattern)
            if normalized.count <= 96 && rule.pattern.count <= 96 {
                check(fast == referenceMatch(normalized, rule.pattern),
                      "matcher disagrees with the reference: \(rule) on \(path.debugDescription) (fast: \(fast))")
            }
            guard fast else { continue }
            if let b = best, !(rule.pattern.count > b.pattern.count || (rule.pattern.count == b.pattern.count && rule.allow && !b.allow)) {
                continue
            }
            best = rule
        }
        let d = robots.decision(for: path)
        if path == "/robots.txt" { continue }
        check(d.allowed == (best?.allow ?? true) && d.rule?.pattern.count == best?.pattern.count,
              "decision for \(path.debugDescription): \(d) but longest match is \(String(describing: best))")
        check(robots.decision(for: path) == d, "decision not deterministic")
    }

    let text = String(decoding: body, as: UTF8.self)
    var seen = Set<HTTPURL>()
    for url in RobotsSitemaps.urls(in: text, robotsURL: robotsURL) {
        check(HTTPURL(url.string) == url && URLCanonicalizer.canonical(url) == url, "sitemap URL not canonical: \(url)")
        check(seen.insert(url).inserted, "sitemap URL twice: \(url)")
    }
    return 0
}

let robotsURL = HTTPURL("https://www.example.com/robots.txt")!
let fixedPaths = ["/", "/news/2024/01/story-12345.html", "/search?q=x", "/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/", "/اخبار/1",
                  "/a$", "/*", "/robots.txt", "/private/", "/fa/news?id=1&utm_source=x", ""]

/// RFC 9309 matching the obvious way: `*` any run of bytes, a final `$` the end, otherwise a
/// prefix. Memoised backtracking, for short inputs only.
func referenceMatch(_ path: [UInt8], _ pattern: [UInt8]) -> Bool {
    let anchored = pattern.last == UInt8(ascii: "$")
    let body = Array(anchored ? pattern.dropLast() : pattern[...])
    var memo = [Bool?](repeating: nil, count: (path.count + 1) * (body.count + 1))
    func go(_ i: Int, _ j: Int) -> Bool {
        let key = i * (body.count + 1) + j
        if let m = memo[key] { return m }
        let result: Bool
        if j == body.count {
            result = !anchored || i == path.count
        } else if body[j] == UInt8(ascii: "*") {
            result = go(i, j + 1) || (i < path.count && go(i + 1, j))
        } else {
            result = i < path.count && path[i] == body[j] && go(i + 1, j + 1)
        }
        memo[key] = result
        return result
    }
    return go(0, 0)
}

@_cdecl("FuzzRobots_main")
public func fuzzRobotsMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzRobots)
}
