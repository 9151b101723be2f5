import CLibXML2

/// A node of a `Document`: an element, a text run, a comment, or another libxml2 node kind.
///
/// A small value over libxml2's `xmlNode`. It holds its document, so the memory it points into
/// lives as long as the node does. Names are lower-cased ASCII for HTML elements as libxml2 gives
/// them; XML names are as written (use `localName` and `namespace`).
public struct Node {
    @usableFromInline let pointer: xmlNodePtr
    /// The owning document; kept so `pointer` stays valid.
    public let document: Document

    @inlinable
    init(_ pointer: xmlNodePtr, in document: Document) {
        self.pointer = pointer
        self.document = document
    }

    public enum Kind: Sendable, Equatable {
        case element, text, cdata, comment, entityReference, other
    }

    @inlinable
    public var kind: Kind {
        switch pointer.pointee.type {
        case XML_ELEMENT_NODE: return .element
        case XML_TEXT_NODE: return .text
        case XML_CDATA_SECTION_NODE: return .cdata
        case XML_COMMENT_NODE: return .comment
        case XML_ENTITY_REF_NODE: return .entityReference
        default: return .other
        }
    }

    @inlinable public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    @inlinable public var isText: Bool {
        pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE
    }

    /// The element's name as written (HTML: lower case), without any namespace prefix.
    public var name: String {
        guard let n = pointer.pointee.name else { return "" }
        return String(cString: n)
    }

    /// True when this is an element named `name` (compared without building a String).
    @inlinable
    public func isElement(named name: StaticString) -> Bool {
        guard pointer.pointee.type == XML_ELEMENT_NODE, let n = pointer.pointee.name else { return false }
        return name.withUTF8Buffer { expected in
            var i = 0
            while i < expected.count {
                if n[i] != expected[i] { return false }
                i += 1
            }
            return n[i] == 0
        }
    }

    /// The namespace URI of an XML element (`http://www.w3.org/2005/Atom` …), if it has one.
    public var namespace: String? {
        guard let ns = pointer.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    /// The value of attribute `name` (HTML: lower-case names), entities decoded; nil when absent.
    public func attribute(_ name: String) -> String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE else { return nil }
        guard let value = xmlGetProp(pointer, name) else {
            return nil
        }
        defer { khabar_xml_free(value) }
        return String(cString: value)
    }

    /// An attribute in a namespace (for XML, such as `xml:lang`).
    public func attribute(_ name: String, namespace: String) -> String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE, let value = xmlGetNsProp(pointer, name, namespace) else { return nil }
        defer { khabar_xml_free(value) }
        return String(cString: value)
    }

    /// Every attribute as (name, value), in document order.
    public var attributes: [(name: String, value: String)] {
        var out: [(String, String)] = []
        var attr = pointer.pointee.type == XML_ELEMENT_NODE ? pointer.pointee.properties : nil
        while let a = attr {
            let name = a.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            if let v = xmlNodeListGetString(pointer.pointee.doc, a.pointee.children, 1) {
                value = String(cString: v)
                khabar_xml_free(v)
            }
            out.append((name, value))
            attr = a.pointee.next
        }
        return out
    }

    /// The text of a text or CDATA node; for other nodes, nil.
    public var text: String? {
        guard isText, let content = pointer.pointee.content else { return nil }
        return String(cString: content)
    }

    /// All text below this node, in document order, entity references skipped (never expanded).
    public var textContent: String {
        var out = ""
        appendText(to: &out)
        return out
    }

    /// Appends the text below this node to `out`; iterative, so deep trees cannot overflow the stack.
    public func appendText(to out: inout String) {
        if isText {
            if let c = pointer.pointee.content { out += String(cString: c) }
            return
        }
        var node: xmlNodePtr? = pointer.pointee.children
        let stop = pointer
        while let n = node {
            let t = n.pointee.type
            if t == XML_TEXT_NODE || t == XML_CDATA_SECTION_NODE {
                if let c = n.pointee.content { out += String(cString: c) }
            } else if t == XML_ELEMENT_NODE, let child = n.pointee.children {
                node = child
                continue
            }
            // Next in document order, not leaving the subtree.
            var cur: xmlNodePtr? = n
            node = nil
            while let c = cur, c != stop {
                if let next = c.pointee.next { node = next; break }
                cur = c.pointee.parent
            }
        }
    }

    public var parent: Node? {
        guard let p = pointer.pointee.parent, p.pointee.type == XML_ELEMENT_NODE else { return nil }
        return Node(p, in: document)
    }

    public var firstChild: Node? { pointer.pointee.children.map { Node($0, in: document) } }
    public var nextSibling: Node? { pointer.pointee.next.map { Node($0, in: document) } }
    public var previousSibling: Node? { pointer.pointee.prev.map { Node($0, in: document) } }

    /// The children of this node, every kind, in order.
    public var children: Children { Children(first: pointer.pointee.children, document: document) }

    /// The child elements of this node, in order.
    public var childElements: [Node] { children.filter(\.isElement) }

    /// Every element below this node (not itself) in document order; iterative.
    public var descendantElements: DescendantElements { DescendantElements(root: self) }

    /// The elements below this node named `name` (HTML: lower case; XML: the local name).
    public func elements(named name: String) -> [Node] {
        descendantElements.filter { $0.name == name }
    }

    /// The first element below this node named `name`.
    public func firstElement(named name: String) -> Node? {
        descendantElements.first { $0.name == name }
    }

    /// Line of the node in the source, as libxml2 recorded it (for messages).
    public var line: Int { Int(xmlGetLineNo(pointer)) }
}

extension Node: Equatable {
    public static func == (a: Node, b: Node) -> Bool { a.pointer == b.pointer }
}

extension Node: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(pointer) }
}

/// The children of a node.
public struct Children: Sequence {
    let first: xmlNodePtr?
    let document: Document

    public struct Iterator: IteratorProtocol {
        var current: xmlNodePtr?
        let document: Document
        public mutating func next() -> Node? {
            guard let c = current else { return nil }
            current = c.pointee.next
            return Node(c, in: document)
        }
    }

    public func makeIterator() -> Iterator { Iterator(current: first, document: document) }
}

/// Every element below a node, depth-first in document order, without recursion.
public struct DescendantElements: Sequence {
    let root: Node

    public struct Iterator: IteratorProtocol {
        let stop: xmlNodePtr
        var next_: xmlNodePtr?
        let document: Document

        init(root: Node) {
            stop = root.pointer
            next_ = root.pointer.pointee.children
            document = root.document
        }

        public mutating func next() -> Node? {
            while let n = next_ {
                // Advance: first child, else next sibling, else the nearest ancestor's sibling.
                if let child = n.pointee.children, n.pointee.type == XML_ELEMENT_NODE {
                    next_ = child
                } else {
                    var cur: xmlNodePtr? = n
                    next_ = nil
                    while let c = cur, c != stop {
                        if let s = c.pointee.next { next_ = s; break }
                        cur = c.pointee.parent
                    }
                }
                if n.pointee.type == XML_ELEMENT_NODE { return Node(n, in: document) }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(root: root) }
}
