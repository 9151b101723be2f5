import KhabarHTML

/// Small helpers shared by the tests.
enum HTMLParserShim {
    static func parse(_ html: String, url: String? = nil) throws -> Document {
        try HTMLParser.parse(Array(html.utf8), contentType: "text/html; charset=utf-8", url: url)
    }

    static func parseBytes(_ bytes: [UInt8]) throws -> Document {
        try HTMLParser.parse(bytes)
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
