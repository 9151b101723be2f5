/// An `http` or `https` URL in Khabar's normal form — the only kind of URL discovery hands on.
///
/// Parsing normalises as it goes, so two spellings of one resource become equal values:
/// scheme and host lower-cased, internationalised hosts in Punycode, IPv4/IPv6 literals in their
/// canonical text, default ports dropped, user info dropped, `\` read as `/` (as browsers do),
/// dot-segments resolved, percent-encoding normalised (see `PercentEncoding`), an empty query
/// dropped, and the fragment dropped (it never reaches the server). Tracking parameters are
/// *not* removed here: that is `URLCanonicalizer`'s separate, explicit step.
///
/// The parser follows the WHATWG URL standard for special schemes where real pages depend on it
/// (leading/trailing spaces and embedded tabs/newlines ignored, `http:example.com`, scheme-relative
/// `//host/path`), and RFC 3986 §5 for resolving references. Anything else — `mailto:`,
/// `javascript:`, `data:`, `ftp:`, a bad host or port — is not an `HTTPURL` (nil).
public struct HTTPURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable {
        case http, https

        var defaultPort: Int { self == .http ? 80 : 443 }
    }

    public let scheme: Scheme
    /// ASCII, lower case, Punycode for internationalised labels; IPv6 in brackets.
    public let host: String
    /// The port when it is not the scheme's default.
    public let port: Int?
    /// Starts with `/`; percent-encoding normalised.
    public let path: String
    /// Without the `?`; nil when absent or empty.
    public let query: String?

    /// The URL as text: `scheme://host[:port]path[?query]`.
    public let string: String

    public var description: String { string }

    /// `host[:port]`.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    init(scheme: Scheme, host: String, port: Int?, path: String, query: String?) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        var s = scheme.rawValue + "://" + host
        if let port { s += ":\(port)" }
        s += path
        if let query { s += "?" + query }
        string = s
    }

    // Equality and hashing on the text alone: every other field is a function of it.
    public static func == (a: HTTPURL, b: HTTPURL) -> Bool { a.string == b.string }
    public func hash(into hasher: inout Hasher) { hasher.combine(string) }

    /// Parses `text`, resolving it against `base` when it is relative. Returns nil for anything
    /// that is not an http(s) URL once resolved, or that cannot be resolved (relative, no base).
    public init?(_ text: some StringProtocol, relativeTo base: HTTPURL? = nil) {
        guard let url = URLParser.parse(Array(text.utf8)[...], base: base) else { return nil }
        self = url
    }

    /// `reference` (an `href` value, say) resolved against this URL.
    public func resolve(_ reference: some StringProtocol) -> HTTPURL? {
        HTTPURL(reference, relativeTo: self)
    }

    /// The same URL with another path and query (both already in normal form).
    func with(path: String? = nil, query: String??) -> HTTPURL {
        HTTPURL(scheme: scheme, host: host, port: port, path: path ?? self.path, query: query ?? self.query)
    }

    /// The query's `name=value` pairs as written (still percent-encoded), in order.
    public var queryItems: [(name: String, value: String?)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { piece in
            if let eq = piece.firstIndex(of: "=") {
                return (String(piece[..<eq]), String(piece[piece.index(after: eq)...]))
            }
            return (String(piece), nil)
        }
    }

    /// The path's segments, percent-decoded (invalid UTF-8 shown as U+FFFD), empty ones dropped:
    /// `/news/%D8%B1-1` → `["news", "ر-1"]`.
    public var pathSegments: [String] {
        path.split(separator: "/").map { PercentEncoding.decodeLeniently($0) }
    }

    /// True when the path is `/` and there is no query: a site's front page.
    public var isRoot: Bool { path == "/" && query == nil }
}

/// The parsing and resolving steps behind `HTTPURL.init`.
enum URLParser {
    private static let slash = UInt8(ascii: "/")
    private static let backslash = UInt8(ascii: "\\")
    private static let question = UInt8(ascii: "?")
    private static let hash = UInt8(ascii: "#")

    static func parse(_ input: ArraySlice<UInt8>, base: HTTPURL?) -> HTTPURL? {
        // Bound the work on hostile input; no real link is anywhere near this long.
        guard input.count <= 64 * 1024 else { return nil }
        let bytes = clean(input)

        if let (schemeText, rest) = splitScheme(bytes) {
            guard let scheme = HTTPURL.Scheme(rawValue: schemeText) else { return nil }
            // `http:path` or `http:/path` with a base of the same scheme is relative (WHATWG's
            // "special relative or authority" state); `http://…` is absolute.
            if let base, base.scheme == scheme, !startsWithTwoSlashes(rest) {
                return relative(rest, base: base)
            }
            return absolute(scheme: scheme, afterColon: rest)
        }
        guard let base else { return nil }
        if startsWithTwoSlashes(bytes) {
            return absolute(scheme: base.scheme, afterColon: bytes)
        }
        return relative(bytes, base: base)
    }

