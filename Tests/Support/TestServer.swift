import Foundation
import Glibc

/// Counts connections or requests that are open at the same time, across any number of servers
/// (give several servers one gauge to check a global limit).
public final class ConcurrencyGauge: Sendable {
    private let counts = Locked((current: 0, peak: 0, total: 0))

    public init() {}

    public var current: Int { counts.withLock { $0.current } }
    /// The most at any one moment since creation (or `reset`).
    public var peak: Int { counts.withLock { $0.peak } }
    /// How many ever entered.
    public var total: Int { counts.withLock { $0.total } }

    public func reset() { counts.withLock { $0 = (current: $0.current, peak: $0.current, total: 0) } }

    func enter() {
        counts.withLock { c in
            c.current += 1
            c.total += 1
            c.peak = max(c.peak, c.current)
        }
    }

    func leave() { counts.withLock { $0.current -= 1 } }
}

/// A real HTTP/1.1 server on a loopback address and an ephemeral port, for tests that need the
/// network to behave — or misbehave — exactly so.
///
/// Routes map paths to handlers; a handler gets the parsed request and a `ResponseWriter` with raw
/// control (any bytes, any framing, pauses, drips, resets, closes). Each connection runs on a thread
/// of its own with blocking sockets, so a handler may simply sleep. Every request is recorded;
/// open connections and requests in flight are counted.
///
/// ```swift
/// let server = try TestServer()
/// server.route("/a") { _, w in try w.send(.html("<p>hi</p>")) }
/// try server.start()
/// defer { server.stop() }
/// ... fetch server.url("/a") ...
/// ```
public final class TestServer: Sendable {
    public typealias Handler = @Sendable (TestRequest, ResponseWriter) throws -> Void
    /// Runs in front of every route: gets the request, the writer and the handler the routes
    /// chose, and may call it, answer in its place, or misbehave first (a chaos layer).
    public typealias Middleware = @Sendable (TestRequest, ResponseWriter, Handler) throws -> Void

    /// Where to listen: `127.0.0.1` by default; any `127.x.y.z` works on Linux without set-up (handy
    /// for several "hosts"), and inside a private network namespace any address added to `lo`.
    public let host: String
    /// Open connections of this server.
    public let connections = ConcurrencyGauge()
    /// Requests whose handler is running on this server.
    public let inFlight = ConcurrencyGauge()

    private struct Routes {
        var exact: [String: Handler] = [:]
        var prefixes: [(String, Handler)] = []
        var fallback: Handler = { _, w in try w.send(.status(404)) }
    }

    private struct Runtime {
        var listenFD: Int32 = -1
        var port: UInt16 = 0
        var open: [Int: Connection] = [:]
        var threads = 0
        var nextConnectionID = 0
        var requests: [TestRequest] = []
    }

    private let routes = Locked(Routes())
    private let middleware = Locked<Middleware?>(nil)
    private let runtime = Locked(Runtime())
    private let stopping = Locked(false)
    private let sharedConnections: ConcurrencyGauge?
    private let sharedInFlight: ConcurrencyGauge?
    /// Requests kept for assertions; older ones are dropped past this (a soak must not grow memory).
    private let recordLimit: Int

    /// - Parameters:
    ///   - sharedConnections, sharedInFlight: gauges also fed by this server, to watch several at once.
    public init(host: String = "127.0.0.1", sharedConnections: ConcurrencyGauge? = nil,
                sharedInFlight: ConcurrencyGauge? = nil, recordLimit: Int = 100_000) {
        self.host = host
        self.sharedConnections = sharedConnections
        self.sharedInFlight = sharedInFlight
        self.recordLimit = recordLimit
    }

    deinit { stop() }

    // MARK: Routes

    /// Handles requests whose path (without query) is exactly `path`.
    public func route(_ path: String, _ handler: @escaping Handler) {
        routes.withLock { $0.exact[path] = handler }
    }

    /// Always answers `response`.
    public func route(_ path: String, _ response: TestResponse) {
        route(path) { _, w in try w.send(response) }
    }

    /// Handles requests whose path starts with `prefix` (longest prefix wins; exact routes first).
    public func route(prefix: String, _ handler: @escaping Handler) {
        routes.withLock { r in
            r.prefixes.append((prefix, handler))
            r.prefixes.sort { $0.0.count > $1.0.count }
        }
    }

