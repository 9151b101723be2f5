import CPSL

/// The registrable domain (eTLD+1) of a host: `news.bbc.co.uk` → `bbc.co.uk`,
/// `www.farsnews.ir` → `farsnews.ir`, `foo.github.io` → `foo.github.io`.
///
/// Backed by libpsl and the Public Suffix List compiled into it (`psl_builtin`). Why libpsl rather
/// than an embedded copy of the list: libcurl already links it (so it is on every machine Khabar
/// runs on), the distribution keeps its list current with security updates, and it implements the
/// list's wildcard and exception rules correctly; a copy pasted into Swift would silently age and
/// add ~200 KB of source. The built-in list means a lookup never reads a file.
public enum RegistrableDomain {
    /// The registrable domain of `host` (canonical form: lower case, Punycode). For an IP
    /// address, a single-label host (`localhost`) or a public suffix itself, the host is its own
    /// "domain": only that exact host matches it.
    public static func of(host: String) -> String {
        if host.isEmpty || HostName.isIPAddress(host) || !host.utf8.contains(UInt8(ascii: ".")) { return host }
        guard let ctx = psl_builtin() else { return host }
        let found: String? = host.withCString { cs in
            guard let r = psl_registrable_domain(ctx, cs) else { return nil }
            return String(cString: r)
        }
        return found ?? host
    }

    /// True when `host` is a public suffix (`com`, `co.uk`, `github.io`).
    public static func isPublicSuffix(_ host: String) -> Bool {
        guard let ctx = psl_builtin() else { return false }
        return host.withCString { psl_is_public_suffix2(ctx, $0, Int32(PSL_TYPE_ANY)) != 0 }
    }
}
