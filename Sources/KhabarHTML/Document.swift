import CLibXML2

/// Why a document could not be parsed.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bytes at all.
    case empty
    /// libxml2 produced no document (the input is not markup it can recover).
    case unparsable(String)
    /// An XML document declares entities in its internal subset. Khabar refuses these outright:
    /// they are how XXE and billion-laughs attacks start, and no real feed or sitemap needs them.
    case entityDeclarations
    /// The input is larger than the parser accepts (libxml2 takes an `Int32` length).
    case tooLarge(Int)

    public var description: String {
        switch self {
        case .empty: return "empty document"
        case .unparsable(let what): return "cannot parse \(what)"
        case .entityDeclarations: return "the XML document declares entities (refused: XXE / entity expansion risk)"
        case .tooLarge(let n): return "document too large to parse (\(n) bytes)"
        }
    }
}

/// A parsed libxml2 document: HTML (lenient, as browsers read it) or XML (feeds, sitemaps; safe
/// flags only). It owns the `xmlDoc` and frees it when the last reference goes; `Node`s keep
/// their document alive, so a node can never outlive the memory it points into.
///
/// Not thread-safe: use one document from one task at a time (parsing many documents on many
/// threads at once is fine).
public final class Document {
    @usableFromInline let doc: xmlDocPtr
    /// The character encoding the bytes were decoded from (for HTML, the detected one).
    public let encoding: String?

    init(doc: xmlDocPtr, encoding: String?) {
        self.doc = doc
        self.encoding = encoding
    }

    deinit { xmlFreeDoc(doc) }

    /// Options for HTML: recover from errors, print nothing, never touch the network, and keep
    /// the document's own (possibly wrong) encoding declaration out of it: the caller decides.
    static let htmlOptions = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
        | HTML_PARSE_COMPACT.rawValue)

    /// Options for XML: recover, print nothing, no network. Never `XML_PARSE_NOENT` (it makes
    /// external entities load) and never `XML_PARSE_HUGE` (it lifts the entity-loop limits).
    static let xmlOptions = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
        | XML_PARSE_COMPACT.rawValue)

    /// Parses HTML bytes decoded with `encoding` (an IANA/WHATWG label libxml2 or iconv knows,
    /// such as `utf-8` or `windows-1256`). Use `HTMLParser.parse` to have the charset detected.
    public static func html(bytes: UnsafeRawBufferPointer, encoding: String, url: String? = nil) throws(DocumentError) -> Document {
        LibXML2.ensureInitialized()
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .empty }
        guard bytes.count < Int(Int32.max) else { throw .tooLarge(bytes.count) }
        khabar_xml_silence_errors()
        let doc = htmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), url, encoding, htmlOptions)
        guard let doc else { throw .unparsable("HTML") }
        return Document(doc: doc, encoding: encoding)
    }

    /// Parses XML bytes (the document's own encoding declaration applies) with safe flags; refuses
    /// documents whose internal subset declares entities.
    public static func xml(bytes: UnsafeRawBufferPointer, url: String? = nil) throws(DocumentError) -> Document {
        LibXML2.ensureInitialized()
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .empty }
        guard bytes.count < Int(Int32.max) else { throw .tooLarge(bytes.count) }
        khabar_xml_silence_errors()
        let doc = xmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), url, nil, xmlOptions)
        guard let doc else { throw .unparsable("XML") }
        if let subset = doc.pointee.intSubset, subset.pointee.entities != nil || subset.pointee.pentities != nil {
            xmlFreeDoc(doc)
            throw .entityDeclarations
        }
        let encoding = doc.pointee.encoding.map { String(cString: $0) }
        return Document(doc: doc, encoding: encoding)
    }

    /// Convenience for `[UInt8]` input.
    public static func xml(_ bytes: [UInt8], url: String? = nil) throws(DocumentError) -> Document {
        do {
            return try bytes.withUnsafeBytes { raw in try Document.xml(bytes: raw, url: url) }
        } catch let error as DocumentError {
            throw error
        } catch {
            throw .unparsable("XML")
        }
    }

    /// The libxml2 document, for code that walks nodes through pointers for speed (the extractor).
    /// Valid only inside `body`, while this `Document` is alive; never free it.
    @inlinable
    public func withUnsafeDocument<R, E: Error>(_ body: (xmlDocPtr) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in try body(doc) }
    }

    /// The root element (`<html>`, `<rss>`, `<urlset>` …), if any.
    public var root: Node? {
        xmlDocGetRootElement(doc).map { Node($0, in: self) }
    }
}
