import Foundation
import KhabarDaemonTestSupport
import KhabarTestSupport

/// A fixture news site (`FixtureSite`: homepage, RSS, Atom, sitemaps, listing page, articles)
/// that misbehaves at random — seeded, so a failure names the seed that made it:
///
/// - **transient faults**, drawn per request: connection reset before the answer or in the
///   middle of the body, a truncated body (`Content-Length` longer than what is sent, then FIN),
///   bursts of 500/502/503/504 over consecutive requests, 429 with `Retry-After: 1`, slow drips
///   (some finish within the client's timeout, some do not);
/// - **channel faults**: a feed, sitemap or listing answered with a wrong content type or an
///   gzip bomb;
/// - **lying charsets**: an article's full, correct bytes under a `Content-Type` whose charset
///   lies — windows-1256 bytes declared UTF-8, UTF-8 bytes declared windows-1256;
/// - **broken articles**, a property of the page rather than of one request (so the same every
///   time, as on a real site): one oversized, one with a wrong content type.
///
/// Each article meets at most `faultCap` transient faults in all; after that it is always served
/// whole. So the daemon's five attempts per URL suffice whenever it does not waste one, and an
/// article that never reaches the corpus is a loss, not bad luck.
///
/// A test can also force one fault on one URL (`force(_:at:)`), every time and calm or not —
/// including faults never drawn at random (503 with `Retry-After`, a PDF, a plain oversized body,
/// redirect loops, a redirect to `file:`, an empty 200, a page without an article).
///
/// The site records which articles it **served completely**: a 200 whose whole body was written
/// (a lying charset included — the bytes are the article's). `robots.txt` is always served
/// correctly: a robots.txt that fails rightly disallows the host for ten minutes (RFC 9309; the
/// HTTP suite tests that), which would stop a test of a minute.
final class ChaosSite: Sendable {
    enum Fault: String, CaseIterable, Sendable {
        case resetBeforeAnswer = "reset before the answer"
        case resetMidBody = "reset mid-body"
        case truncated = "truncated body"
        case serverError = "5xx (burst)"
        case tooManyRequests = "429 Retry-After: 1"
        case slowDrip = "slow drip"
        case lyingCharset = "lying charset"
        case wrongContentType = "wrong content type"
        case gzipBomb = "gzip bomb"
        // Only where a test forces them (`force(_:at:)`), never drawn at random:
        case unavailable = "503 Retry-After: 120"
        case pdf = "application/pdf"
        case oversized = "oversized body"
        case redirectLoop = "redirect loop"
        case redirectToNonHTTP = "redirect to file:"
        case emptyOK = "empty 200"
        case noArticle = "HTML without an article"

        /// The faults the random draws choose from.
        static let drawn: [Fault] = [.resetBeforeAnswer, .resetMidBody, .truncated, .serverError, .tooManyRequests, .slowDrip,
                                     .lyingCharset, .wrongContentType, .gzipBomb]
    }

    /// A property of an article page.
    enum Encoding: Sendable { case utf8, windows1256 }
    enum Broken: Sendable { case oversized, wrongContentType }

    struct Article: Sendable {
        var path: String
        var encoding: Encoding
        var broken: Broken?
    }

    struct Probabilities: Sendable {
        /// Per request, that some fault happens (the kind then drawn below).
        var fault = 0.3
        var burstLength = 2...4
        /// The most transient faults one article meets in all.
        var faultCap = 3
        /// How long a slow drip takes in all (the test's timeout is in this range: some finish).
        var dripSeconds = 0.5...6.0
    }

    let site: FixtureSite
    let seed: UInt64
    let probabilities: Probabilities
    private let articles = Locked<[String: Article]>([:])
    private let forced = Locked<[String: Fault]>([:])
    private let mutable: Locked<Mutable>

    private struct Mutable {
        var rng: SeededRandom
        var calm = false
        var latency: ClosedRange<Double>?
        var burstLeft = 0
        var faultsByPath: [String: Int] = [:]
        var servedComplete: [String: Int] = [:]
        var tally: [Fault: Int] = [:]
        var requests = 0
    }

    init(seed: UInt64, probabilities: Probabilities = Probabilities()) throws {
        self.seed = seed
        self.probabilities = probabilities
        site = try FixtureSite(disallow: [])
        mutable = Locked(Mutable(rng: SeededRandom(seed: seed ^ 0x5EED_0F_C4A0_5)))
        site.server.intercept { [unowned self] request, writer, routed in
            try self.handle(request, writer, routed)
        }
    }

    func stop() { site.stop() }

    var calm: Bool {
        get { mutable.withLock { $0.calm } }
        set { mutable.withLock { $0.calm = newValue } }
    }

    /// Seconds each article request waits before its answer (nil: none) — a slow site, so that a
    /// poll's work lasts long enough to be interrupted.
    var latency: ClosedRange<Double>? {
        get { mutable.withLock { $0.latency } }
        set { mutable.withLock { $0.latency = newValue } }
    }

