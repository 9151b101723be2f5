import Foundation
import KhabarHTML

/// The one canonical form of an article link, and the rule that joins the variants of one
/// article (tracking links, AMP pages, feed-proxy links) under one identity.
///
/// `HTTPURL` already normalises spelling (case, ports, dot-segments, percent-encoding,
/// fragments); this adds what changes a URL's *text* but not the resource: tracking and session
/// parameters are removed. The remaining parameters keep their order, because a site may depend
/// on it and Khabar fetches the canonical form.
public enum URLCanonicalizer {
    /// Query parameters that only say where a click came from (compared lower-cased, after
    /// percent-decoding). Session identifiers are included: they name a visit, not a page.
    public static let trackingParameters: Set<String> = [
        // Google, Microsoft, Yandex, Facebook, Instagram, Twitter/X, TikTok, LinkedIn ad clicks
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "fbclid",
        "igshid", "igsh", "twclid", "ttclid", "li_fat_id", "_ga", "_gl",
        "fb_action_ids", "fb_action_types", "fb_ref", "fb_source",
        "action_object_map", "action_type_map", "action_ref_map",
        // Mailchimp, HubSpot, Marketo, Omeda, Vero, Adobe, Rakuten, others
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "s_cid", "rb_clickid",
        "wickedid", "spm", "sr_share", "__twitter_impression", "ocid", "cmpid",
        // Twitter's referrer tags; AT Internet (BBC, France 24, Euronews); comScore (BBC)
        "ref_src", "ref_url", "xtor", "at_medium", "at_campaign", "at_link", "at_link_id",
        "at_link_type", "at_link_origin", "at_format", "at_ptr_name", "at_bbc_team", "at_creation",
        "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
        // Session identifiers
        "jsessionid", "phpsessid", "aspsessionid", "cfid", "cftoken",
    ]

    /// Parameter name prefixes that are tracking whatever follows (`utm_source`, `utm_medium`,
    /// `utm_campaign`, `utm_term`, `utm_content`, `utm_id` …; AT Internet's `at_custom1…4`).
    public static let trackingParameterPrefixes: [String] = ["utm_", "at_custom"]

    /// True when a query parameter named `name` (as written, possibly percent-encoded) is tracking.
    /// A name spelled `amp;utm_source` — an `&amp;` escaped twice in a feed — counts too.
    public static func isTrackingParameter(_ name: some StringProtocol) -> Bool {
        var n = PercentEncoding.decodeLeniently(Substring(name)).lowercased()
        while n.hasPrefix("amp;") { n.removeFirst(4) }
        if trackingParameters.contains(n) { return true }
        return trackingParameterPrefixes.contains { n.hasPrefix($0) }
    }

    /// `url` without tracking and session parameters (and `;jsessionid=…` path parameters).
    public static func canonical(_ url: HTTPURL) -> HTTPURL {
        var path = url.path
        if path.utf8.contains(UInt8(ascii: ";")) { path = withoutSessionParameters(path) }
        var query = url.query
        if let q = query {
            let kept = q.split(separator: "&").filter { piece in
                let name = piece.firstIndex(of: "=").map { piece[..<$0] } ?? piece
                return !isTrackingParameter(name)
            }
            query = kept.isEmpty ? nil : kept.joined(separator: "&")
        }
        if path == url.path && query == url.query { return url }
        return url.with(path: path, query: .some(query))
    }

    /// `path` without any `;jsessionid=…` parameter (each reaches to the end of its segment). Every
    /// one goes, not only the first, and the rest is normalised again: `/a/.;jsessionid=1` leaves a
    /// dot-segment behind. Otherwise canonicalising twice would differ from canonicalising once.
    static func withoutSessionParameters(_ path: String) -> String {
        var changed = false
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> Substring in
            guard let semi = segment.range(of: ";jsessionid=", options: .caseInsensitive) else { return segment }
            changed = true
            return segment[..<semi.lowerBound]
        }
        guard changed else { return path }
        return URLParser.normalizePath(Array(segments.joined(separator: "/").utf8)[...])
    }

    /// Parses `text` (resolved against `base` when relative) and canonicalises it; nil when it is
    /// not an http(s) URL.
    public static func canonical(_ text: some StringProtocol, base: HTTPURL? = nil) -> HTTPURL? {
        HTTPURL(text, relativeTo: base).map(canonical)
    }

    /// The base URL links in `document` resolve against: the first `<base href>`, itself resolved
    /// against the URL the document was fetched from, else that URL (HTML §4.2.3).
    public static func baseURL(of document: Document, documentURL: HTTPURL) -> HTTPURL {
        guard let root = document.root else { return documentURL }
        for element in root.descendantElements where element.isElement(named: "base") {
            if let href = element.attribute("href") {
                return documentURL.resolve(href) ?? documentURL
            }
        }
        return documentURL
    }

    /// What a revision is a revision of (docs/DESIGN.md, "Change log entry"): the page's canonical
    /// URL (`rel=canonical`, else `og:url`) when it lies on the source's own site, else the URL
    /// fetched — both canonicalised. So an AMP page, a tracking link and the plain page, which all
    /// name one canonical URL, are one article.
    ///
    /// A canonical URL that is the site's front page while the fetched page is not is ignored:
    /// templates that stamp the homepage into every page's `rel=canonical` would otherwise make
    /// every article a revision of the first.
    public static func articleIdentity(fetchedURL: HTTPURL, canonicalURL: HTTPURL?, policy: SitePolicy) -> HTTPURL {
        let fetched = canonical(fetchedURL)
        guard let named = canonicalURL.map(canonical), policy.allows(named) else { return fetched }
        if named.isRoot && !fetched.isRoot { return fetched }
        return named
    }
}
