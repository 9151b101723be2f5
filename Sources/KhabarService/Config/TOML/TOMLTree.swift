/// The document's tables while it is being read, with what TOML's definition rules need to know
/// of each: how it came to exist. Once the whole document is read, the tree is frozen into
/// `TOMLTable` values.
///
/// The rules, as TOML 1.0 states them:
/// - no key is defined twice, and no table is defined twice by headers;
/// - a header `[a.b.c]` creates `a` and `a.b` implicitly when they do not exist yet; an implicit
///   table may be defined by its own header later, once;
/// - dotted keys (`a.b.c = 1`) define every table before the last part; such a table cannot be
///   defined again by a header, though a header may create sub-tables inside it; and dotted keys
///   can only add to tables they created themselves in the same table section (or implicit ones),
///   never to a table that has its own header;
/// - inline tables and static arrays are complete as written: nothing may add to them, and
///   `[[name]]` cannot append to a static array.
final class TOMLTableNode {
    enum Origin: Equatable {
        /// Created on the way to a deeper header (`a` in `[a.b]`); may still get its own header.
        case implicit
        /// Defined by its own `[header]`, or the document root.
        case header
        /// Defined by dotted keys in the table section (or inline table) with this identifier.
        case dotted(section: Int)
        /// One element of an array of tables.
        case arrayElement
    }

    enum Child {
        /// A value written after `=`: scalars, static arrays and inline tables, all final.
        case value(TOMLValue)
        case table(TOMLTableNode)
        case tables(TOMLTableArrayNode)
    }

    struct Entry {
        let key: String
        let keyPosition: TOMLPosition
        var child: Child
    }

    var origin: Origin
    /// Where the table's value starts: the `[` of its header, or its key when it has no header.
    var position: TOMLPosition
    /// Levels below the root (the root is 0); bounded so that nothing recurses without limit.
    let depth: Int
    private(set) var entries: [Entry] = []
    private var index: [TOMLKey: Int] = [:]

    init(origin: Origin, position: TOMLPosition, depth: Int) {
        self.origin = origin
        self.position = position
        self.depth = depth
    }

    func entry(_ key: String) -> Entry? {
        index[TOMLKey(key)].map { entries[$0] }
    }

    func insert(_ key: String, at keyPosition: TOMLPosition, _ child: Child) {
        index[TOMLKey(key)] = entries.count
        entries.append(Entry(key: key, keyPosition: keyPosition, child: child))
    }

    /// The finished table; recursion is bounded by the depth limit.
    func freeze() -> TOMLTable {
        var table = TOMLTable()
        for entry in entries {
            let value: TOMLValue
            switch entry.child {
            case .value(let v): value = v
            case .table(let node): value = TOMLValue(.table(node.freeze()), at: node.position)
            case .tables(let array):
                value = TOMLValue(.array(array.elements.map { TOMLValue(.table($0.freeze()), at: $0.position) }), at: array.position)
            }
            table.append(TOMLTable.Entry(key: entry.key, keyPosition: entry.keyPosition, value: value))
        }
        return table
    }
}

/// An array of tables (`[[name]]`): one element per header, the last one open for sub-tables.
final class TOMLTableArrayNode {
    /// The `[[` of the first header.
    let position: TOMLPosition
    let depth: Int
    private(set) var elements: [TOMLTableNode]
    /// The element the latest header started.
    private(set) var last: TOMLTableNode

    /// The array with its first element, for the header at `position`.
    init(position: TOMLPosition, depth: Int) {
        self.position = position
        self.depth = depth
        last = TOMLTableNode(origin: .arrayElement, position: position, depth: depth + 1)
        elements = [last]
    }

    /// Starts a new element at the header at `position`.
    func append(at position: TOMLPosition) -> TOMLTableNode {
        last = TOMLTableNode(origin: .arrayElement, position: position, depth: depth + 1)
        elements.append(last)
        return last
    }
}

/// One part of a dotted key, with where it is written.
struct TOMLKeyPart {
    let name: String
    let position: TOMLPosition
    let offset: Int
}

/// Applies the definition rules while the document is read.
struct TOMLTreeBuilder {
    static let maxDepth = 128

    let root = TOMLTableNode(origin: .header, position: TOMLPosition(line: 1, column: 1), depth: 0)

    /// Opens `[key]`: returns the table that the following key/value pairs go into.
    func openTable(_ key: [TOMLKeyPart], header: TOMLPosition) throws(TOMLError) -> TOMLTableNode {
        let parent = try walkHeaderPath(key)
        let last = key[key.count - 1]
        let name = Self.render(key)
        guard let existing = parent.entry(last.name) else {
            try checkDepth(parent.depth + 1, last)
            let table = TOMLTableNode(origin: .header, position: header, depth: parent.depth + 1)
            parent.insert(last.name, at: last.position, .table(table))
            return table
        }
        switch existing.child {
        case .table(let table):
            switch table.origin {
            case .implicit:
                table.origin = .header
                table.position = header
                return table
            case .header, .arrayElement:
                throw Self.error(.tableRedefined(name, line: table.position.line), last)
            case .dotted:
                throw Self.error(.tableDefinedByDottedKeys(name, line: existing.keyPosition.line), last)
            }
        case .tables(let array):
            throw Self.error(.tableIsArrayOfTables(name, line: array.position.line), last)
        case .value(let value):
            if value.table != nil { throw Self.error(.tableRedefined(name, line: existing.keyPosition.line), last) }
            throw Self.error(.duplicateKey(name, line: existing.keyPosition.line), last)
        }
    }

