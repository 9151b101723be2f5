import Foundation
import Testing
@testable import KhabarHTTP
import KhabarTestSupport

@Suite("fetching from a real loopback server")
struct FetchTests {
    @Test("a page: exact bytes, headers, what the client sent")
    func plainPage() async throws {
        let page = samplePage(20_000)
        let server = try startedServer { $0.route("/a", .bytes(page, contentType: "text/html; charset=windows-1256")) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }

        let r = try await response(client, trusted(server.url("/a?x=1")))
        #expect(r.body == page)
        #expect(r.status == 200)
        #expect(r.contentType?.mediaType == "text/html")
        #expect(r.contentType?.charset == "windows-1256")
        #expect(r.finalURL == server.url("/a?x=1"))
        #expect(r.redirectChain == [server.url("/a?x=1")])
        #expect(r.attempts == 1)
        #expect(r.httpVersion == "1.1")
        #expect(r.remoteAddress == "127.0.0.1")
        let sent = try #require(server.requests(to: "/a").first)
        #expect(sent.method == "GET")
        #expect(sent.target == "/a?x=1")
        #expect(sent.header("User-Agent") == "KhabarTest/1.0 (+https://example.org/test)")
        let offered = Set((sent.header("Accept-Encoding") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(offered.isSuperset(of: ["gzip", "br", "zstd"]))
        #expect(sent.header("Accept")?.hasPrefix("text/html") == true)
        #expect(sent.header("If-None-Match") == nil)
    }

    @Test("encoded bodies are decoded to the exact bytes", arguments: [ContentCoding.gzip, .deflate, .br, .zstd])
    func encodings(coding: ContentCoding) async throws {
        let page = samplePage(300_000)
        let server = try startedServer { $0.route("/e", TestResponse.bytes(page, contentType: "text/html").encoded(coding)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/e")))
        #expect(r.body == page)
        #expect(r.headers["Content-Encoding"] == coding.rawValue)
        #expect(r.byteCount == page.count)
        if coding == .gzip || coding == .deflate { #expect(r.wireBytes < Int64(page.count) / 2) }
    }

    /// Made by the real compressors (`brotli` quality 11, `zstd -19`) from `fixtureHTML`.
    static let realBrotli = "G9cK+CwK7DZiwSG9ReAqnyzATQl0cKQnSCBw3LoFz/J4YA2+8DDwgt264XRMdp6yIky4M58GCUOTgzg4ABwepRgCupAHE7l5jLGEcOTvm5nIB0brvqI+XIYXPs1R81JhCq0XI1p54dYs7DzW0NTS1tGtR6++PpJ1wMnFzcObD199cRYHJxc3D28+fPXFVRycXNw8vPnwFXenAA=="
    static let realZstd = "KLUv/WTYCZUFAPLHHSCQbQNJN8ndzZLKp7TcjX9vAEVxfv2REld2d3eDDzPTEIOyPAkA6IyvrXTKgOqMr610ymDqjK+tdEqpM7620ikbYHPPQatzH49CDk49Vp2DVMeeg9nHKwqj1LXH3vvYffbbRyGISVM4SOEUxNDsAToYYw/K8iQ7KagRwLf/nwHQu5UxETgEzxD+/xsCP8gCjBAjIgoIEENEhBAmIMKIEcGB7MIKAkAAAGDzfY6AVAF4gvd/"
    static var fixtureHTML: [UInt8] {
        let paragraphs = (0..<40).map { "<p>Paragraph \($0): خبر عاجل — بیانیه می\u{200C}گوید</p>" }.joined()
        return Array("<html><body>\(paragraphs)</body></html>".utf8)
    }

    @Test("bodies compressed by the real brotli and zstd tools decode byte for byte", arguments: ["br", "zstd"])
    func realCompressors(coding: String) async throws {
        let encoded = try #require(Data(base64Encoded: coding == "br" ? Self.realBrotli : Self.realZstd))
        let server = try startedServer {
            $0.route("/c", TestResponse(headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", coding)],
                                        body: Array(encoded)))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/c")))
        #expect(r.body == Self.fixtureHTML)
        #expect(r.wireBytes == Int64(encoded.count))
        #expect(String(decoding: r.body, as: UTF8.self).unicodeScalars.contains("\u{200C}"))
    }

    @Test("a corrupt gzip body is a bad response, not a crash or a garbled page")
    func corruptEncoding() async throws {
        var broken = ContentCoding.gzip.encode(samplePage(50_000))
        for i in stride(from: 20, to: broken.count - 10, by: 7) { broken[i] ^= 0x5A }
        let server = try startedServer {
            $0.route("/bad", TestResponse(headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body: broken))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(maxAttempts: 1))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/bad")))
        #expect(e.code == "bad_response")
    }

    @Test("ETag: the stored validator goes out as If-None-Match and 304 is its own outcome")
    func etag() async throws {
        let server = try startedServer { $0.route("/p", Handlers.conditional(.html("<p>v1</p>"), etag: "\"v1\"")) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let first = try await response(client, trusted(server.url("/p")))
        #expect(first.etag == "\"v1\"")
        let (second, _) = await outcome(client, trusted(server.url("/p"), etag: first.etag))
        guard case .success(.notModified(let nm)) = second else {
            Issue.record("expected not-modified, got \(second)")
            return
        }
        #expect(nm.etag == "\"v1\"")
        #expect(nm.finalURL == server.url("/p"))
        #expect(server.requests(to: "/p").last?.header("If-None-Match") == "\"v1\"")
        let stale = try await response(client, trusted(server.url("/p"), etag: "\"v0\""))
        #expect(stale.body == Array("<p>v1</p>".utf8))
    }

    @Test("Last-Modified: sent back verbatim as If-Modified-Since, 304 when unchanged")
    func lastModified() async throws {
        let modified = Date(timeIntervalSince1970: 1_700_000_000)
        let server = try startedServer { $0.route("/p", Handlers.conditional(.html("<p>v1</p>"), lastModified: modified)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let first = try await response(client, trusted(server.url("/p")))
        let lm = try #require(first.lastModified)
        #expect(lm == "Tue, 14 Nov 2023 22:13:20 GMT")
        let (second, _) = await outcome(client, trusted(server.url("/p"), lastModified: lm))
        guard case .success(.notModified(let nm)) = second else {
            Issue.record("expected not-modified, got \(second)")
            return
        }
        #expect(nm.lastModified == lm)
        #expect(server.requests(to: "/p").last?.header("If-Modified-Since") == lm)
        let older = try await response(client, trusted(server.url("/p"), lastModified: "Mon, 01 Jan 2001 00:00:00 GMT"))
        #expect(older.status == 200)
    }

    @Test("validators from storage cannot inject header lines")
    func headerInjection() async throws {
        let server = try startedServer { $0.route("/p", .html("ok")) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        _ = try await response(client, trusted(server.url("/p"), etag: "\"a\"\r\nX-Injected: 1"))
        let sent = try #require(server.requests(to: "/p").first)
        #expect(sent.header("X-Injected") == nil)
        #expect(sent.header("If-None-Match") == "\"a\"X-Injected: 1")
    }

    @Test("a body without Content-Type is accepted; the caller sniffs")
    func noContentType() async throws {
        let server = try startedServer { $0.route("/n", TestResponse(body: Array("<p>x</p>".utf8))) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/n")))
        #expect(r.contentType == nil)
        #expect(r.body == Array("<p>x</p>".utf8))
    }

    @Test("a wrong content type stops at the headers", arguments: [
        (RequestKind.page, "image/png"), (.page, "application/rss+xml"), (.feed, "text/html"), (.sitemap, "image/jpeg"),
    ])
    func wrongContentType(kind: RequestKind, type: String) async throws {
        let server = try startedServer {
            $0.route("/x", TestResponse.bytes([UInt8](repeating: 0x41, count: 2_000_000), contentType: type))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/x"), kind: kind))
        #expect(e.reason == .contentType(type, kind))
        #expect(e.attempts == 1, "not retried")
    }

    @Test("feeds and sitemaps take their own media types")
    func feedTypes() async throws {
        let server = try startedServer {
            $0.route("/rss", .xml("<rss/>", contentType: "application/rss+xml; charset=utf-8"))
            $0.route("/atom", .xml("<feed/>", contentType: "application/atom+xml"))
            $0.route("/sm.xml.gz", TestResponse.bytes(ContentCoding.gzip.encode(Array("<urlset/>".utf8)),
                                                      contentType: "application/octet-stream"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        #expect(try await response(client, trusted(server.url("/rss"), kind: .feed)).body == Array("<rss/>".utf8))
        #expect(try await response(client, trusted(server.url("/atom"), kind: .feed)).body == Array("<feed/>".utf8))
        // A gzip file served as a file (not as a content coding) arrives as it is: the sitemap reader inflates it.
        let gz = try await response(client, trusted(server.url("/sm.xml.gz"), kind: .sitemap))
        #expect(gz.body.starts(with: [0x1F, 0x8B]))
    }

    @Test("HTTP errors are typed and final statuses are not retried", arguments: [400, 401, 403, 404, 410, 451])
    func httpErrors(status: Int) async throws {
        let server = try startedServer { $0.route("/s", .status(status)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/s")))
        #expect(e.reason == .http(status))
        #expect(e.status == status)
        #expect(e.description == "HTTP \(status)")
        #expect(e.attempts == 1)
        #expect(server.requests(to: "/s").count == 1)
    }

    @Test("connections are reused across requests to one host")
    func connectionReuse() async throws {
        let server = try startedServer { $0.route("/r", .html("<p>r</p>")) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        for _ in 0..<10 { _ = try await response(client, trusted(server.url("/r"))) }
        let ids = Set(server.requests(to: "/r").map(\.connectionID))
        #expect(ids.count == 1)
        #expect(server.connections.total == 1)
    }

    @Test("invalid URLs fail before any connection", arguments: ["", "not a url", "ftp://127.0.0.1/x", "http://", "file:///etc/passwd", "gopher://127.0.0.1/"])
    func invalidURLs(url: String) async throws {
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, HTTPRequest(url: url))
        #expect(e.code == "invalid_url")
        #expect(e.attempts == 0)
    }

    @Test("cancelling the task aborts the transfer at once and frees the connection")
    func cancellation() async throws {
        let server = try startedServer { $0.route("/slow", Handlers.silence()) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(timeout: .seconds(30)))
        defer { Task { await client.shutdown() } }
        let task = Task { () -> FetchError? in
            do throws(FetchError) {
                _ = try await client.fetch(trusted(server.url("/slow")))
                return nil
            } catch {
                return error
            }
        }
        // Wait until the request is really at the server.
        let deadline = ContinuousClock.now + .seconds(5)
        while server.inFlight.current == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.inFlight.current == 1)
        let cancelled = ContinuousClock.now
        task.cancel()
        let e = await task.value
        #expect(e?.reason == .cancelled)
        // "At once": far below the 30 s timeout the transfer would otherwise run into, with room
        // for a loaded machine.
        #expect(ContinuousClock.now - cancelled < .seconds(5))
        // The handle was removed and the socket closed: the server sees the client leave.
        while server.connections.current > 0 && ContinuousClock.now < deadline + .seconds(2) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.connections.current == 0)
    }

    @Test("a fetch after shutdown ends cancelled")
    func afterShutdown() async throws {
        let server = try startedServer { $0.route("/a", .html("a")) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        _ = try await response(client, trusted(server.url("/a")))
        await client.shutdown()
        let e = try await failure(client, trusted(server.url("/a")))
        #expect(e.reason == .cancelled)
    }
}
