import Foundation
import Testing
import KhabarTestSupport

/// The test server itself, spoken to over a raw socket: what later suites rely on.
@Suite("TestServer over a raw socket")
struct TestServerTests {
    /// Connects, sends `bytes`, reads until the peer closes or `until` is seen.
    private func exchange(_ server: TestServer, _ bytes: String, until marker: String? = nil) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.port.bigEndian
        address.sin_addr.s_addr = inet_addr(server.host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let out = Array(bytes.utf8)
        _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[..<n]
            if let marker, String(decoding: received, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("keep-alive: two requests on one connection, recorded with their order")
    func keepAlive() throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/a", .text("first"))
        server.route("/b", .text("second"))
        let reply = try exchange(server, "GET /a?x=1 HTTP/1.1\r\nHost: t\r\nX-Test: 1\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(reply.contains("Content-Length: 5\r\n\r\nfirst"))
        #expect(reply.hasSuffix("second"))
        let requests = server.requests
        #expect(requests.map(\.path) == ["/a", "/b"])
        #expect(requests[0].query == "x=1")
        #expect(requests[0].header("x-test") == "1")
        #expect(requests[0].connectionID == requests[1].connectionID)
        #expect(requests.map(\.sequenceOnConnection) == [1, 2])
    }

    @Test("request bodies: Content-Length and chunked")
    func bodies() throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/echo") { request, w in try w.send(TestResponse(body: request.body)) }
        let plain = try exchange(server, "POST /echo HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        #expect(plain.hasSuffix("\r\n\r\nhello"))
        let chunked = try exchange(server, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n")
        #expect(chunked.hasSuffix("\r\n\r\nabcdefg"))
    }

    @Test("raw control: exact head, chunked body, 404 fallback, HEAD without body")
    func rawControl() throws {
        let server = try TestServer().start()
        defer { server.stop() }
        server.route("/chunks") { _, w in
            try w.writeHead(status: 200, reason: "Fine", headers: [("Transfer-Encoding", "chunked")])
            try w.writeChunk(Array("ab".utf8))
            try w.finishChunks()
        }
        server.route("/h", .html("<p>x</p>"))
        let chunks = try exchange(server, "GET /chunks HTTP/1.1\r\nConnection: close\r\n\r\n", until: "0\r\n\r\n")
        #expect(chunks == "HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n")
        let missing = try exchange(server, "GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(missing.hasPrefix("HTTP/1.1 404 Not Found"))
        let head = try exchange(server, "HEAD /h HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(head.contains("Content-Length: 8\r\n"))
        #expect(head.hasSuffix("\r\n\r\n"))
    }

    @Test("a malformed request line gets 400 and the connection closes")
    func malformed() throws {
        let server = try TestServer().start()
        defer { server.stop() }
        let reply = try exchange(server, "NONSENSE\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 400"))
    }

    @Test("stop() ends handlers that are sleeping or streaming")
    func stopInterrupts() throws {
        let server = try TestServer().start()
        server.route("/silent", Handlers.silence())
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let request = Array("GET /silent HTTP/1.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let deadline = Date().addingTimeInterval(5)
        while server.inFlight.current == 0 && Date() < deadline { usleep(5_000) }
        #expect(server.inFlight.current == 1)
        let started = Date()
        server.stop()
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(server.inFlight.current == 0)
        #expect(server.connections.current == 0)
    }

    @Test("encoders produce streams real decoders accept", arguments: [ContentCoding.gzip, .deflate])
    func zlibRoundTrip(coding: ContentCoding) {
        let text = Array(String(repeating: "خبر news ", count: 1000).utf8)
        let encoded = coding.encode(text)
        #expect(encoded.count < text.count / 5)
        #expect(coding == .gzip ? encoded.starts(with: [0x1F, 0x8B]) : encoded.first == 0x78)
    }

    @Test("a gzip bomb is small and announces its exact compressed size")
    func bombSize() {
        let bomb = GzipBomb(expandedSize: 1 << 30)
        #expect(bomb.compressedSize < 1_200_000)
        #expect(bomb.bytes.count == bomb.compressedSize)
        #expect(Zstd.bomb(expandedSize: 1 << 30).count < 40_000)
    }
}
