/// One line of `changes.jsonl`, the corpus change log (DESIGN.md, "Change log entry").
///
/// Written with its keys in exactly this order, absent values as `null`:
/// `ts, action, file, hash, url, canonical_url, source, title, published, modified, author,
/// lang, chars, supersedes, near_duplicate_of`.
public struct ChangeRecord: Equatable, Sendable {
    /// What a line records: a new text, or a new version of an article already in the corpus.
    public enum Action: String, Sendable, CaseIterable {
        case added
        case revised
    }

    /// The keys, in the order every line writes them.
    public static let keys = [
        "ts", "action", "file", "hash", "url", "canonical_url", "source", "title", "published",
        "modified", "author", "lang", "chars", "supersedes", "near_duplicate_of",
    ]

    /// UTC, `2026-11-23T10:04:05Z`.
    public var ts: String
    public var action: Action
    public var file: CorpusFileName
    /// The content hash: for every line Khabar writes, the hash in `file`.
    public var hash: String
    public var url: String?
    public var canonicalURL: String?
    public var source: String?
    public var title: String?
    /// RFC 3339 with the page's own offset, or a bare date.
    public var published: String?
    public var modified: String?
    public var author: String?
    public var lang: String?
    /// Unicode scalars in the file's text (Python's `len`).
    public var chars: Int
    public var supersedes: String?
    public var nearDuplicateOf: String?

    public init(ts: String, action: Action, file: CorpusFileName, hash: String, url: String? = nil,
                canonicalURL: String? = nil, source: String? = nil, title: String? = nil,
                published: String? = nil, modified: String? = nil, author: String? = nil,
                lang: String? = nil, chars: Int, supersedes: String? = nil, nearDuplicateOf: String? = nil) {
        self.ts = ts
        self.action = action
        self.file = file
        self.hash = hash
        self.url = url
        self.canonicalURL = canonicalURL
        self.source = source
        self.title = title
        self.published = published
        self.modified = modified
        self.author = author
        self.lang = lang
        self.chars = chars
        self.supersedes = supersedes
        self.nearDuplicateOf = nearDuplicateOf
    }

    /// The line, without its newline.
    public var jsonLine: String {
        func s(_ v: String?) -> FlatJSON.Value { v.map(FlatJSON.Value.string) ?? .null }
        return FlatJSON.object([
            ("ts", .string(ts)), ("action", .string(action.rawValue)), ("file", .string(file.name)),
            ("hash", .string(hash)), ("url", s(url)), ("canonical_url", s(canonicalURL)),
            ("source", s(source)), ("title", s(title)), ("published", s(published)),
            ("modified", s(modified)), ("author", s(author)), ("lang", s(lang)),
            ("chars", .integer(chars)), ("supersedes", s(supersedes)),
            ("near_duplicate_of", s(nearDuplicateOf)),
        ])
    }

    /// Why a line is not a well-formed change-log entry.
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Reads a line strictly: exactly the keys above, in order, with the right types.
    public init(parsing line: some StringProtocol) throws(FormatError) {
        let pairs: [(key: String, value: FlatJSON.Value)]
        do {
            pairs = try FlatJSON.parseObject(line)
        } catch {
            throw FormatError(message: "not a JSON object: \(error)")
        }
        let keys = pairs.map(\.key)
        if keys != ChangeRecord.keys {
            throw FormatError(message: ChangeRecord.describeKeyMismatch(keys))
        }
        var values: [String: FlatJSON.Value] = [:]
        for pair in pairs { values[pair.key] = pair.value }
        func text(_ key: String) throws(FormatError) -> String {
            guard let s = values[key]?.string else { throw FormatError(message: "\"\(key)\" must be a string") }
            return s
        }
        func optional(_ key: String) throws(FormatError) -> String? {
            let v = values[key] ?? .null
            if v.isNull { return nil }
            guard let s = v.string else { throw FormatError(message: "\"\(key)\" must be a string or null") }
            return s
        }
        let ts = try text("ts")
        guard UTCTime.parse(ts) != nil else { throw FormatError(message: "\"ts\" must be UTC like 2026-11-23T10:04:05Z, got \"\(ts)\"") }
        let actionText = try text("action")
        guard let action = Action(rawValue: actionText) else {
            throw FormatError(message: "\"action\" must be \"added\" or \"revised\", got \"\(actionText)\"")
        }
        let fileText = try text("file")
        guard let file = CorpusFileName(parsing: fileText) else {
            throw FormatError(message: "\"file\" is not a corpus file name: \"\(fileText)\"")
        }
        let hash = try text("hash")
        guard CorpusFileName.isHash16(hash) else { throw FormatError(message: "\"hash\" must be 16 lowercase hex digits") }
        guard let chars = values["chars"]?.integer, chars >= 0 else { throw FormatError(message: "\"chars\" must be a non-negative integer") }
        self.init(ts: ts, action: action, file: file, hash: hash, url: try optional("url"),
                  canonicalURL: try optional("canonical_url"), source: try optional("source"),
                  title: try optional("title"), published: try optional("published"),
                  modified: try optional("modified"), author: try optional("author"),
                  lang: try optional("lang"), chars: chars, supersedes: try optional("supersedes"),
                  nearDuplicateOf: try optional("near_duplicate_of"))
    }

    static func describeKeyMismatch(_ keys: [String]) -> String {
        let expected = Set(ChangeRecord.keys)
        let present = Set(keys)
        if let missing = ChangeRecord.keys.first(where: { !present.contains($0) }) { return "missing key \"\(missing)\"" }
        if let extra = keys.first(where: { !expected.contains($0) }) { return "unexpected key \"\(extra)\"" }
        if keys.count != Set(keys).count { return "a key appears twice" }
        return "keys out of order: \(keys.joined(separator: ","))"
    }

    /// The `file` of a line without parsing all of it (the third key, so near the start): used to
    /// read a long change log quickly at start-up. Nil when the line does not look right; callers
    /// then fall back to a full parse.
    public static func quickFile(_ line: ArraySlice<UInt8>) -> CorpusFileName? {
        let marker = Array(",\"file\":\"".utf8)
        let limit = min(line.count, 160)
        let start = line.startIndex
        var i = start
        while i + marker.count <= start + limit {
            if line[i] == marker[0] && line[i..<(i + marker.count)].elementsEqual(marker) {
                let nameStart = i + marker.count
                guard let end = line[nameStart...].prefix(40).firstIndex(of: 0x22) else { return nil }
                return CorpusFileName(parsing: String(decoding: line[nameStart..<end], as: UTF8.self))
            }
            i += 1
        }
        return nil
    }
}
