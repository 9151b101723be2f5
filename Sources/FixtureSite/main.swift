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

/// The page with its headline marked as copy `copy` (0: unchanged).
func marked(_ page: [UInt8], copy: Int) -> [UInt8] {
    guard copy > 0 else { return page }
    var html = String(decoding: page, as: UTF8.self)
    let mark = " (\(copy + 1))"
    for close in ["</title>", "</h1>", "</H1>", "</TITLE>"] {
        html = html.replacingOccurrences(of: close, with: mark + close)
    }
    for property in ["og:title", "twitter:title"] {
        var searchStart = html.startIndex
        while let r = html.range(of: "\"\(property)\"", range: searchStart..<html.endIndex) {
            searchStart = r.upperBound
            // The content attribute of the same tag, when it follows.
            guard let tagEnd = html.range(of: ">", range: r.upperBound..<html.endIndex),
                  let content = html.range(of: "content=\"", range: r.upperBound..<tagEnd.lowerBound),
                  let quote = html.range(of: "\"", range: content.upperBound..<tagEnd.lowerBound) else { continue }
            html.replaceSubrange(quote.lowerBound..<quote.lowerBound, with: mark)
            searchStart = html.index(quote.lowerBound, offsetBy: mark.count, limitedBy: html.endIndex) ?? html.endIndex
        }
    }
    return Array(html.utf8)
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
