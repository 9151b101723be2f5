import Foundation

/// One request as the test server received it: what a test asserts on (method, path, headers sent
/// by the client, which connection carried it).
public struct TestRequest: Sendable {
    public var method: String
    /// The request target as sent: `/a/b?c=d`.
    public var target: String
    /// The target without its query.
    public var path: String
    /// The query without `?`, nil when there is none.
    public var query: String?
    /// `HTTP/1.1`.
    public var version: String
    /// Header fields in order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Which connection carried it (1, 2, … per server): equal ids prove connection reuse.
    public var connectionID: Int
    /// The request's position on its connection, from 1.
    public var sequenceOnConnection: Int
    /// When the head was complete.
    public var receivedAt: ContinuousClock.Instant

    /// The first value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// Whether the client asked to keep the connection open after this request.
    var wantsKeepAlive: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        if version == "HTTP/1.0" { return connection.contains("keep-alive") }
        return !connection.contains("close")
    }
}

/// Parses a request head (`GET /x HTTP/1.1\r\nName: value\r\n…`, without the blank line).
enum RequestHeadParser {
    static func parse(_ head: [UInt8]) -> (method: String, target: String, version: String,
                                           headers: [(name: String, value: String)])? {
        let text = String(decoding: head, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        if lines.count == 1 { lines = text.components(separatedBy: "\n") }
        guard let requestLine = lines.first else { return nil }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
        return (String(parts[0]), String(parts[1]), String(parts[2]), headers)
    }
}
