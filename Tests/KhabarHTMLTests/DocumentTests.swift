import Testing
import CLibXML2
@testable import KhabarHTML

@Suite struct DocumentTests {
    @Test func windows1256PageEqualsItsUTF8Twin() throws {
        let body = "تعاون أمني بين موسكو وإيران، اتفاق جديد؟"
        let cp = Array("<html><head><title>".utf8) + cp1256("روسيا") + Array("</title><meta charset=\"windows-1256\"></head><body><p>".utf8)
            + cp1256(body) + Array("</p></body></html>".utf8)
        let utf8 = Array("<html><head><title>روسيا</title><meta charset=\"utf-8\"></head><body><p>\(body)</p></body></html>".utf8)
        let a = try HTMLParser.parse(cp)
        let b = try HTMLParser.parse(utf8)
        #expect(a.encoding == "windows-1256")
        let pa = try #require(a.root?.firstElement(named: "p"))
        let pb = try #require(b.root?.firstElement(named: "p"))
        #expect(pa.textContent == body)
        #expect(pa.textContent == pb.textContent)
        #expect(a.root?.firstElement(named: "title")?.textContent == "روسيا")
    }

    @Test func nodeAPIWalksTheTree() throws {
        let doc = try HTMLParser.parse(Array("<html><body><div id=a class='x y'><p>one <b>two</b></p><!-- c --><p>three</p></div></body></html>".utf8))
        let div = try #require(doc.root?.firstElement(named: "div"))
        #expect(div.attribute("id") == "a")
        #expect(div.attribute("class") == "x y")
        #expect(div.attribute("missing") == nil)
        #expect(div.attributes.map(\.name) == ["id", "class"])
        #expect(div.childElements.map(\.name) == ["p", "p"])
        #expect(div.children.map(\.kind) == [.element, .comment, .element])
        #expect(div.textContent == "one twothree")
        #expect(div.descendantElements.map(\.name) == ["p", "b", "p"])
        #expect(div.firstChild?.isElement(named: "p") == true)
        #expect(div.firstChild?.isElement(named: "pre") == false)
        #expect(div.parent?.name == "body")
    }

    @Test func html5ElementsAndEntities() throws {
        let doc = try HTMLParser.parse(Array("<article><time datetime='2022-07-19'>x</time><p>a&amp;b&nbsp;c</p></article>".utf8))
        #expect(doc.root?.firstElement(named: "time")?.attribute("datetime") == "2022-07-19")
        #expect(doc.root?.firstElement(named: "p")?.textContent == "a&b\u{00A0}c")
    }

    @Test func emptyInputIsATypedError() {
        #expect(throws: DocumentError.empty) { try HTMLParser.parse([UInt8]()) }
    }

    @Test func deepNestingDoesNotOverflowTheStack() throws {
        let html = String(repeating: "<div>", count: 100_000) + "deep" + String(repeating: "</div>", count: 100_000)
        let doc = try HTMLParser.parse(Array(html.utf8))
        let root = try #require(doc.root)
        // libxml2 stops descending at its depth limit (256 without XML_PARSE_HUGE, which Khabar
        // never sets); what matters is a document, walked without recursion, and no crash.
        _ = root.textContent
        #expect(root.descendantElements.reduce(0) { n, _ in n + 1 } >= 250)
    }

    @Test func xmlWithEntityDeclarationsIsRefused() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><rss>&x;</rss>"
        #expect(throws: DocumentError.entityDeclarations) { try Document.xml(Array(xxe.utf8)) }
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"lol\">"
        for i in 1...9 { laughs += "<!ENTITY \(Character(UnicodeScalar(97 + i)!)) \"" + String(repeating: "&\(Character(UnicodeScalar(96 + i)!));", count: 10) + "\">" }
        laughs += "]><l>&j;</l>"
        #expect(throws: DocumentError.entityDeclarations) { try Document.xml(Array(laughs.utf8)) }
    }

    @Test func xmlNamespacesAndText() throws {
        let feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><entry><title><![CDATA[روسيا & إيران]]></title></entry></feed>
        """
        let doc = try Document.xml(Array(feed.utf8))
        let root = try #require(doc.root)
        #expect(root.name == "feed")
        #expect(root.namespace == "http://www.w3.org/2005/Atom")
        #expect(root.firstElement(named: "title")?.textContent == "روسيا & إيران")
    }

    @Test func libxml2VersionIsReported() {
        #expect(LibXML2.version.hasPrefix("2."))
    }
}

@Suite struct DocumentPointerTests {
    @Test func theExtractorSeesTheSameDocument() throws {
        let doc = try HTMLParser.parse(Array("<html><body><p>x</p></body></html>".utf8))
        let name = doc.withUnsafeDocument { d -> String in
            guard let root = xmlDocGetRootElement(d), let n = root.pointee.name else { return "" }
            return String(cString: n)
        }
        #expect(name == "html")
    }
}
