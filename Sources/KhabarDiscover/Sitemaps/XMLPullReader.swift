import CLibXML2
import KhabarHTML

/// A streaming reader over XML bytes (libxml2's `xmlTextReader`), for sitemaps: a 50,000-URL
/// sitemap is read in one pass holding only the entries, never a document tree (which costs
/// about twelve times the input in memory).
///
/// Same safety as `Document.xml`: no network, no external entities, no `XML_PARSE_NOENT`, no
/// `XML_PARSE_HUGE`; the input has been through `XMLInput.repair`, so it declares no entities at
/// all. An error ends the stream and sets `failed`; the caller then falls back to the tree
/// parser, which recovers.
final class XMLPullReader {
    enum Event {
        /// An element opens: its local name and namespace (pointers valid until the next `next()`),
        /// its depth (the root is 0), and whether it is empty (`<x/>`, no end event follows).
        case start(name: UnsafePointer<xmlChar>, namespace: UnsafePointer<xmlChar>?, depth: Int, empty: Bool)
        /// Character data (text or CDATA), valid until the next `next()`.
        case text(UnsafePointer<xmlChar>)
        /// An element closes at `depth`.
        case end(depth: Int)
    }

    private static let options = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_COMPACT.rawValue)

    /// `xmlInitParser()` once per process before libxml2 is used from several threads.
    private static let initialized: Void = { xmlInitParser() }()

    private let reader: xmlTextReaderPtr
    /// The bytes the reader reads from: libxml2 does not copy them, and an array's storage is only
    /// guaranteed inside `withUnsafeBytes`, so the reader owns a copy.
    private let storage: UnsafeMutableRawBufferPointer

    init(_ bytes: [UInt8], url: String) throws(DocumentError) {
        _ = Self.initialized
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count < Int(Int32.max) else { throw .tooLarge(bytes.count) }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
        guard let base = copy.baseAddress,
              let r = xmlReaderForMemory(base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), url, nil, Self.options) else {
            copy.deallocate()
            throw .unparsable("XML")
        }
        storage = copy
        reader = r
    }

    deinit {
        xmlFreeTextReader(reader)
        storage.deallocate()
    }

    /// True once the reader stopped at an error rather than at the end (libxml2's reader does
    /// not recover from malformed markup the way its tree parser does).
    private(set) var failed = false

    /// The next event of interest; nil at the end or on an error (then `failed` is true).
    func next() -> Event? {
        while true {
            let status = xmlTextReaderRead(reader)
            guard status == 1 else {
                if status < 0 { failed = true }
                return nil
            }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                guard let name = xmlTextReaderConstLocalName(reader) else { continue }
                return .start(name: name, namespace: xmlTextReaderConstNamespaceUri(reader),
                              depth: Int(xmlTextReaderDepth(reader)), empty: xmlTextReaderIsEmptyElement(reader) == 1)
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                guard let value = xmlTextReaderConstValue(reader) else { continue }
                return .text(value)
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                return .end(depth: Int(xmlTextReaderDepth(reader)))
            default:
                continue
            }
        }
    }

    /// True when the C string `p` equals `s` (compared byte by byte, no String made).
    @inline(__always)
    static func equals(_ p: UnsafePointer<xmlChar>, _ s: StaticString) -> Bool {
        let e = s.utf8Start
        var i = 0
        while i < s.utf8CodeUnitCount {
            if p[i] != e[i] { return false }
            i += 1
        }
        return p[i] == 0
    }

    static func string(_ p: UnsafePointer<xmlChar>) -> String {
        String(cString: p)
    }
}
