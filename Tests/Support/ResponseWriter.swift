import Foundation
import Glibc

/// Failures a handler sees while writing.
public enum TestServerError: Error, Sendable, CustomStringConvertible {
    /// The client went away (or the connection was reset or closed by the handler).
    case peerClosed
    /// The server is stopping.
    case stopping
    case socket(String)

    public var description: String {
        switch self {
        case .peerClosed: return "the client closed the connection"
        case .stopping: return "the test server is stopping"
        case .socket(let why): return why
        }
    }
}

/// One accepted socket. The descriptor is closed exactly once, under a lock, so `stop()` on another
/// thread can shut it down without racing a handler that closes it.
final class Connection: Sendable {
    let id: Int
    private let fd: Locked<Int32>

    init(id: Int, fd: Int32) {
        self.id = id
        self.fd = Locked(fd)
    }

    var isOpen: Bool { fd.withLock { $0 >= 0 } }

    /// Sends all of `bytes`; throws when the peer is gone.
    func send(_ bytes: UnsafeRawBufferPointer) throws(TestServerError) {
        var offset = 0
        while offset < bytes.count {
            let descriptor = fd.withLock { $0 }
            guard descriptor >= 0 else { throw .peerClosed }
            let n = Glibc.send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var p = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 100)
                    continue
                }
                throw .peerClosed
            }
            offset += n
        }
    }

    /// Reads what is there, waiting at most `timeoutMs`. Nil on timeout, empty on end of stream.
    func receive(into buffer: inout [UInt8], timeoutMs: Int32) throws(TestServerError) -> Int? {
        let descriptor = fd.withLock { $0 }
        guard descriptor >= 0 else { throw .peerClosed }
        var p = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, timeoutMs)
        if ready == 0 { return nil }
        if ready < 0 { return errno == EINTR ? nil : 0 }
        let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if n < 0 { return errno == EINTR || errno == EAGAIN ? nil : 0 }
        return n
    }

    /// True once the peer has closed or reset its side (a zero-byte peek on a readable socket).
    func peerHasClosed() -> Bool {
        fd.withLock { d in
            guard d >= 0 else { return true }
            var p = pollfd(fd: d, events: Int16(POLLIN) | Int16(0x2000 /* POLLRDHUP */), revents: 0)
            guard poll(&p, 1, 0) > 0 else { return false }
            if p.revents & (Int16(POLLHUP) | Int16(POLLERR) | Int16(0x2000 /* POLLRDHUP */)) != 0 { return true }
            var byte: UInt8 = 0
            return recv(d, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT)) == 0
        }
    }

    /// An orderly close (FIN).
    func close() {
        fd.withLock { d in
            guard d >= 0 else { return }
            _ = Glibc.shutdown(d, Int32(SHUT_RDWR))
            _ = Glibc.close(d)
            d = -1
        }
    }

    /// An abortive close: `SO_LINGER` 0 makes the kernel send RST, as a crashing server would.
    func reset() {
        fd.withLock { d in
            guard d >= 0 else { return }
            var l = linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(d, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
            _ = Glibc.close(d)
            d = -1
        }
    }

    /// Wakes a thread blocked on this socket without closing it (used by `stop()`).
    func interrupt() {
        fd.withLock { d in
            if d >= 0 { _ = Glibc.shutdown(d, Int32(SHUT_RDWR)) }
        }
    }
}

/// How a handler answers: a whole response in one call, or byte by byte with full control over
/// framing, timing and how the connection ends.
public final class ResponseWriter: @unchecked Sendable {
    public let request: TestRequest
    private let connection: Connection
    private let stopping: @Sendable () -> Bool
    /// Set once anything was written.
    public private(set) var started = false
    /// Bytes written so far (head included).
    public private(set) var bytesWritten = 0
    /// The connection must not carry another request (closed, reset, or a response without framing).
    public private(set) var connectionDone = false
    private var chunked = false

    init(request: TestRequest, connection: Connection, stopping: @escaping @Sendable () -> Bool) {
        self.request = request
        self.connection = connection
        self.stopping = stopping
    }

