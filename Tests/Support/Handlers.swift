import Foundation

/// Ready-made handlers for the behaviours fetchers must survive. Each is an ordinary
/// `TestServer.Handler`; combine or write your own with `ResponseWriter`.
public enum Handlers {
    public typealias Handler = TestServer.Handler

    /// Answers the n-th request with the n-th response; the last one repeats ("503, then 200").
    public static func sequence(_ responses: [TestResponse]) -> Handler {
        let counter = Locked(0)
        return { _, w in
            let n = counter.withLock { c -> Int in
                defer { c += 1 }
                return c
            }
            guard let response = responses.isEmpty ? nil : responses[min(n, responses.count - 1)] else {
                try w.send(.status(500))
                return
            }
            try w.send(response)
        }
    }

    /// A resource with validators: `304 Not Modified` when `If-None-Match` names the ETag (weak
    /// comparison, `*` included) or, without `If-None-Match`, when `If-Modified-Since` is not
    /// before `lastModified` (RFC 9110 §13.2.2 precedence); otherwise the full response with
    /// `ETag`/`Last-Modified`.
    public static func conditional(_ response: TestResponse, etag: String? = nil, lastModified: Date? = nil) -> Handler {
        let lastModifiedText = lastModified.map(HTTPDateFormat.format)
        return { request, w in
            var full = response
            if let etag { full = full.header("ETag", etag) }
            if let lastModifiedText { full = full.header("Last-Modified", lastModifiedText) }
            var validators: [(String, String)] = []
            if let etag { validators.append(("ETag", etag)) }
            if let lastModifiedText { validators.append(("Last-Modified", lastModifiedText)) }
            if let inm = request.header("If-None-Match") {
                let tags = inm.split(separator: ",").map { Self.opaqueTag($0.trimmingCharacters(in: .whitespaces)) }
                if let etag, tags.contains("*") || tags.contains(Self.opaqueTag(etag)) {
                    try w.send(TestResponse(status: 304, headers: validators))
                    return
                }
            } else if let ims = request.header("If-Modified-Since"), let since = HTTPDateFormat.parse(ims),
                      let lastModified, floor(lastModified.timeIntervalSince1970) <= since.timeIntervalSince1970 {
                try w.send(TestResponse(status: 304, headers: validators))
                return
            }
            try w.send(full)
        }
    }

    /// Headers at once, then the body `chunkSize` bytes every `interval` (with `Content-Length`).
    public static func slowDrip(_ body: [UInt8], chunkSize: Int = 1, every interval: Duration,
                                contentType: String = "text/html; charset=utf-8") -> Handler {
        { _, w in
            try w.writeHead(status: 200, headers: [("Content-Type", contentType), ("Content-Length", String(body.count))])
            try w.drip(body, chunkSize: chunkSize, every: interval)
        }
    }

    /// Waits `delay` before answering: lets a test see how many requests are in flight at once.
    public static func hold(_ delay: Duration, then response: TestResponse) -> Handler {
        { _, w in
            try w.pause(delay)
            try w.send(response)
        }
    }

    /// Announces `announced` bytes, sends `sent`, then resets the connection (RST).
    public static func resetMidBody(announced: Int, sent: Int, contentType: String = "text/html") -> Handler {
        { _, w in
            try w.writeHead(status: 200, headers: [("Content-Type", contentType), ("Content-Length", String(announced))])
            try w.write([UInt8](repeating: UInt8(ascii: "a"), count: min(sent, announced)))
            try w.pause(.milliseconds(20))
            w.reset()
        }
    }

    /// Announces `announced` bytes, sends `sent`, then closes cleanly (FIN): a truncated body.
    public static func truncatedBody(announced: Int, sent: Int, contentType: String = "text/html") -> Handler {
        { _, w in
            try w.writeHead(status: 200, headers: [("Content-Type", contentType), ("Content-Length", String(announced))])
            try w.write([UInt8](repeating: UInt8(ascii: "a"), count: min(sent, announced)))
            w.close()
        }
    }

    /// A gzip-encoded body that expands to `expandedSize` zero bytes, streamed (with `Content-Length`).
    public static func gzipBomb(expandedSize: Int64, contentType: String = "text/html") -> Handler {
        let bomb = GzipBomb(expandedSize: expandedSize)
        return { _, w in
            try w.writeHead(status: 200, headers: [("Content-Type", contentType), ("Content-Encoding", "gzip"),
                                                   ("Content-Length", String(bomb.compressedSize))])
            try bomb.stream { (piece: [UInt8]) throws(TestServerError) in try w.write(piece) }
        }
    }

    /// A zstd-encoded body that expands to `expandedSize` zero bytes.
    public static func zstdBomb(expandedSize: Int64, contentType: String = "text/html") -> Handler {
        let bomb = Zstd.bomb(expandedSize: expandedSize)
        return { _, w in
            try w.send(TestResponse(status: 200, headers: [("Content-Type", contentType), ("Content-Encoding", "zstd")],
                                    body: bomb))
        }
    }

    /// A chunked body that never ends (until the client leaves or the server stops).
    public static func endless(contentType: String = "text/html", pieceSize: Int = 16 * 1024) -> Handler {
        { _, w in
            try w.writeHead(status: 200, headers: [("Content-Type", contentType), ("Transfer-Encoding", "chunked")])
            let piece = [UInt8](repeating: UInt8(ascii: "x"), count: max(1, pieceSize))
            while true { try w.writeChunk(piece) }
        }
    }

    /// Accepts the request and never answers (until the server stops).
    public static func silence() -> Handler {
        { _, w in
            while true { try w.pause(.seconds(1)) }
        }
    }

    private static func opaqueTag(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form servers send.
public enum HTTPDateFormat {
    public static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    public static func parse(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.date(from: text)
    }
}