    /// Drops leading and trailing C0 controls and spaces, and every tab and newline.
    private static func clean(_ input: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = input
        while let f = s.first, f <= 0x20 { s = s.dropFirst() }
        while let l = s.last, l <= 0x20 { s = s.dropLast() }
        if s.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return ArraySlice(s.filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D })
        }
        return s
    }

    /// `scheme:` at the start: an ASCII letter, then letters, digits, `+-.`, then `:`.
    private static func splitScheme(_ b: ArraySlice<UInt8>) -> (String, ArraySlice<UInt8>)? {
        guard let first = b.first, isAlpha(first) else { return nil }
        var i = b.startIndex
        while i < b.endIndex {
            let c = b[i]
            if c == UInt8(ascii: ":") {
                let scheme = String(decoding: b[b.startIndex..<i].map(HostName.asciiLower), as: UTF8.self)
                return (scheme, b[(i + 1)...])
            }
            guard isAlpha(c) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else {
                return nil
            }
            i += 1
        }
        return nil
    }

    /// `//authority/path?query#fragment` (any number of leading slashes, as browsers allow).
    private static func absolute(scheme: HTTPURL.Scheme, afterColon rest: ArraySlice<UInt8>) -> HTTPURL? {
        var s = rest
        while let f = s.first, isSlash(f) { s = s.dropFirst() }
        let authorityEnd = s.firstIndex(where: { isSlash($0) || $0 == question || $0 == hash }) ?? s.endIndex
        var authority = s[s.startIndex..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            authority = authority[(at + 1)...]
        }
        var hostPart = authority
        var port: Int?
        let colon: ArraySlice<UInt8>.Index?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostPart = authority[authority.startIndex...close]
            let after = authority[(close + 1)...]
            if after.isEmpty {
                colon = nil
            } else {
                guard after.first == UInt8(ascii: ":") else { return nil }
                colon = after.startIndex
            }
        } else {
            colon = authority.lastIndex(of: UInt8(ascii: ":"))
            if let colon { hostPart = authority[authority.startIndex..<colon] }
        }
        if let colon {
            let digits = authority[(colon + 1)...]
            if !digits.isEmpty {
                guard digits.count <= 5, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      let p = Int(String(decoding: digits, as: UTF8.self)), p <= 65_535 else { return nil }
                port = p == scheme.defaultPort ? nil : p
            }
        }
        guard let host = HostName.canonical(hostPart) else { return nil }
        let (rawPath, rawQuery) = splitPathAndQuery(s[authorityEnd...])
        let path = normalizePath(rawPath.isEmpty ? [slash][...] : rawPath)
        return HTTPURL(scheme: scheme, host: host, port: port, path: path, query: normalizeQuery(rawQuery))
    }

    /// RFC 3986 §5.2.2 for a reference without scheme or authority.
    private static func relative(_ ref: ArraySlice<UInt8>, base: HTTPURL) -> HTTPURL? {
        let (rawPath, rawQuery) = splitPathAndQuery(ref)
        if rawPath.isEmpty {
            let query = rawQuery.map { normalizeQuery($0) } ?? base.query
            return base.with(query: .some(query))
        }
        var merged: [UInt8]
        if isSlash(rawPath[rawPath.startIndex]) {
            merged = Array(rawPath)
        } else {
            let basePath = Array(base.path.utf8)
            let lastSlash = basePath.lastIndex(of: slash) ?? 0
            merged = Array(basePath[...lastSlash]) + rawPath
        }
        return base.with(path: normalizePath(merged[...]), query: .some(normalizeQuery(rawQuery)))
    }

    /// Splits `path?query#fragment`; the fragment is dropped; `\` in the path becomes `/`.
    private static func splitPathAndQuery(_ s: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        let end = s.firstIndex(of: hash) ?? s.endIndex
        let body = s[s.startIndex..<end]
        var path: ArraySlice<UInt8>
        var query: ArraySlice<UInt8>?
        if let q = body.firstIndex(of: question) {
            path = body[body.startIndex..<q]
            query = body[(q + 1)...]
        } else {
            path = body
        }
        if path.contains(backslash) {
            path = ArraySlice(path.map { $0 == backslash ? slash : $0 })
        }
        return (path, query)
    }

    private static func normalizeQuery(_ q: ArraySlice<UInt8>?) -> String? {
        guard let q, !q.isEmpty else { return nil }
        return PercentEncoding.normalize(q, for: .query)
    }

    /// Percent-encoding normalised, then dot-segments removed (RFC 3986 §5.2.4; after decoding, so
    /// `%2e%2E` counts as `..`, as in browsers).
    static func normalizePath(_ raw: ArraySlice<UInt8>) -> String {
        let encoded = PercentEncoding.normalize(raw, for: .path)
        if !hasDotSegmentStart(encoded) { return encoded }
        let segments = encoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var out: [Substring] = []
        out.reserveCapacity(segments.count)
        var index = segments.startIndex
        while index < segments.endIndex {
            let segment = segments[index]
            let isLast = index == segments.endIndex - 1
            if segment == "." {
                if isLast { out.append("") }
            } else if segment == ".." {
                if !out.isEmpty { out.removeLast() }
                if isLast { out.append("") }
            } else {
                out.append(segment)
            }
            index += 1
        }
        return "/" + out.joined(separator: "/")
    }

    /// True when `/.` occurs: only then can there be a dot-segment to remove.
    private static func hasDotSegmentStart(_ s: String) -> Bool {
        var previousSlash = false
        for b in s.utf8 {
            if previousSlash && b == UInt8(ascii: ".") { return true }
            previousSlash = b == slash
        }
        return false
    }

    private static func startsWithTwoSlashes(_ b: ArraySlice<UInt8>) -> Bool {
        b.count >= 2 && isSlash(b[b.startIndex]) && isSlash(b[b.startIndex + 1])
    }

    @inline(__always) private static func isSlash(_ b: UInt8) -> Bool { b == slash || b == backslash }
    @inline(__always) private static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
}
