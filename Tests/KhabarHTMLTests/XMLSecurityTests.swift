import CLibXML2
import Foundation
import KhabarTestSupport
import Testing
@testable import KhabarHTML

/// `Document.xml` against XML's classic attacks (issue 8, "XXE and billion-laughs feeds
/// harmless"): external entities pointing at a file and at a URL, parameter entities, external
/// DTDs, exponential and quadratic entity expansion. Each ends in a typed error or a document
/// that holds nothing from outside; no file is opened, no connection made, and the parse costs
/// milliseconds of CPU, not the seconds and gigabytes an expansion would.
@Suite(.serialized) struct XMLSecurityTests {
    /// libxml2 with the flags Khabar never uses (`NOENT` substitutes entities, `DTDLOAD` loads
    /// external DTDs, no `NONET`): the probe must catch it reading the file and connecting, or
    /// the tests below could not fail.
    @Test func controlAnUnsafeParserIsCaughtByTheProbe() throws {
        let probe = try ExfiltrationProbe()
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE r [ <!ENTITY file SYSTEM "\(probe.fileURL)"> <!ENTITY net SYSTEM "\(probe.httpURL)"> ]>
        <r><a>&file;</a><b>&net;</b></r>
        """
        let bytes = Array(xml.utf8)
        let unsafeOptions = Int32(XML_PARSE_NOENT.rawValue | XML_PARSE_DTDLOAD.rawValue | XML_PARSE_RECOVER.rawValue
            | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { xmlReadMemory($0, Int32(b.count), nil, nil, unsafeOptions) }
        }
        defer { xmlFreeDoc(doc) }
        let text = xmlNodeGetContent(xmlDocGetRootElement(doc)).map { p in
            defer { khabar_xml_free(p) }
            return String(cString: p)
        } ?? ""
        #expect(text.contains(probe.secret))
        #expect(probe.fileTouched)
        #expect(probe.connections >= 1)
    }

    @Test func externalEntityToAFileIsRefused() throws {
        let probe = try ExfiltrationProbe()
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "\(probe.fileURL)"> ]>
        <rss><channel><title>&xxe;</title></channel></rss>
        """
        try expectRefused(xml, probe: probe)
    }

    @Test func externalEntityToAURLIsRefused() throws {
        let probe = try ExfiltrationProbe()
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE feed [ <!ENTITY net SYSTEM "\(probe.httpURL)"> ]>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>&net;</title></feed>
        """
        try expectRefused(xml, probe: probe)
    }

    @Test func externalParameterEntitiesAreNeverLoaded() throws {
        let probe = try ExfiltrationProbe()
        for target in [probe.fileURL, probe.httpURL] {
            let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE r [ <!ENTITY % remote SYSTEM "\(target)"> %remote; ]>
            <r>&leak;</r>
            """
            try expectRefused(xml, probe: probe)
        }
    }

    /// An external DTD declares no entity in the document itself, so the document is accepted —
    /// but the DTD is never fetched, and a reference to an entity it would declare stays empty.
    @Test func anExternalDTDIsNeverLoaded() throws {
        let probe = try ExfiltrationProbe()
        for target in [probe.fileURL, probe.httpURL] {
            let xml = """
            <?xml version="1.0" standalone="no"?>
            <!DOCTYPE rss SYSTEM "\(target)">
            <rss><channel><title>a&x;b</title></channel></rss>
            """
            let before = threadCPUSeconds()
            let document = try Document.xml(Array(xml.utf8))
            #expect(threadCPUSeconds() - before < 2)
            #expect(document.root?.firstElement(named: "title")?.textContent == "ab")
        }
        #expect(!probe.fileTouched)
        #expect(probe.connections == 0)
    }

    @Test func billionLaughsIsRefusedBeforeAnyExpansion() throws {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        var previous = "lol"
        for i in 1...9 {
            xml += "<!ENTITY lol\(i) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            previous = "lol\(i)"
        }
        xml += "]><lolz>&lol9;&lol9;</lolz>"
        let before = threadCPUSeconds()
        #expect(throws: DocumentError.entityDeclarations) { try Document.xml(Array(xml.utf8)) }
        // Expanded, this is 3 GB of text; refused, it costs what reading 1 KB costs.
        #expect(threadCPUSeconds() - before < 2)
    }

    /// One large entity referenced many times (no nesting, so libxml2's own loop limits do not
    /// apply): 20 MB of text if expanded, from 60 KB.
    @Test func quadraticBlowupIsRefused() throws {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"" + String(repeating: "A", count: 2_000) + "\">]><r>"
            + String(repeating: "&a;", count: 10_000) + "</r>"
        let before = threadCPUSeconds()
        #expect(throws: DocumentError.entityDeclarations) { try Document.xml(Array(xml.utf8)) }
        #expect(threadCPUSeconds() - before < 2)
    }

    /// Without a declaration there is nothing to expand: references to undeclared entities are
    /// dropped, and reading the text never reaches into one.
    @Test func undeclaredReferencesStayEmpty() throws {
        let xml = "<r><t>x" + String(repeating: "&a;", count: 100_000) + "y</t></r>"
        let document = try Document.xml(Array(xml.utf8))
        #expect(document.root?.firstElement(named: "t")?.textContent == "xy")
    }

    /// The HTML parser has no entities of its own to declare and loads no DTD, whatever the page's
    /// document type says.
    @Test func htmlPagesLoadNothing() throws {
        let probe = try ExfiltrationProbe()
        for target in [probe.fileURL, probe.httpURL] {
            let html = """
            <!DOCTYPE html SYSTEM "\(target)" [ <!ENTITY x SYSTEM "\(target)"> ]>
            <html><head><link rel="stylesheet" href="\(target)"><base href="\(target)"></head>
            <body><p>a&x;b</p><iframe src="\(target)"></iframe><img src="\(target)"></body></html>
            """
            let document = try HTMLParser.parse(Array(html.utf8))
            let text: String = document.root?.textContent ?? ""
            #expect(!text.contains(probe.secret))
        }
        #expect(!probe.fileTouched, "the secret file was opened")
        #expect(probe.connections == 0, "a connection was made")
    }

    /// Parses `xml` with `Document.xml` and expects the typed refusal, with nothing read from
    /// outside and little CPU spent.
    func expectRefused(_ xml: String, probe: ExfiltrationProbe, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = threadCPUSeconds()
        #expect(throws: DocumentError.entityDeclarations, sourceLocation: sourceLocation) { try Document.xml(Array(xml.utf8)) }
        #expect(threadCPUSeconds() - before < 2, sourceLocation: sourceLocation)
        #expect(!probe.fileTouched, "the secret file was opened", sourceLocation: sourceLocation)
        #expect(probe.connections == 0, "a connection was made", sourceLocation: sourceLocation)
        let error = DocumentError.entityDeclarations
        #expect(!error.description.contains("\n"))
    }
}