    /// Handles everything no route matches (default: 404).
    public func fallback(_ handler: @escaping Handler) {
        routes.withLock { $0.fallback = handler }
    }

    /// Puts `middleware` in front of every route (nil removes it), e.g. to make a whole site
    /// misbehave at random while its routes stay as they are.
    public func intercept(_ middleware: Middleware?) {
        self.middleware.withLock { $0 = middleware }
    }

    // MARK: Life

    /// Binds `host` on an ephemeral port and starts accepting.
    @discardableResult
    public func start() throws(TestServerError) -> TestServer {
        let (fd, port) = try Self.listen(on: host)
        runtime.withLock { r in
            r.listenFD = fd
            r.port = port
            r.threads += 1
        }
        stopping.withLock { $0 = false }
        Thread.detachNewThread { [self] in self.acceptLoop(fd) }
        return self
    }

    /// Stops accepting, interrupts every connection (handlers' pauses and writes end) and waits up
    /// to 5 s for their threads.
    public func stop() {
        let alreadyStopping = stopping.withLock { s -> Bool in
            defer { s = true }
            return s
        }
        let open = runtime.withLock { r -> [Connection] in Array(r.open.values) }
        for c in open { c.interrupt() }
        if alreadyStopping && runtime.withLock({ $0.threads == 0 }) { return }
        let deadline = ContinuousClock.now + .seconds(5)
        while runtime.withLock({ $0.threads > 0 }) && ContinuousClock.now < deadline {
            for c in runtime.withLock({ Array($0.open.values) }) { c.interrupt() }
            usleep(5_000)
        }
    }

    public var port: UInt16 { runtime.withLock { $0.port } }

