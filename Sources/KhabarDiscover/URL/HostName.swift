import Foundation

/// Host names in the one form Khabar compares and stores: ASCII, lower case, internationalised
/// labels in Punycode (`xn--…`), no trailing dot, IPv4 addresses as dotted decimal, IPv6
/// addresses compressed per RFC 5952 in brackets.
///
/// The rules follow the WHATWG URL standard's host parser where it matters for news links
/// (percent-decoding, full-width dots, numeric IPv4 forms such as `0x7f.1`) and refuse what no
/// site needs (empty labels, forbidden characters, labels longer than DNS allows).
enum HostName {
    /// The canonical form of `raw` (as it appears between `//` and the port), or nil when it is not
    /// a valid host.
    static func canonical(_ raw: ArraySlice<UInt8>) -> String? {
        guard !raw.isEmpty else { return nil }
        if raw.first == UInt8(ascii: "[") {
            guard raw.last == UInt8(ascii: "]"), raw.count > 2 else { return nil }
            guard let v6 = IPv6.parse(raw.dropFirst().dropLast()) else { return nil }
            return "[" + IPv6.format(v6) + "]"
        }
        if let simple = simpleASCII(raw) { return simple }
        guard let decoded = PercentEncoding.decode(raw) else { return nil }
        var host: String
        if decoded.allSatisfy({ $0 < 0x80 }) {
            host = String(decoding: decoded.map(asciiLower), as: UTF8.self)
        } else {
            guard let text = String(bytes: decoded, encoding: .utf8) else { return nil }
            host = idnaMap(text)
        }
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, host.utf8.count <= 1_000 else { return nil }
        for b in host.utf8 where b < 0x80 && isForbidden(b) { return nil }

        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty }) else { return nil }
        if let last = labels.last, looksNumeric(last) {
            guard let v4 = IPv4.parse(labels) else { return nil }
            return v4
        }
        var out: [String] = []
        out.reserveCapacity(labels.count)
        for label in labels {
            if label.utf8.allSatisfy({ $0 < 0x80 }) {
                guard label.utf8.allSatisfy(isLabelByte) else { return nil }
                out.append(String(label))
            } else {
                // The ASCII characters of an internationalised label pass into its Punycode form
                // as they are, so they obey the same rule as an ASCII label's (`موقع"=x` is no host).
                guard label.unicodeScalars.allSatisfy({ !$0.isASCII || isLabelByte(UInt8($0.value)) }),
                      let encoded = Punycode.encode(String(label)) else { return nil }
                out.append("xn--" + encoded)
            }
        }
        guard out.allSatisfy({ $0.utf8.count <= 63 }) else { return nil }
        let joined = out.joined(separator: ".")
        guard joined.utf8.count <= 253 else { return nil }
        return joined
    }

    /// The common case in one pass: letters, digits, `-`, `_` and single dots, a last label that
    /// is not a number, within DNS lengths. Returns the lower-cased host, or nil to take the
    /// general path (which also decides whether the host is invalid).
    private static func simpleASCII(_ raw: ArraySlice<UInt8>) -> String? {
        guard raw.count <= 253 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var labelLength = 0
        var labelAllDigits = true
        for b in raw {
            let c = asciiLower(b)
            if c == UInt8(ascii: ".") {
                guard labelLength > 0 else { return nil }
                labelLength = 0
                labelAllDigits = true
            } else if isLabelByte(c) {
                labelLength += 1
                guard labelLength <= 63 else { return nil }
                if !(c >= 0x30 && c <= 0x39) { labelAllDigits = false }
            } else {
                return nil
            }
            out.append(c)
        }
        // Empty, trailing dot, or a numeric last label (an IPv4 form): the general path.
        guard labelLength > 0, !labelAllDigits else { return nil }
        if let lastDot = out.lastIndex(of: UInt8(ascii: ".")), out.count - lastDot > 2,
           out[lastDot + 1] == UInt8(ascii: "0"), out[lastDot + 2] == UInt8(ascii: "x") { return nil }
        if out.count > 1, out[0] == UInt8(ascii: "0"), out[1] == UInt8(ascii: "x"), !out.contains(UInt8(ascii: ".")) { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for a canonical host that is an IP address literal.
    static func isIPAddress(_ host: String) -> Bool {
        if host.hasPrefix("[") { return true }
        guard let last = host.split(separator: ".").last else { return false }
        return last.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The mapping UTS #46 applies before Punycode, in the part that real links need: ideographic
    /// and full-width dots become `.`, case is folded, compatibility forms are composed (NFKC),
    /// and the soft hyphen disappears. ZWNJ and ZWJ are kept: Persian labels may contain them.
    static func idnaMap(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x3002, 0xFF0E, 0xFF61: scalars.append(".")
            case 0x00AD: continue
            default: scalars.append(u)
            }
        }
        return String(scalars).lowercased().precomposedStringWithCompatibilityMapping
    }

    @inline(__always)
    static func asciiLower(_ b: UInt8) -> UInt8 {
        b >= 0x41 && b <= 0x5A ? b + 0x20 : b
    }

    /// WHATWG's forbidden host code points, plus the controls and space.
    private static func isForbidden(_ b: UInt8) -> Bool {
        switch b {
        case 0x00...0x20, 0x7F: return true
        case UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"),
             UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "|"): return true
        default: return false
        }
    }

    /// Letters, digits, hyphen and underscore (seen in real sub-domains).
    private static func isLabelByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    /// The WHATWG "ends in a number" test: the last label is all digits or a `0x` hex number.
    private static func looksNumeric(_ label: Substring) -> Bool {
        let u = Array(label.utf8)
        if u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
        if u.count >= 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "X") {
            return u.dropFirst(2).allSatisfy { Hex.value($0) != nil }
        }
        return false
    }
}

