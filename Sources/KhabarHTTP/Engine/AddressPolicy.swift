import Glibc

/// An IPv4 or IPv6 address as bytes, and whether an untrusted host may connect to it.
///
/// The check runs on the address libcurl is about to connect to (and again on the address of a
/// reused connection), never on a name: a DNS name that resolves to 169.254.169.254 is refused the
/// same as the literal.
struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    /// 4 or 16 bytes.
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// From a textual address (`10.0.0.1`, `::1`, `[::1]`, `fe80::1%eth0`).
    init?(_ text: String) {
        var t = text
        if t.hasPrefix("["), t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        if let zone = t.firstIndex(of: "%") { t = String(t[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, t, &v4) == 1 {
            let raw = UInt32(bigEndian: v4.s_addr)
            self.bytes = [UInt8(raw >> 24), UInt8((raw >> 16) & 0xFF), UInt8((raw >> 8) & 0xFF), UInt8(raw & 0xFF)]
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, t, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// From a `sockaddr` as libcurl hands it to the open-socket callback.
    init?(sockaddr pointer: UnsafeRawPointer, length: Int) {
        let family = pointer.load(as: sockaddr.self).sa_family
        if family == sa_family_t(AF_INET), length >= MemoryLayout<sockaddr_in>.size {
            var a = pointer.load(as: sockaddr_in.self).sin_addr
            self.bytes = withUnsafeBytes(of: &a) { Array($0) }
        } else if family == sa_family_t(AF_INET6), length >= MemoryLayout<sockaddr_in6>.size {
            var a = pointer.load(as: sockaddr_in6.self).sin6_addr
            self.bytes = withUnsafeBytes(of: &a) { Array($0) }
        } else {
            return nil
        }
    }

    var isV4: Bool { bytes.count == 4 }

    var description: String {
        if isV4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var a = in6_addr()
        withUnsafeMutableBytes(of: &a) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &a, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Why an untrusted host may not connect here (`loopback`, `private`, `link-local`, …), or nil
    /// for an ordinary public address.
    var nonPublicClass: String? {
        if isV4 { return Self.v4Class(bytes[0], bytes[1], bytes[2], bytes[3]) }
        let b = bytes
        let firstTen = b[0..<10].allSatisfy { $0 == 0 }
        if firstTen && b[10] == 0xFF && b[11] == 0xFF {
            // ::ffff:a.b.c.d — IPv4-mapped: the IPv4 rules apply.
            return Self.v4Class(b[12], b[13], b[14], b[15]).map { "IPv4-mapped \($0)" }
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) {
            if b[12..<15].allSatisfy({ $0 == 0 }) {
                if b[15] == 0 { return "unspecified" }
                if b[15] == 1 { return "loopback" }
            }
            // ::a.b.c.d — deprecated IPv4-compatible form.
            return Self.v4Class(b[12], b[13], b[14], b[15]).map { "IPv4-compatible \($0)" } ?? "reserved"
        }
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B, b[4..<12].allSatisfy({ $0 == 0 }) {
            // 64:ff9b::/96 — NAT64: the embedded IPv4 address is what is reached.
            return Self.v4Class(b[12], b[13], b[14], b[15]).map { "NAT64 \($0)" }
        }
        if b[0] == 0x20, b[1] == 0x02 {
            // 2002::/16 — 6to4: bytes 2…5 are an IPv4 address.
            return Self.v4Class(b[2], b[3], b[4], b[5]).map { "6to4 \($0)" }
        }
        if b[0] & 0xFE == 0xFC { return "unique local" }              // fc00::/7
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return "link-local" } // fe80::/10
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return "site-local" } // fec0::/10
        if b[0] == 0xFF { return "multicast" }                         // ff00::/8
        if b[0] == 0x01, b[1] == 0x00, b[2..<8].allSatisfy({ $0 == 0 }) { return "discard" } // 100::/64
        return nil
    }

    private static func v4Class(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> String? {
        switch a {
        case 0: return "unspecified"                                   // 0.0.0.0/8
        case 10: return "private"                                      // 10/8
        case 127: return "loopback"                                    // 127/8
        case 100 where b & 0xC0 == 64: return "shared (CGNAT)"         // 100.64/10
        case 169 where b == 254: return "link-local"                   // 169.254/16
        case 172 where b & 0xF0 == 16: return "private"                // 172.16/12
        case 192 where b == 168: return "private"                      // 192.168/16
        case 192 where b == 0 && c == 0: return "reserved"             // 192.0.0/24
        case 198 where b & 0xFE == 18: return "reserved"               // 198.18/15 (benchmarking)
        case 224...239: return "multicast"                             // 224/4
        case 240...255: return "reserved"                              // 240/4 and broadcast
        default: return nil
        }
    }
}