    /// `http://HOST:PORT`.
    public var baseURL: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }

    /// `http://HOST:PORT/path`.
    public func url(_ path: String) -> String { baseURL + (path.hasPrefix("/") ? path : "/" + path) }

    // MARK: What happened

    /// Every request received, in order.
    public var requests: [TestRequest] { runtime.withLock { $0.requests } }

    /// The requests to one path (query ignored).
    public func requests(to path: String) -> [TestRequest] { requests.filter { $0.path == path } }

    /// Forgets recorded requests and resets the peaks to the present.
    public func resetRecords() {
        runtime.withLock { $0.requests.removeAll() }
        connections.reset()
        inFlight.reset()
    }

    // MARK: Sockets

    private static func listen(on host: String) throws(TestServerError) -> (Int32, UInt16) {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let isV6: Bool
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            isV6 = false
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = 0
        } else if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            isV6 = true
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = 0
        } else {
            throw .socket("not an IP address: \(host)")
        }
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32 = isV6
            ? withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
            : withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, Glibc.listen(fd, 1024) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw .socket("bind \(host): \(why)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port: UInt16 = withUnsafePointer(to: &storage) { p in
            isV6 ? p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                 : p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        return (fd, port)
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    private func acceptLoop(_ listenFD: Int32) {
        defer {
            close(listenFD)
            runtime.withLock { $0.threads -= 1 }
        }
        while !isStopping {
            var p = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = runtime.withLock { r -> Connection in
                r.nextConnectionID += 1
                let c = Connection(id: r.nextConnectionID, fd: fd)
                r.open[c.id] = c
                r.threads += 1
                return c
            }
            Thread.detachNewThread { [self] in self.serve(connection) }
        }
    }

    private func serve(_ connection: Connection) {
        connections.enter()
        sharedConnections?.enter()
        defer {
            connection.close()
            connections.leave()
            sharedConnections?.leave()
            runtime.withLock { r in
                r.open[connection.id] = nil
                r.threads -= 1
            }
        }
        var pending: [UInt8] = []
        var sequence = 0
        while !isStopping {
            guard let (head, afterHead) = readHead(connection, &pending) else { return }
            guard let parsed = RequestHeadParser.parse(head) else {
                let w = ResponseWriter(request: Self.placeholder(connection.id), connection: connection) { false }
                try? w.send(.status(400).header("Connection", "close"))
                return
            }
            pending = afterHead
            sequence += 1
            let (path, query) = Self.split(parsed.target)
            var request = TestRequest(method: parsed.method, target: parsed.target, path: path, query: query,
                                      version: parsed.version, headers: parsed.headers, body: [],
                                      connectionID: connection.id, sequenceOnConnection: sequence,
                                      receivedAt: .now)
            guard let body = readBody(connection, request, &pending) else { return }
            request.body = body
            runtime.withLock { r in
                r.requests.append(request)
                if r.requests.count > recordLimit { r.requests.removeFirst(r.requests.count - recordLimit) }
            }
            let writer = ResponseWriter(request: request, connection: connection) { [stopping] in
                stopping.withLock { $0 }
            }
            inFlight.enter()
            sharedInFlight?.enter()
            do {
                let routed = handler(for: path)
                if let middleware = middleware.current { try middleware(request, writer, routed) } else { try routed(request, writer) }
                if !writer.started { try writer.send(.status(500)) }
            } catch {
                if !writer.started { try? writer.send(.status(500)) }
                inFlight.leave()
                sharedInFlight?.leave()
                return
            }
            inFlight.leave()
            sharedInFlight?.leave()
            if writer.connectionDone || !request.wantsKeepAlive || !connection.isOpen { return }
        }
    }

    private func handler(for path: String) -> Handler {
        routes.withLock { r in
            if let h = r.exact[path] { return h }
            if let h = r.prefixes.first(where: { path.hasPrefix($0.0) })?.1 { return h }
            return r.fallback
        }
    }

    /// Reads up to the blank line. Nil when the client closed (or the head is absurdly long).
    private func readHead(_ connection: Connection, _ pending: inout [UInt8]) -> ([UInt8], [UInt8])? {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let end = Self.headEnd(pending) {
                return (Array(pending[..<end.start]), Array(pending[end.after...]))
            }
            guard pending.count < 64 * 1024 else { return nil }
            guard !isStopping else { return nil }
            do {
                guard let n = try connection.receive(into: &buffer, timeoutMs: 50) else { continue }
                if n == 0 { return nil }
                pending += buffer[..<n]
            } catch {
                return nil
            }
        }
    }

    private func readBody(_ connection: Connection, _ request: TestRequest, _ pending: inout [UInt8]) -> [UInt8]? {
        if request.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            return readChunked(connection, &pending)
        }
        let length = Int(request.header("Content-Length") ?? "0") ?? 0
        guard length >= 0, length <= 64 << 20 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while pending.count < length {
            guard !isStopping else { return nil }
            let received: Int?
            do { received = try connection.receive(into: &buffer, timeoutMs: 50) } catch { return nil }
            guard let n = received else { continue }
            if n == 0 { return nil }
            pending += buffer[..<n]
        }
        let body = Array(pending[..<length])
        pending.removeFirst(length)
        return body
    }

    private func readChunked(_ connection: Connection, _ pending: inout [UInt8]) -> [UInt8]? {
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        func fill() -> Bool {
            guard !isStopping else { return false }
            let received: Int?
            do { received = try connection.receive(into: &buffer, timeoutMs: 50) } catch { return false }
            guard let n = received else { return true }
            if n == 0 { return false }
            pending += buffer[..<n]
            return true
        }
        while true {
            guard let lineEnd = Self.find(pending, [0x0D, 0x0A]) else {
                if !fill() { return nil }
                continue
            }
            let sizeText = String(decoding: pending[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
            if size == 0 {
                pending.removeFirst(lineEnd + 2)
                // Trailer lines, then an empty line.
                while true {
                    guard let end = Self.find(pending, [0x0D, 0x0A]) else {
                        if !fill() { return nil }
                        continue
                    }
                    pending.removeFirst(end + 2)
                    if end == 0 { return body }
                }
            }
            while pending.count < lineEnd + 2 + size + 2 {
                if !fill() { return nil }
            }
            body += pending[(lineEnd + 2)..<(lineEnd + 2 + size)]
            pending.removeFirst(lineEnd + 2 + size + 2)
            if body.count > 64 << 20 { return nil }
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> (start: Int, after: Int)? {
        if let i = find(bytes, [0x0D, 0x0A, 0x0D, 0x0A]) { return (i, i + 4) }
        if let i = find(bytes, [0x0A, 0x0A]) { return (i, i + 2) }
        return nil
    }

    private static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    private static func split(_ target: String) -> (String, String?) {
        guard let q = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<q]), String(target[target.index(after: q)...]))
    }

    private static func placeholder(_ connectionID: Int) -> TestRequest {
        TestRequest(method: "GET", target: "/", path: "/", query: nil, version: "HTTP/1.1", headers: [],
                    body: [], connectionID: connectionID, sequenceOnConnection: 0, receivedAt: .now)
    }
}
