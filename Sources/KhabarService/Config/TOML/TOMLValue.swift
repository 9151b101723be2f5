/// A place in a TOML document, 1-based. Columns count Unicode scalars, so a line of Arabic or
/// Persian text is counted the way an editor shows it (a tab counts as one column).
public struct TOMLPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: TOMLPosition, b: TOMLPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// `line 3, column 10`
    public var description: String { "line \(line), column \(column)" }
}

/// A calendar date without an offset (`1979-05-27`).
public struct TOMLLocalDate: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
}

/// A time of day without an offset (`07:32:00.999`). Fractions beyond nanoseconds are truncated,
/// as TOML requires of an implementation that cannot hold the extra precision.
public struct TOMLLocalTime: Sendable, Hashable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    /// 0 to 60 (RFC 3339 allows a leap second).
    public var second: Int
    public var nanosecond: Int

    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// `07:32:00`, with the fraction's significant digits when there is one (`07:32:00.5`).
    public var description: String {
        var out = "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if nanosecond > 0 {
            var fraction = pad(nanosecond, 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        return out
    }
}

/// A date and time without an offset (`1979-05-27T07:32:00`).
public struct TOMLLocalDateTime: Sendable, Hashable, CustomStringConvertible {
    public var date: TOMLLocalDate
    public var time: TOMLLocalTime

    public init(date: TOMLLocalDate, time: TOMLLocalTime) {
        self.date = date
        self.time = time
    }

    public var description: String { "\(date)T\(time)" }
}

/// A date and time at a UTC offset (`1979-05-27T07:32:00-07:00`). The offset is kept as written,
/// not converted: `Z`, `+00:00` and `-00:00` all read as an offset of zero minutes.
public struct TOMLOffsetDateTime: Sendable, Hashable, CustomStringConvertible {
    public var date: TOMLLocalDate
    public var time: TOMLLocalTime
    /// Minutes east of UTC, from -1439 to 1439.
    public var offsetMinutes: Int

    public init(date: TOMLLocalDate, time: TOMLLocalTime, offsetMinutes: Int) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// `1979-05-27T07:32:00Z` or `…-07:00`.
    public var description: String {
        if offsetMinutes == 0 { return "\(date)T\(time)Z" }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let m = abs(offsetMinutes)
        return "\(date)T\(time)\(sign)\(pad(m / 60, 2)):\(pad(m % 60, 2))"
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// One TOML value and where it starts in the document: the opening quote or bracket, the first
/// character of a number, or the `[`/`[[` of the header that defined a table.
public struct TOMLValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case offsetDateTime(TOMLOffsetDateTime)
        case localDateTime(TOMLLocalDateTime)
        case localDate(TOMLLocalDate)
        case localTime(TOMLLocalTime)
        /// A static array, or the elements of an array of tables (`[[name]]`), in order.
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    public var position: TOMLPosition

    public init(_ kind: Kind, at position: TOMLPosition) {
        self.kind = kind
        self.position = position
    }

    public var string: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let n) = kind { return n }
        return nil
    }

    public var float: Double? {
        if case .float(let x) = kind { return x }
        return nil
    }

    public var bool: Bool? {
        if case .boolean(let b) = kind { return b }
        return nil
    }

    public var array: [TOMLValue]? {
        if case .array(let items) = kind { return items }
        return nil
    }

    public var table: TOMLTable? {
        if case .table(let t) = kind { return t }
        return nil
    }

    /// The TOML name of the value's type: `string`, `integer`, `float`, `boolean`,
    /// `offset date-time`, `local date-time`, `local date`, `local time`, `array` or `table`.
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .offsetDateTime: "offset date-time"
        case .localDateTime: "local date-time"
        case .localDate: "local date"
        case .localTime: "local time"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// A TOML table: its keys in the order the document defines them, each with the position of
/// the key itself (for a table defined by a header, the key's place in that header).
///
/// Keys are compared exactly, scalar by scalar: TOML does not normalise keys, so `"é"` written
/// precomposed and decomposed are two keys (Swift's `String ==` would call them one).
public struct TOMLTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var keyPosition: TOMLPosition
        public var value: TOMLValue

        public static func == (a: Entry, b: Entry) -> Bool {
            a.key.utf8.elementsEqual(b.key.utf8) && a.keyPosition == b.keyPosition && a.value == b.value
        }
    }

    public private(set) var entries: [Entry] = []
    private var index: [TOMLKey: Int] = [:]

    public init() {}

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> TOMLValue? { entry(key)?.value }

    public func entry(_ key: String) -> Entry? {
        index[TOMLKey(key)].map { entries[$0] }
    }

    /// Adds a key the table does not have yet; the parser has already refused duplicates.
    mutating func append(_ entry: Entry) {
        index[TOMLKey(entry.key)] = entries.count
        entries.append(entry)
    }

    public static func == (a: TOMLTable, b: TOMLTable) -> Bool { a.entries == b.entries }
}

/// A key that hashes and compares by its UTF-8 bytes rather than by canonical equivalence.
struct TOMLKey: Hashable {
    let name: String

    init(_ name: String) { self.name = name }

    static func == (a: TOMLKey, b: TOMLKey) -> Bool { a.name.utf8.elementsEqual(b.name.utf8) }

    func hash(into hasher: inout Hasher) {
        var name = name
        name.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