    /// Sends a complete response: status line, the response's headers, `Content-Length` (unless
    /// the response sets its own or `Transfer-Encoding`), `Connection: close` when the client asked
    /// for it, and the body (omitted for HEAD, 1xx, 204 and 304).
    public func send(_ response: TestResponse) throws(TestServerError) {
        var headers = response.headers
        let hasLength = headers.contains { $0.0.lowercased() == "content-length" || $0.0.lowercased() == "transfer-encoding" }
        let noBody = request.method == "HEAD" || response.status == 204 || response.status == 304 || response.status < 200
        if !hasLength && response.status != 204 && response.status != 304 && response.status >= 200 {
            headers.append(("Content-Length", String(response.body.count)))
        }
        if !request.wantsKeepAlive { headers.append(("Connection", "close")) }
        try writeHead(status: response.status, reason: response.reason, headers: headers)
        if !noBody { try write(response.body) }
        if !request.wantsKeepAlive { connectionDone = true }
    }

    /// Writes a status line and exactly these headers (nothing added), then the blank line.
    public func writeHead(status: Int, reason: String? = nil, headers: [(String, String)]) throws(TestServerError) {
        var head = "HTTP/1.1 \(status) \(reason ?? TestResponse.reasonPhrase(status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        chunked = headers.contains { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }
        if !headers.contains(where: { $0.0.lowercased() == "content-length" }) && !chunked {
            // Without framing the body ends when the connection does.
            connectionDone = true
        }
        try write(Array(head.utf8))
    }

    /// Writes raw bytes: a body, part of one, or anything at all.
    public func write(_ bytes: [UInt8]) throws(TestServerError) {
        if stopping() { throw .stopping }
        started = true
        var failure: TestServerError?
        bytes.withUnsafeBytes { buffer in
            do throws(TestServerError) { try connection.send(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        bytesWritten += bytes.count
    }

    public func write(_ text: String) throws(TestServerError) { try write(Array(text.utf8)) }

    /// One chunk of a `Transfer-Encoding: chunked` body (empty chunks are skipped: they would end it).
    public func writeChunk(_ bytes: [UInt8]) throws(TestServerError) {
        guard !bytes.isEmpty else { return }
        try write(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [0x0D, 0x0A])
    }

    /// The last chunk (and trailers) of a chunked body.
    public func finishChunks(trailers: [(String, String)] = []) throws(TestServerError) {
        var tail = "0\r\n"
        for (name, value) in trailers { tail += "\(name): \(value)\r\n" }
        tail += "\r\n"
        try write(Array(tail.utf8))
    }

    /// Writes `bytes` a few at a time with a pause between: a slow server or a tar pit.
    public func drip(_ bytes: [UInt8], chunkSize: Int = 1, every interval: Duration) throws(TestServerError) {
        var offset = 0
        let size = max(1, chunkSize)
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            let piece = Array(bytes[offset..<end])
            try (chunked ? writeChunk(piece) : write(piece))
            offset = end
            if offset < bytes.count { try pause(interval) }
        }
    }

    /// Sleeps, waking early (and throwing) when the server stops or the client goes away — as a
    /// real server notices a client that gave up.
    public func pause(_ duration: Duration) throws(TestServerError) {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if stopping() { throw .stopping }
            if connection.peerHasClosed() { throw .peerClosed }
            let left = deadline - .now
            let slice = min(left, .milliseconds(20))
            let (s, atto) = slice.components
            let micros = s * 1_000_000 + atto / 1_000_000_000_000
            if micros > 0 { usleep(UInt32(micros)) }
        }
    }

    /// Resets the connection (RST): the client sees "connection reset by peer".
    public func reset() {
        connection.reset()
        connectionDone = true
    }

    /// Closes the connection (FIN) — e.g. after fewer body bytes than `Content-Length` promised.
    public func close() {
        connection.close()
        connectionDone = true
    }

    /// Whether the client has closed or reset the connection.
    public var peerClosed: Bool { connection.peerHasClosed() }

    /// Closes the connection after this response instead of keeping it for the next request.
    public func closeAfterResponse() { connectionDone = true }
}
