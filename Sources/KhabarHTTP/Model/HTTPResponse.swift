/// Response header fields in the order received. Names compare case-insensitively.
///
/// Kept as the header lines received and read on demand: a response's handful of lookups then
/// costs a handful of small strings, not two per field.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// `Name: value\r\n` lines.
    private var raw: [UInt8]

    public init(_ fields: [(String, String)] = []) {
        raw = []
        for (name, value) in fields { append(name: name, value: value) }
    }

    /// From header lines as received (`Name: value\r\n` …); lines without a colon are ignored.
    init(raw: [UInt8]) {
        self.raw = raw
    }

    mutating func append(name: String, value: String) {
        raw += Array(name.utf8)
        raw += [UInt8(ascii: ":"), UInt8(ascii: " ")]
        raw += Array(value.utf8)
        raw += [0x0D, 0x0A]
    }

    /// Every field, in order (values decoded as UTF-8 with replacement).
    public var fields: [Field] {
        var out: [Field] = []
        HTTPHeaders.scan(raw) { name, value in
            out.append(Field(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }
        return out
    }

    /// The first value of a field, nil when absent.
    public subscript(name: String) -> String? { values(for: name, first: true).first }

    /// Every value of a field, in order.
    public func values(for name: String) -> [String] { values(for: name, first: false) }

    private func values(for name: String, first: Bool) -> [String] {
        let wanted = Array(name.lowercased().utf8)
        var found: [String] = []
        HTTPHeaders.scan(raw) { n, value in
            if (!first || found.isEmpty) && HTTPHeaders.equalsLowercase(n, wanted) {
                found.append(String(decoding: value, as: UTF8.self))
            }
        }
        return found
    }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool { a.fields == b.fields }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Calls `body` with the trimmed name and value bytes of every `name: value` line.
    static func scan(_ raw: [UInt8], _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        var start = 0
        let n = raw.count
        while start < n {
            var end = start
            while end < n && raw[end] != 0x0A { end += 1 }
            var line = raw[start..<end]
            start = end + 1
            if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = trim(line[line.startIndex..<colon])
                line = line[(colon + 1)...]
                if !name.isEmpty { body(name, trim(line)) }
            }
        }
    }

    private static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 || f == 0x0D { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 || l == 0x0D { s = s.dropLast() }
        return s
    }

    /// ASCII case-insensitive equality of bytes with a lower-case literal.
    static func equalsLowercase(_ bytes: ArraySlice<UInt8>, _ lower: StaticString) -> Bool {
        lower.withUTF8Buffer { equalsLowercase(bytes, $0) }
    }

    static func equalsLowercase<C: Collection<UInt8>>(_ bytes: ArraySlice<UInt8>, _ lower: C) -> Bool {
        guard bytes.count == lower.count else { return false }
        var i = lower.startIndex
        for b in bytes {
            let folded = (b >= 0x41 && b <= 0x5A) ? b + 32 : b
            if folded != lower[i] { return false }
            i = lower.index(after: i)
        }
        return true
    }
}

/// A `Content-Type` split into its media type and charset.
public struct ContentType: Sendable, Equatable, CustomStringConvertible {
    /// Lower case, without parameters: `text/html`.
    public var mediaType: String
    /// The `charset` parameter as given (quotes removed), nil when absent. Charset detection in
    /// KhabarHTML decides what to trust; a lying charset is common.
    public var charset: String?

    public init?(_ header: String) {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        guard let first = parts.next() else { return nil }
        let media = first.trimmingASCIIWhitespace().lowercased()
        guard !media.isEmpty else { return nil }
        mediaType = media
        charset = nil
        while let parameter = parts.next() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIIWhitespace().lowercased() == "charset" else { continue }
            var value = pair[1].trimmingASCIIWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            if !value.isEmpty { charset = value }
        }
    }

    public var description: String { charset.map { "\(mediaType); charset=\($0)" } ?? mediaType }
}

/// A successful (2xx) response.
public struct HTTPResponse: Sendable {
    /// The URL asked for.
    public var requestedURL: String
    /// The URL that answered, after redirects.
    public var finalURL: String
    /// Every URL visited, the requested one first and `finalURL` last.
    public var redirectChain: [String]
    public var status: Int
    public var headers: HTTPHeaders
    /// The raw `Content-Type` field split up; nil when the server sent none.
    public var contentType: ContentType?
    /// The body after content decoding (gzip, br, zstd, deflate).
    public var body: [UInt8]
    public var etag: String?
    public var lastModified: String?
    /// Transfer attempts over all hops, 1 when nothing was retried.
    public var attempts: Int
    /// From the call to `fetch` to the last byte, waits for pacing and retries included.
    public var elapsed: Duration
    /// `body.count`.
    public var byteCount: Int { body.count }
    /// Body bytes on the wire before decoding, for the last hop.
    public var wireBytes: Int64
    /// `1.1` or `2`.
    public var httpVersion: String
    /// The address the last hop connected to.
    public var remoteAddress: String?
    /// The body was cut at the limit instead of failing (robots.txt only, as RFC 9309 allows).
    public var truncated: Bool
}

/// A `304 Not Modified`: the stored copy is current.
public struct NotModified: Sendable {
    public var requestedURL: String
    public var finalURL: String
    public var headers: HTTPHeaders
    /// The validators the server repeated (they may be fresher than the ones sent).
    public var etag: String?
    public var lastModified: String?
    public var attempts: Int
    public var elapsed: Duration
}

/// What a fetch that did not fail ended in.
public enum FetchResult: Sendable {
    case response(HTTPResponse)
    case notModified(NotModified)

    /// The response, nil for not-modified.
    public var response: HTTPResponse? {
        if case .response(let r) = self { return r }
        return nil
    }

    /// A short stable code for the event log: `ok` or `not_modified`.
    public var code: String {
        switch self {
        case .response: return "ok"
        case .notModified: return "not_modified"
        }
    }

    public var finalURL: String {
        switch self {
        case .response(let r): return r.finalURL
        case .notModified(let n): return n.finalURL
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (and CR/LF), the only whitespace HTTP knows.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
