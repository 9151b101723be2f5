import Foundation
import FuzzSupport
import KhabarDiscover
import KhabarService
import KhabarText

/// Arbitrary bytes as a fetched sitemap: gzip (when the bytes say so, as the service does),
/// `SitemapParser` (the streaming reader, the recovering tree parser behind it, plain-text
/// sitemaps), and `SitemapWalk` fed with the result.
///
/// Checked, beyond "no crash, no leak, bounded time and memory":
/// - gzip ends in bytes within the limit or a `Gzip.Failure` with a one-line description;
/// - parsing ends in a sitemap or a `DiscoveryError` with a one-line description, the same on a
///   second run;
/// - at most `SitemapLimits.maxEntriesPerSitemap` entries or references, each http(s), a fixed
///   point of parsing and canonicalisation, unique;
/// - Google News titles and names are one clean line no longer than decoding the input could
///   make (three bytes per byte); the language is trimmed lower case; every date reads back as
///   itself;
/// - a walk over an index ends, visits at most `maxSitemapsPerPoll` sitemaps and never one twice.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSitemap(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = bytes(data, size)
    if Gzip.isGzip(input) {
        do {
            input = try Gzip.decompress(input, limit: gzipLimit)
            check(input.count <= gzipLimit, "gzip output over the limit")
        } catch {
            check(isOneLine(error.description) && !error.description.isEmpty, "gzip error \(error.description.debugDescription)")
            return 0
        }
    }

    let first: Result<Sitemap, DiscoveryError>
    do throws(DiscoveryError) {
        first = .success(try SitemapParser.parse(input, url: sitemapURL))
    } catch {
        first = .failure(error)
    }
    let second: Result<Sitemap, DiscoveryError>
    do throws(DiscoveryError) {
        second = .success(try SitemapParser.parse(input, url: sitemapURL))
    } catch {
        second = .failure(error)
    }
    check(first == second, "sitemap parsing not deterministic")

    switch first {
    case .failure(let error):
        check(!error.description.isEmpty && isOneLine(error.description), "error description \(error.description.debugDescription)")
    case .success(let sitemap):
        check(sitemap.count <= SitemapLimits.maxEntriesPerSitemap, "\(sitemap.count) entries")
        var seen = Set<HTTPURL>()
        switch sitemap {
        case .index(let refs):
            for r in refs {
                checkCanonical(r.url)
                check(seen.insert(r.url).inserted, "reference twice: \(r.url)")
                if let d = r.lastModified { checkDate(d) }
            }
        case .urlset(let entries):
            for e in entries {
                checkCanonical(e.url)
                check(seen.insert(e.url).inserted, "entry twice: \(e.url)")
                if let d = e.lastModified { checkDate(d) }
                if let news = e.news {
                    if let t = news.title { checkLine(t, "news title", input.count) }
                    if let n = news.publicationName { checkLine(n, "publication name", input.count) }
                    if let l = news.language {
                        check(!l.isEmpty && l == l.lowercased() && l.trimmingCharacters(in: .whitespacesAndNewlines) == l, "language \(l.debugDescription)")
                    }
                    if let d = news.published { checkDate(d) }
                }
            }
        }
        walk(sitemap)
    }
    return 0
}

let sitemapURL = HTTPURL("https://www.example.com/sitemap.xml")!
/// Smaller than the service's 50 MB so that each run stays fast; the code path is the same.
let gzipLimit = 1 << 20

/// A walk that gets this same sitemap back for every URL it asks for: an index that lists itself
/// and its children again and again must still end within the bounds.
func walk(_ sitemap: Sitemap) {
    var walk = SitemapWalk(roots: [sitemapURL])
    var visited = Set<HTTPURL>()
    var steps = 0
    while let next = walk.next() {
        check(visited.insert(next).inserted, "the walk visited \(next) twice")
        steps += 1
        check(steps <= SitemapLimits.maxSitemapsPerPoll, "the walk did not stop")
        walk.record(sitemap, from: next)
    }
    check(walk.visited == steps, "visited \(walk.visited), handed out \(steps)")
}

@_cdecl("FuzzSitemap_main")
public func fuzzSitemapMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzSitemap)
}