    /// Adds an article page (listed in `channels`; none: served but not yet linked anywhere).
    func put(path: String, headline: String, paragraphs: [String], encoding: Encoding, broken: Broken? = nil,
             channels: Set<FixtureSite.Channel>) {
        var html = FixtureSite.newsPage(headline: headline, paragraphs: paragraphs, lang: "ar", published: Date())
        let body: [UInt8]
        let contentType: String
        switch encoding {
        case .utf8:
            body = Array(html.utf8)
            contentType = "text/html; charset=utf-8"
        case .windows1256:
            html = html.replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"windows-1256\">")
            body = Iconv.convert(html, to: "WINDOWS-1256") ?? Array(html.utf8)
            contentType = "text/html; charset=windows-1256"
        }
        var article = FixtureSite.Article(path: path, body: body, contentType: contentType, title: headline, channels: channels)
        if broken == .oversized {
            // A real page with a megabyte and a half of inline data in front of the article.
            let padding = "<script>var data = \"" + String(repeating: "x", count: 1_500_000) + "\";</script>"
            article.body = Array(html.replacingOccurrences(of: "</head>", with: padding + "</head>").utf8)
        }
        articles.withLock { $0[path] = Article(path: path, encoding: encoding, broken: broken) }
        site.put(article)
    }

    /// Lists an article in more channels (it appears at the next poll).
    func list(_ path: String, in channels: Set<FixtureSite.Channel>) {
        guard var article = site.article(at: path) else { return }
        article.channels = channels
        site.put(article)
    }

    /// Answers every request to `path` with `fault`, calm or not: a URL per fault, for tests that
    /// drive one fault at a time from outside.
    func force(_ fault: Fault, at path: String) {
        forced.withLock { $0[path] = fault }
    }

    /// Forgets what was served and counted (after the test measured the calm site).
    func resetRecords() {
        mutable.withLock { m in
            m.servedComplete = [:]
            m.tally = [:]
            m.requests = 0
        }
        site.server.resetRecords()
    }

    /// Articles whose whole body was sent at least once.
    var servedCompletely: Set<String> { Set(mutable.withLock { $0.servedComplete.keys }) }

    /// How often each fault happened, and how many requests there were.
    var tally: (faults: [Fault: Int], requests: Int) { mutable.withLock { ($0.tally, $0.requests) } }

    /// One line for the test log.
    var summary: String {
        let (faults, requests) = tally
        let parts = Fault.drawn.map { "\($0.rawValue) \(faults[$0] ?? 0)" }
        return "\(requests) requests, " + parts.joined(separator: ", ") + "; \(servedCompletely.count) articles served completely"
    }

    // MARK: Answering

    private func handle(_ request: TestRequest, _ w: ResponseWriter, _ routed: TestServer.Handler) throws {
        let path = request.path
        let page = articles.withLock { $0[path] }
        if let fault = forced.withLock({ $0[path] }) {
            mutable.withLock { $0.tally[fault, default: 0] += 1 }
            try answer(fault, forced: true, request, w, routed)
            return
        }
        if let page, let broken = page.broken {
            try answerBroken(broken, w)
            return
        }
        let fault = drawFault(path: path, isArticle: page != nil)
        if let fault { mutable.withLock { $0.tally[fault, default: 0] += 1 } }
        if page != nil, let wait = mutable.withLock({ m in m.latency.map { Double.random(in: $0, using: &m.rng) } }) {
            try w.pause(.milliseconds(Int64(wait * 1_000)))
        }
        try answer(fault, forced: false, request, w, routed)
    }

    /// Answers with `fault` (nil: as the site would). A forced fault is the same every time: a 500
    /// rather than a random 5xx, a drip far beyond any test's timeout.
    private func answer(_ fault: Fault?, forced: Bool, _ request: TestRequest, _ w: ResponseWriter,
                        _ routed: TestServer.Handler) throws {
        let path = request.path
        let page = articles.withLock { $0[path] }
        let body = site.article(at: path)?.body
        switch fault {
        case nil:
            let before = w.bytesWritten
            try routed(request, w)
            if let body, w.bytesWritten - before > body.count { markServed(path) }
        case .resetBeforeAnswer?:
            w.reset()
        case .resetMidBody?:
            let bytes = body ?? Array(repeating: UInt8(ascii: "x"), count: 4_000)
            try w.writeHead(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "\(bytes.count)")])
            try w.write(Array(bytes.prefix(bytes.count / 2)))
            try? w.pause(.milliseconds(20))
            w.reset()
        case .truncated?:
            let bytes = body ?? Array(repeating: UInt8(ascii: "x"), count: 4_000)
            try w.writeHead(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "\(bytes.count + 1_000)")])
            try w.write(bytes)
            w.close()
        case .serverError?:
            let status = forced ? 500 : mutable.withLock { [500, 502, 503, 504].randomElement(using: &$0.rng) } ?? 503
            try w.send(.html("<html><body><h1>\(status)</h1></body></html>", status: status).header("Connection", "close"))
            w.closeAfterResponse()
        case .unavailable?:
            try w.send(.html("<html><body><h1>503</h1></body></html>", status: 503).header("Retry-After", "120"))
        case .tooManyRequests?:
            try w.send(.status(429, headers: [("Retry-After", "1")]))
        case .slowDrip?:
            let seconds = forced ? 30 : mutable.withLock { Double.random(in: probabilities.dripSeconds, using: &$0.rng) }
            let bytes = body ?? []
            guard !bytes.isEmpty else {
                try routed(request, w)
                return
            }
            let pieces = 20
            let contentType = site.article(at: path)?.contentType ?? "text/html"
            try w.writeHead(status: 200, headers: [("Content-Type", contentType), ("Content-Length", "\(bytes.count)")])
            try w.drip(bytes, chunkSize: (bytes.count + pieces - 1) / pieces, every: .milliseconds(Int64(seconds * 1_000) / Int64(pieces)))
            markServed(path)
        case .lyingCharset?:
            guard let page, let body else { return }
            let lie = page.encoding == .utf8 ? "text/html; charset=windows-1256" : "text/html; charset=utf-8"
            try w.send(.bytes(body, contentType: lie))
            markServed(path)
        case .wrongContentType?:
            let bytes = body ?? Array("<html><body>not what you asked for</body></html>".utf8)
            try w.send(.bytes(bytes, contentType: "image/jpeg"))
        case .pdf?:
            try w.send(.bytes(Array("%PDF-1.4 not an article".utf8), contentType: "application/pdf"))
        case .gzipBomb?:
            let contentType = page == nil ? "application/xml" : "text/html; charset=utf-8"
            try Handlers.gzipBomb(expandedSize: forced ? 1 << 30 : 64 << 20, contentType: contentType)(request, w)
        case .oversized?:
            // The article behind twelve megabytes of inline data: a real page, too big.
            let padding = Array("<!-- ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 12_000_000) + Array(" -->".utf8)
            try w.send(.bytes(padding + (body ?? []), contentType: "text/html; charset=utf-8"))
        case .redirectLoop?:
            // Two URLs that send the client to each other, for ever.
            let other = request.query == "b" ? path : path + "?b"
            try w.send(.redirect(to: site.url(other), status: 302))
        case .redirectToNonHTTP?:
            try w.send(.redirect(to: "file:///etc/passwd", status: 301))
        case .emptyOK?:
            try w.send(.bytes([], contentType: "text/html; charset=utf-8"))
        case .noArticle?:
            // A section page: menus and a list of headlines, no article.
            var h = "<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>أخبار</title></head><body>"
            h += "<nav><a href=\"/\">الرئيسية</a> <a href=\"/section/news\">أخبار</a></nav><main><h1>أخبار</h1><ul>"
            for a in site.all.prefix(20) { h += "<li><a href=\"\(a.path)\">\(FixtureSite.escape(a.title))</a></li>" }
            try w.send(.html(h + "</ul></main><footer>© 2026</footer></body></html>"))
        }
    }

    private func answerBroken(_ broken: Broken, _ w: ResponseWriter) throws {
        switch broken {
        case .oversized:
            guard let body = site.article(at: w.request.path)?.body else { return }
            try w.send(.bytes(body, contentType: "text/html; charset=utf-8"))
        case .wrongContentType:
            try w.send(.bytes(Array("%PDF-1.4 not an article".utf8), contentType: "application/pdf"))
        }
    }

    private func markServed(_ path: String) {
        mutable.withLock { $0.servedComplete[path, default: 0] += 1 }
    }

    /// The fault for this request, if any: none for robots.txt or when calm; a running 5xx burst
    /// goes on; otherwise a draw.
    private func drawFault(path: String, isArticle: Bool) -> Fault? {
        guard path != "/robots.txt" else { return nil }
        return mutable.withLock { m -> Fault? in
            m.requests += 1
            guard !m.calm else { return nil }
            let capped = isArticle && (m.faultsByPath[path] ?? 0) >= probabilities.faultCap
            if m.burstLeft > 0, !capped {
                m.burstLeft -= 1
                if isArticle { m.faultsByPath[path, default: 0] += 1 }
                return .serverError
            }
            guard m.rng.chance(probabilities.fault) else { return nil }
            let choices: [Fault] = isArticle
                ? [.resetBeforeAnswer, .resetMidBody, .truncated, .serverError, .tooManyRequests, .slowDrip, .lyingCharset, .lyingCharset]
                : [.resetBeforeAnswer, .resetMidBody, .truncated, .serverError, .tooManyRequests, .wrongContentType, .gzipBomb]
            guard let fault = choices.randomElement(using: &m.rng) else { return nil }
            if fault == .lyingCharset { return fault }   // the whole article, only its label lies
            if capped { return nil }
            if fault == .serverError { m.burstLeft = Int.random(in: probabilities.burstLength, using: &m.rng) - 1 }
            if isArticle { m.faultsByPath[path, default: 0] += 1 }
            return fault
        }
    }
}
