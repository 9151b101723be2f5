import CCurl

/// An absolute URL taken apart by libcurl's own parser, so the client judges a URL exactly as the
/// transfer will see it (no second parser to disagree about `http://a@b/`, `\`, or odd ports).
struct URLParts: Sendable, Equatable {
    /// The URL as libcurl normalises it.
    var url: String
    /// Lower case.
    var scheme: String
    /// Lower case; IPv6 literals without brackets.
    var host: String
    /// The effective port (80/443 when none is given).
    var port: Int
    /// Path and query as sent: `/a/b?c=d`. Never empty.
    var pathAndQuery: String

    /// The key per-host pacing, robots.txt and the circuit breaker use: RFC 9309 scopes robots.txt to
    /// scheme, host and port, and so do we for politeness.
    var origin: String

    var robotsURL: String { origin + "/robots.txt" }

    var isWeb: Bool { scheme == "http" || scheme == "https" }

    /// Parses an absolute URL. Spaces and bytes outside ASCII in the path are percent-encoded, as a
    /// browser would before sending.
    init?(_ string: String) {
        guard !string.isEmpty, string.utf8.count < 16 * 1024,
              !string.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }),
              let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, URLParts.escapingRawBytes(string), 0) == CURLUE_OK,
              let url = URLParts.get(handle, CURLUPART_URL, 0),
              let scheme = URLParts.get(handle, CURLUPART_SCHEME, 0),
              var host = URLParts.get(handle, CURLUPART_HOST, 0), !host.isEmpty,
              let portText = URLParts.get(handle, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)),
              let port = Int(portText)
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let zone = host.firstIndex(of: "%") { host = String(host[..<zone]) }
        let path = URLParts.get(handle, CURLUPART_PATH, 0) ?? "/"
        let query = URLParts.get(handle, CURLUPART_QUERY, 0)
        self.url = url
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        self.port = port
        let p = path.isEmpty ? "/" : path
        self.pathAndQuery = query.map { "\(p)?\($0)" } ?? p
        let bracketed = self.host.contains(":") ? "[\(self.host)]" : self.host
        let defaultPort = (self.scheme == "https" && port == 443) || (self.scheme == "http" && port == 80)
        self.origin = defaultPort ? "\(self.scheme)://\(bracketed)" : "\(self.scheme)://\(bracketed):\(port)"
    }

    private static func get(_ handle: OpaquePointer, _ part: CURLUPart, _ flags: UInt32) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &out, flags) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }

    /// Percent-encodes spaces and non-ASCII bytes, leaving everything else (existing escapes
    /// included) alone. libcurl 7.88 would otherwise send raw UTF-8 in the request line.
    static func escapingRawBytes(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x80 || $0 == 0x20 }) else { return s }
        // The host part keeps its Unicode form: libcurl converts it with IDN, and escaping it breaks that.
        let bytes = Array(s.utf8)
        var hostEnd = 0
        if let schemeEnd = indexOf(bytes, "://") {
            var i = schemeEnd + 3
            while i < bytes.count, bytes[i] != UInt8(ascii: "/"), bytes[i] != UInt8(ascii: "?"),
                  bytes[i] != UInt8(ascii: "#") { i += 1 }
            hostEnd = i
        }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        let hex = Array("0123456789ABCDEF".utf8)
        for (i, b) in bytes.enumerated() {
            if i >= hostEnd && (b >= 0x80 || b == 0x20) {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func indexOf(_ bytes: [UInt8], _ needle: String) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        for i in 0...(bytes.count - n.count) where Array(bytes[i..<(i + n.count)]) == n { return i }
        return nil
    }
}
