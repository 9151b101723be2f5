/// A complete response, built declaratively: `.html("<p>hi</p>").header("ETag", "\"v1\"")`.
public struct TestResponse: Sendable {
    public var status: Int
    /// The reason phrase; nil for the usual one.
    public var reason: String?
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int = 200, reason: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// `text/html; charset=utf-8` (or the charset given; the bytes are not re-encoded).
    public static func html(_ text: String, status: Int = 200, charset: String = "utf-8") -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", "text/html; charset=\(charset)")], body: Array(text.utf8))
    }

    /// HTML from raw bytes (windows-1256 pages, invalid UTF-8, …) with whatever `Content-Type` is given.
    public static func bytes(_ body: [UInt8], contentType: String?, status: Int = 200) -> TestResponse {
        TestResponse(status: status, headers: contentType.map { [("Content-Type", $0)] } ?? [], body: body)
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    public static func xml(_ text: String, status: Int = 200, contentType: String = "application/xml") -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// A redirect to `location` (absolute or relative, sent as given).
    public static func redirect(to location: String, status: Int = 302) -> TestResponse {
        TestResponse(status: status, headers: [("Location", location), ("Content-Type", "text/html")],
                     body: Array("<a href=\"\(location)\">moved</a>".utf8))
    }

    /// A bare status with a short text body.
    public static func status(_ code: Int, headers: [(String, String)] = []) -> TestResponse {
        let body = (code == 204 || code == 304) ? [] : Array("\(code) \(reasonPhrase(code))\n".utf8)
        return TestResponse(status: code, headers: headers + [("Content-Type", "text/plain")], body: body)
    }

    /// The same response with one more header.
    public func header(_ name: String, _ value: String) -> TestResponse {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }

    /// The same response with its body compressed and `Content-Encoding` set (`.identity` leaves it).
    public func encoded(_ coding: ContentCoding) -> TestResponse {
        guard coding != .identity else { return self }
        var copy = self
        copy.body = coding.encode(body)
        copy.headers.append(("Content-Encoding", coding.rawValue))
        return copy
    }

    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 408: return "Request Timeout"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }
}
