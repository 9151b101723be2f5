import CLibXML2
import FuzzSupport
import KhabarHTML
import KhabarText
@testable import KhabarDiscover

/// Arbitrary bytes as a fetched feed: `XMLInput`'s repairs, `Document.xml`, `FeedParser` and
/// `DiscoveryDocument` (which reads a document as feed or sitemap, whichever it is).
///
/// Checked, beyond "no crash, no leak, bounded time and memory":
/// - the repair grows the input by a constant factor at most (no expansion of any kind);
/// - `Document.xml` on the raw bytes either refuses them or gives a document whose internal
///   subset declares no entity;
/// - parsing ends in a feed or a `DiscoveryError` with a one-line description, the same on a
///   second run;
/// - every entry URL is http(s), a fixed point of parsing and of canonicalisation, unique;
/// - titles and authors are one clean line, none longer than decoding the input could make
///   (three bytes per input byte: nothing was expanded);
/// - every date prints as RFC 3339 and reads back as the same date.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = bytes(data, size)

    let repaired = XMLInput.repair(input)
    check(repaired.count <= 5 * input.count + 3, "repair grew \(input.count) bytes to \(repaired.count)")

    do {
        let document = try Document.xml(input, url: feedURL.string)
        if let subset = document.withUnsafeDocument({ $0.pointee.intSubset }) {
            check(subset.pointee.entities == nil && subset.pointee.pentities == nil, "Document.xml accepted declared entities")
        }
    } catch {
        checkError(error.description)
    }

    let first: Result<Feed, DiscoveryError>
    do throws(DiscoveryError) {
        first = .success(try FeedParser.parse(input, url: feedURL))
    } catch {
        first = .failure(error)
    }
    switch first {
    case .success(let feed):
        checkFeed(feed, inputSize: input.count)
    case .failure(let error):
        checkError(error.description)
    }
    let second: Result<Feed, DiscoveryError>
    do throws(DiscoveryError) {
        second = .success(try FeedParser.parse(input, url: feedURL))
    } catch {
        second = .failure(error)
    }
    check(first == second, "feed parsing not deterministic")

    do {
        switch try DiscoveryDocument.parse(input, url: feedURL) {
        case .feed(let feed): checkFeed(feed, inputSize: input.count)
        case .sitemap(let sitemap): check(sitemap.count <= SitemapLimits.maxEntriesPerSitemap, "sitemap too long")
        }
    } catch {
        checkError(error.description)
    }
    return 0
}

let feedURL = HTTPURL("https://www.example.com/feeds/all.xml")!

func checkError(_ description: String) {
    check(!description.isEmpty && isOneLine(description), "error description \(description.debugDescription)")
}

func checkFeed(_ feed: Feed, inputSize: Int) {
    var seen = Set<HTTPURL>()
    if let homepage = feed.homepage { checkCanonical(homepage) }
    if let title = feed.title { checkLine(title, "feed title", inputSize) }
    for entry in feed.entries {
        checkCanonical(entry.url)
        check(seen.insert(entry.url).inserted, "entry URL twice: \(entry.url)")
        if let t = entry.title { checkLine(t, "entry title", inputSize) }
        if let a = entry.author { checkLine(a, "author", inputSize) }
        if let id = entry.id { check(id.utf8.count <= 3 * inputSize, "id longer than the input could make") }
        for d in [entry.published, entry.updated].compactMap({ $0 }) { checkDate(d) }
    }
}

@_cdecl("FuzzFeed_main")
public func fuzzFeedMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzFeed)
}
