// khabar-fixture-site: serves a loopback fixture news site (KhabarTestSupport.FixtureSite) built
// from saved article pages, for bench/e2e.sh and for trying the daemon by hand.
//
//   khabar-fixture-site --pages DIR [--pages DIR …] [--count N] [--host 127.0.0.1]
//
// DIR holds decompressed `.html` pages. N articles are served (default: one per page), each at a
// unique URL `/article/1000001` …; when N exceeds the pages, page i is reused with its headline
// (`<title>`, `<h1>`, `og:title`) marked with the copy number, so every copy is a distinct text.
// All are listed in the gzipped and plain sitemaps (500 per file, behind a sitemap index that
// robots.txt names); the newest 50 also in the RSS feed and on the homepage. Prints
// `ready BASE_URL` when serving, and serves until stdin closes or SIGTERM.
import Foundation
import KhabarTestSupport

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("khabar-fixture-site: \(message)\n".utf8))
    exit(2)
}

var dirs: [String] = []
var count: Int?
var host = "127.0.0.1"
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--pages":
        if args.isEmpty { fail("--pages needs a folder") }
        dirs.append(args.removeFirst())
    case "--count": count = args.isEmpty ? nil : Int(args.removeFirst())
    case "--host":
        if args.isEmpty { fail("--host needs an address") }
        host = args.removeFirst()
    default: fail("unknown argument \(a)")
    }
}
var pages: [[UInt8]] = []
for dir in dirs {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { fail("cannot read \(dir)") }
    for name in names.sorted() where name.hasSuffix(".html") {
        if let data = FileManager.default.contents(atPath: dir + "/" + name) { pages.append([UInt8](data)) }
    }
}
if pages.isEmpty { fail("no .html pages given") }
let total = count ?? pages.count

/// The page with its headline marked as copy `copy` (0: unchanged): ` (N)` before every
/// `</title>` and `</h1>`, and at the end of the `content` of `og:title` / `twitter:title` metas.
/// Works on bytes (pages are large; String searching them was 40 ms a copy).
func marked(_ page: [UInt8], copy: Int) -> [UInt8] {
    guard copy > 0 else { return page }
    let mark = Array(" (\(copy + 1))".utf8)
    let lower = page.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    func find(_ needle: String, from: Int, to end: Int? = nil) -> Int? {
        let n = Array(needle.utf8)
        let limit = min(end ?? lower.count, lower.count) - n.count
        guard from <= limit else { return nil }
        var i = from
        while i <= limit {
            if lower[i] == n[0] && Array(lower[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }
    var inserts: [Int] = []
    for close in ["</title>", "</h1>"] {
        var at = 0
        while let i = find(close, from: at) {
            inserts.append(i)
            at = i + 1
        }
    }
    for property in ["\"og:title\"", "\"twitter:title\""] {
        var at = 0
        while let i = find(property, from: at) {
            at = i + 1
            guard let tagEnd = find(">", from: i), let content = find("content=\"", from: i, to: tagEnd),
                  let quote = find("\"", from: content + 9, to: tagEnd) else { continue }
            inserts.append(quote)
        }
    }
    var out: [UInt8] = []
    out.reserveCapacity(page.count + inserts.count * mark.count)
    var last = 0
    for i in inserts.sorted() {
        out += page[last..<i]
        out += mark
        last = i
    }
    out += page[last...]
    return out
}

let site: FixtureSite
do { site = try FixtureSite(host: host, sitemapPageSize: 500) } catch { fail("cannot start the server: \(error)") }
let now = Date()
for i in 0..<total {
    let page = pages[i % pages.count]
    let copy = i / pages.count
    var channels: Set<FixtureSite.Channel> = [i % 2 == 0 ? .gzippedSitemap : .sitemap]
    if i >= total - 50 { channels.formUnion([.rss, .homepage]) }
    site.put(FixtureSite.Article(path: "/article/\(1_000_001 + i)", body: marked(page, copy: copy),
                                 contentType: "text/html; charset=utf-8", title: "Article \(i + 1)",
                                 published: now.addingTimeInterval(Double(i - total) * 60), channels: channels))
}
FileHandle.standardOutput.write(Data("ready \(site.baseURL)\n".utf8))
signal(SIGTERM, SIG_IGN)
let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
term.setEventHandler { site.stop(); exit(0) }
term.resume()
// Serve until stdin closes.
while let _ = readLine() {}
site.stop()