/// IPv4 in the forms browsers accept (`127.0.0.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`).
enum IPv4 {
    static func parse(_ labels: [Substring]) -> String? {
        guard (1...4).contains(labels.count) else { return nil }
        var numbers: [UInt64] = []
        for label in labels {
            guard let n = number(label) else { return nil }
            numbers.append(n)
        }
        for n in numbers.dropLast() where n > 255 { return nil }
        guard let last = numbers.last else { return nil }
        let lastMax: UInt64 = 1 << (8 * UInt64(5 - numbers.count))
        guard last < lastMax else { return nil }
        var value = last
        for (i, n) in numbers.dropLast().enumerated() {
            value += n << (8 * UInt64(3 - i))
        }
        guard value <= 0xFFFF_FFFF else { return nil }
        return "\(value >> 24).\((value >> 16) & 255).\((value >> 8) & 255).\(value & 255)"
    }

    private static func number(_ label: Substring) -> UInt64? {
        var u = Array(label.utf8)
        var radix: UInt64 = 10
        if u.count >= 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "X") {
            u.removeFirst(2)
            radix = 16
            if u.isEmpty { return 0 }
        } else if u.count >= 2, u[0] == UInt8(ascii: "0") {
            u.removeFirst()
            radix = 8
        }
        guard !u.isEmpty, u.count <= 20 else { return nil }
        var value: UInt64 = 0
        for b in u {
            guard let d = Hex.value(b), UInt64(d) < radix else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            value = s
        }
        return value
    }
}

/// IPv6 literals (RFC 4291), printed in the RFC 5952 canonical text form.
enum IPv6 {
    static func parse(_ raw: ArraySlice<UInt8>) -> [UInt16]? {
        let text = String(decoding: raw, as: UTF8.self)
        guard raw.allSatisfy({ Hex.value($0) != nil || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String, allowIPv4: Bool) -> [UInt16]? {
            if s.isEmpty { return [] }
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            var out: [UInt16] = []
            for (i, p) in parts.enumerated() {
                if p.contains(".") {
                    guard allowIPv4, i == parts.count - 1 else { return nil }
                    let octets = p.split(separator: ".", omittingEmptySubsequences: false)
                    guard octets.count == 4 else { return nil }
                    var bytes: [UInt16] = []
                    for o in octets {
                        guard !o.isEmpty, o.count <= 3, o.allSatisfy(\.isASCII), let v = UInt16(o), v <= 255 else { return nil }
                        bytes.append(v)
                    }
                    out.append(bytes[0] << 8 | bytes[1])
                    out.append(bytes[2] << 8 | bytes[3])
                } else {
                    guard (1...4).contains(p.count), let v = UInt16(p, radix: 16) else { return nil }
                    out.append(v)
                }
            }
            return out
        }
        if halves.count == 1 {
            guard let g = groups(text, allowIPv4: true), g.count == 8 else { return nil }
            return g
        }
        guard let head = groups(halves[0], allowIPv4: false), let tail = groups(halves[1], allowIPv4: true),
              head.count + tail.count <= 7 else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    static func format(_ g: [UInt16]) -> String {
        // The longest run of two or more zero groups is written `::` (the first on a tie).
        var bestStart = -1, bestLength = 0, i = 0
        while i < g.count {
            if g[i] == 0 {
                var j = i
                while j < g.count && g[j] == 0 { j += 1 }
                if j - i > bestLength && j - i >= 2 { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        var out = ""
        i = 0
        while i < g.count {
            if i == bestStart {
                out += "::"
                i += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(g[i], radix: 16)
            i += 1
        }
        return out
    }
}

enum Hex {
    @inline(__always)
    static func value(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