    /// Opens `[[key]]`: appends a table to the array and returns it.
    func appendTable(_ key: [TOMLKeyPart], header: TOMLPosition) throws(TOMLError) -> TOMLTableNode {
        let parent = try walkHeaderPath(key)
        let last = key[key.count - 1]
        let name = Self.render(key)
        guard let existing = parent.entry(last.name) else {
            try checkDepth(parent.depth + 2, last)
            let array = TOMLTableArrayNode(position: header, depth: parent.depth + 1)
            parent.insert(last.name, at: last.position, .tables(array))
            return array.last
        }
        switch existing.child {
        case .tables(let array):
            return array.append(at: header)
        case .table(let table):
            throw Self.error(.tableNotArrayOfTables(name, line: table.position.line), last)
        case .value(let value):
            if value.array != nil { throw Self.error(.staticArray(name, line: existing.keyPosition.line), last) }
            if value.table != nil { throw Self.error(.tableNotArrayOfTables(name, line: existing.keyPosition.line), last) }
            throw Self.error(.duplicateKey(name, line: existing.keyPosition.line), last)
        }
    }

    /// A header walks through any table, and into the last element of an array of tables,
    /// creating missing tables as implicit ones.
    private func walkHeaderPath(_ key: [TOMLKeyPart]) throws(TOMLError) -> TOMLTableNode {
        var table = root
        for (n, part) in key.dropLast().enumerated() {
            guard let existing = table.entry(part.name) else {
                try checkDepth(table.depth + 1, part)
                let created = TOMLTableNode(origin: .implicit, position: part.position, depth: table.depth + 1)
                table.insert(part.name, at: part.position, .table(created))
                table = created
                continue
            }
            switch existing.child {
            case .table(let next):
                table = next
            case .tables(let array):
                table = array.last
            case .value(let value):
                let name = Self.render(key[...n])
                if value.table != nil { throw Self.error(.inlineTableIsFinal(name, line: existing.keyPosition.line), part) }
                throw Self.error(.notATable(name, line: existing.keyPosition.line), part)
            }
        }
        return table
    }

    /// Finds (creating as needed) the table that the last part of the dotted `key` goes into,
    /// from `table`, in the section `section`, and checks that the last part is still free.
    /// `prefix` is the path of `table` itself, for messages.
    func resolveDottedKey(_ key: [TOMLKeyPart], in table: TOMLTableNode, section: Int,
                          prefix: [TOMLKeyPart]) throws(TOMLError) -> TOMLTableNode {
        var table = table
        // Names are rendered only for an error message.
        func name(through n: Int) -> String { Self.render(prefix + key[...n]) }
        for (n, part) in key.dropLast().enumerated() {
            guard let existing = table.entry(part.name) else {
                try checkDepth(table.depth + 1, part)
                let created = TOMLTableNode(origin: .dotted(section: section), position: part.position, depth: table.depth + 1)
                table.insert(part.name, at: part.position, .table(created))
                table = created
                continue
            }
            switch existing.child {
            case .table(let next):
                switch next.origin {
                case .implicit:
                    next.origin = .dotted(section: section)
                case .dotted(let s) where s == section:
                    break
                case .dotted:
                    // Defined by the dotted keys of another section. Only a section's own table
                    // can start dotted keys, so this cannot happen in a valid tree; refuse it anyway.
                    throw Self.error(.tableDefinedByDottedKeys(name(through: n), line: existing.keyPosition.line), part)
                case .header, .arrayElement:
                    throw Self.error(.tableDefinedByHeader(name(through: n), line: next.position.line), part)
                }
                table = next
            case .tables(let array):
                throw Self.error(.dottedKeysIntoArrayOfTables(name(through: n), line: array.position.line), part)
            case .value(let value):
                if value.table != nil { throw Self.error(.inlineTableIsFinal(name(through: n), line: existing.keyPosition.line), part) }
                throw Self.error(.notATable(name(through: n), line: existing.keyPosition.line), part)
            }
        }
        let last = key[key.count - 1]
        if let existing = table.entry(last.name) {
            throw Self.error(.duplicateKey(Self.render(prefix + key), line: existing.keyPosition.line), last)
        }
        try checkDepth(table.depth + 1, last)
        return table
    }

    private func checkDepth(_ depth: Int, _ part: TOMLKeyPart) throws(TOMLError) {
        if depth > Self.maxDepth { throw Self.error(.tooDeep(limit: Self.maxDepth), part) }
    }

    private static func error(_ reason: TOMLError.Reason, _ part: TOMLKeyPart) -> TOMLError {
        TOMLError(reason, at: part.position, byteOffset: part.offset)
    }

    /// A key path as it would be written: bare parts as they are, others quoted.
    static func render(_ parts: some Collection<TOMLKeyPart>) -> String {
        parts.map { part in
            // A very long key is cut short: this is for a one-line message.
            let name = part.name.unicodeScalars.count <= 64 ? part.name
                : String(String.UnicodeScalarView(part.name.unicodeScalars.prefix(64))) + "…"
            if !name.isEmpty && name.utf8.allSatisfy(TOMLScanner.isBareKeyByte) { return name }
            var out = "\""
            for c in name.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where c.value < 0x20 || c.value == 0x7F:
                    let h = String(c.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "\""
        }.joined(separator: ".")
    }
}
