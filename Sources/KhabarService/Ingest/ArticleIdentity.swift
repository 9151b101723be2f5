import Foundation

/// Decides an article's identity — what a revision is a revision of (DESIGN.md): its canonical
/// URL when that lies on the source's own site, else the URL fetched.
public typealias ArticleIdentityRule = @Sendable (_ url: String?, _ canonicalURL: String?) -> String?

public enum ArticleIdentity {
    /// The default rule: the canonical URL when its host is the fetched URL's host or a
    /// sibling under the same parent domain (`www.`/`m.`/`amp.` prefixes ignored; one host a
    /// subdomain of the other), else the fetched URL. The integrator may pass a rule that knows
    /// the source's registrable domain and `allowed_hosts`.
    public static let sameSite: ArticleIdentityRule = { url, canonical in
        guard let canonical, !canonical.isEmpty else { return url }
        guard let url else { return canonical }
        guard let a = host(of: url), let b = host(of: canonical) else { return url }
        return sameSiteHosts(a, b) ? canonical : url
    }

    /// The lower-cased host of an http(s) URL.
    public static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return nil }
        return host.lowercased()
    }

    static func sameSiteHosts(_ a: String, _ b: String) -> Bool {
        func trimmed(_ host: String) -> String {
            for prefix in ["www.", "m.", "amp.", "mobile."] where host.hasPrefix(prefix) && host.split(separator: ".").count > 2 {
                return String(host.dropFirst(prefix.count))
            }
            return host
        }
        let x = trimmed(a), y = trimmed(b)
        return x == y || x.hasSuffix("." + y) || y.hasSuffix("." + x)
    }
}
