/// Prints a resolved configuration as TOML, defaults filled in, one block per source: what
/// `khabar check-config` shows, and itself a valid configuration file.
public enum ConfigPrinter {
    public static func render(_ config: Configuration) -> String {
        let d = config.daemon
        var out = "# \(config.path): valid, \(config.sources.count) source\(config.sources.count == 1 ? "" : "s")\n"
        out += "[daemon]\n"
        out += "corpus_dir = \(q(d.corpusDir))\n"
        out += "state_db = \(q(d.stateDB))\n"
        out += "user_agent = \(q(d.userAgent))\n"
        out += "max_concurrency = \(d.maxConcurrency)\n"
        out += "per_host_concurrency = \(d.perHostConcurrency)\n"
        out += "per_host_delay = \(q(Units.format(d.perHostDelay)))\n"
        out += "timeout = \(q(Units.format(d.timeout)))\n"
        out += "max_attempts = \(d.maxAttempts)\n"
        out += "allow_private_addresses = \(d.allowPrivateAddresses)\n"
        out += "max_page_bytes = \(d.maxPageBytes)\n"
        out += "min_chars = \(d.minChars)\n"
        out += "near_duplicate_distance = \(d.nearDuplicateDistance)\n"
        out += "near_duplicates = \(q(d.nearDuplicates.rawValue))\n"
        out += "revisit = \(list(d.revisit.map(Units.format)))\n"
        for s in config.sources {
            out += "\n[[source]]\n"
            out += "name = \(q(s.name))\n"
            out += "url = \(q(s.url))\n"
            out += "feeds = \(list(s.feeds))\n"
            out += "sitemaps = \(list(s.sitemaps))\n"
            out += "listing_pages = \(list(s.listingPages))\n"
            out += "allowed_hosts = \(list(s.allowedHosts))\n"
            out += "article_url_pattern = \(q(s.articleURLPattern ?? ""))\n"
            out += "interval = \(q(Units.format(s.interval)))\n"
            out += "languages = \(list(s.languages))\n"
            out += "include_any = \(list(s.includeAny))\n"
            out += "exclude_any = \(list(s.excludeAny))\n"
        }
        return out
    }

    private static func list(_ items: [String]) -> String {
        "[" + items.map(q).joined(separator: ", ") + "]"
    }

    /// A TOML basic string.
    static func q(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where c.value < 0x20 || c.value == 0x7F:
                let hex = String(c.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
