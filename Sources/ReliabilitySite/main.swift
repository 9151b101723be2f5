// khabar-reliability-site: a news site whose channels and redirects point at private,
// loopback and link-local addresses, served *inside* a private network namespace together with
// the real `khabar` that polls it (the security tests of Tests/KhabarReliabilityTests).
//
//   khabar-reliability-site private-links --khabar PATH --workspace DIR
//
// Run under `IsolatedNetwork` with 169.254.169.254 and 10.1.2.3 on lo and the host names
// metadata.test → 169.254.169.254, intranet.test → 10.1.2.3, loopback6.test → ::1 and
// mapped.test → ::ffff:10.1.2.3. It starts
// - one listener ("trap") on each of 169.254.169.254, 10.1.2.3, 127.0.0.2 and ::1, each serving a
//   valid article for any path and counting every connection and request;
// - the source's own site on 127.0.0.1 (trusted, as configured): a homepage, an RSS feed, a
//   sitemap and a listing page that all link to the traps (by address, by a name that resolves
//   to one, and as IPv4-mapped IPv6), articles that redirect to the traps, and one ordinary
//   article;
// writes DIR/khabar.toml (corpus and state in DIR, every trap host in `allowed_hosts`, so the
// site policy admits the links and only the address check stands between them and the traps),
// runs `khabar poll` once, and prints:
//
//   khabar status=N
//   trap HOST connections=N requests=N
//   target NAME URL            (a link admitted by the site policy, for the test to match events)
//   literal NAME URL           (a link to an IPv6 literal, which the site policy refuses)
//   redirect NAME URL → TARGET
//   ok URL
//
// then khabar's stdout and stderr after a `--` line.
import Foundation
import KhabarTestSupport

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("khabar-reliability-site: \(message)\n".utf8))
    exit(2)
}

func option(_ name: String, in args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

/// A page the extractor takes for an article (well over `min_chars`), distinct per `label`.
func articlePage(_ label: String) -> String {
    let sentences = [
        "أعلنت وزارة الخارجية في بيان رسمي صدر صباح اليوم أن المحادثات الثنائية ستستأنف الأسبوع المقبل في العاصمة",
        "وقال المتحدث باسم الوزارة إن الجانبين اتفقا على تشكيل لجنة مشتركة لمتابعة تنفيذ الاتفاقات السابقة",
        "وأضاف أن الاجتماعات ستتناول ملفات الطاقة والتجارة والنقل إلى جانب القضايا الإقليمية ذات الاهتمام المشترك",
        "وأشار مراقبون إلى أن هذه الخطوة تأتي بعد أشهر من الجمود الذي شهدته العلاقات بين البلدين",
        "ومن المتوقع أن يصدر بيان ختامي في نهاية الجولة يحدد موعد الجولة التالية ومكان انعقادها",
    ]
    let paragraphs = (0..<6).map { i in "\(sentences[i % sentences.count]) (\(label) \(i))." }
    return FixtureSite.newsPage(headline: "خبر الاختبار \(label)", paragraphs: paragraphs)
}

func privateLinks(_ args: [String]) {
    guard let khabar = option("--khabar", in: args), let workspace = option("--workspace", in: args) else {
        fail("usage: private-links --khabar PATH --workspace DIR")
    }
    // The traps.
    let trapHosts = ["169.254.169.254", "10.1.2.3", "127.0.0.2", "::1"]
    let traps = trapHosts.map { TestServer(host: $0) }
    for (trap, host) in zip(traps, trapHosts) {
        trap.fallback { request, w in try w.send(.html(articlePage("reached \(host) \(request.path)"))) }
        do { try trap.start() } catch { fail("trap \(host): \(error)") }
    }
    let (meta, intranet, loop2, loop6) = (traps[0], traps[1], traps[2], traps[3])
    // Admitted by the site policy (`allowed_hosts`): only the address check stands between
    // them and the traps. Names resolve through the namespace's hosts file.
    let targets: [(name: String, url: String)] = [
        ("metadata-ip", "http://169.254.169.254:\(meta.port)/news/metadata-ip"),
        ("private-ip", "http://10.1.2.3:\(intranet.port)/news/private-ip"),
        ("loopback-ip", "http://127.0.0.2:\(loop2.port)/news/loopback-ip"),
        ("metadata-name", "http://metadata.test:\(meta.port)/news/metadata-name"),
        ("intranet-name", "http://intranet.test:\(intranet.port)/news/intranet-name"),
        ("loopback6-name", "http://loopback6.test:\(loop6.port)/news/loopback6-name"),
        ("mapped-name", "http://mapped.test:\(intranet.port)/news/mapped-name"),
    ]
    // IPv6 literals: `allowed_hosts` takes no IPv6 literal, so the site policy refuses these
    // before the address check would.
    let literals: [(name: String, url: String)] = [
        ("ipv6-loopback", "http://[::1]:\(loop6.port)/news/ipv6-loopback"),
        ("mapped", "http://[::ffff:10.1.2.3]:\(intranet.port)/news/mapped"),
    ]
    let redirectTargets: [(name: String, url: String)] = (targets + literals).map { t in
        ("redirect-\(t.name)", t.url.replacingOccurrences(of: "/news/\(t.name)", with: "/news/via-redirect-\(t.name)"))
    }

    // The source's own site.
    let site = TestServer(host: "127.0.0.1")
    do { try site.start() } catch { fail("site: \(error)") }
    let own = site.url("/news/ok-1")
    var links = (targets + literals).map(\.url)
    for r in redirectTargets {
        let path = "/news/\(r.name)"
        site.route(path, .redirect(to: r.url))
        links.append(site.url(path))
    }
    links.append(own)
    site.route("/news/ok-1", .html(articlePage("own site")))
    site.route("/robots.txt", .text("User-agent: *\nAllow: /\n"))
    let anchors = links.map { "<article><h2><a href=\"\(FixtureSite.escape($0))\">خبر</a></h2></article>" }.joined()
    site.route("/", .html("<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>site</title></head><body><main>\(anchors)</main></body></html>"))
    site.route("/section/news", .html("<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\"><title>news</title></head><body><main><ul>"
        + links.map { "<li><a href=\"\(FixtureSite.escape($0))\">خبر</a></li>" }.joined() + "</ul></main></body></html>"))
    var rss = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>site</title><link>\(site.url("/"))</link><description>d</description>"
    for l in links { rss += "<item><title>خبر</title><link>\(FixtureSite.escape(l))</link></item>" }
    site.route("/feed.xml", .xml(rss + "</channel></rss>\n", contentType: "application/rss+xml"))
    var sitemap = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
    for l in links { sitemap += "<url><loc>\(FixtureSite.escape(l))</loc></url>" }
    site.route("/sitemap.xml", .xml(sitemap + "</urlset>\n"))

    // The configuration: every trap host admitted by the site policy.
    let allowed = ["169.254.169.254", "10.1.2.3", "127.0.0.2", "metadata.test", "intranet.test", "loopback6.test", "mapped.test"]
    let config = """
        [daemon]
        corpus_dir = "\(workspace)/corpus"
        state_db = "\(workspace)/state/khabar.sqlite"
        per_host_delay = "0s"
        timeout = "10s"
        max_attempts = 1
        near_duplicate_distance = 0

        [[source]]
        name = "site"
        url = "\(site.url("/"))"
        feeds = ["\(site.url("/feed.xml"))"]
        sitemaps = ["\(site.url("/sitemap.xml"))"]
        listing_pages = ["\(site.url("/section/news"))"]
        allowed_hosts = [\(allowed.map { "\"\($0)\"" }.joined(separator: ", "))]
        article_url_pattern = "/news/"
        interval = "15m"
        """
    let configPath = workspace + "/khabar.toml"
    do { try config.write(toFile: configPath, atomically: true, encoding: .utf8) } catch { fail("config: \(error)") }

    let result: ChildResult
    do {
        result = try ChildProcess.run(khabar, ["poll", "--config", configPath, "--log-level", "debug"], timeout: .seconds(120))
    } catch { fail("khabar: \(error)") }
    print("khabar status=\(result.status)")
    for (trap, host) in zip(traps, trapHosts) {
        print("trap \(host) connections=\(trap.connections.total) requests=\(trap.requests.count)")
    }
    for t in targets { print("target \(t.name) \(t.url)") }
    for t in literals { print("literal \(t.name) \(t.url)") }
    for r in redirectTargets { print("redirect \(r.name) \(site.url("/news/\(r.name)")) \(r.url)") }
    print("ok \(own)")
    print("--")
    print(result.stdout)
    print(result.stderr)
    for t in traps { t.stop() }
    site.stop()
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "private-links": privateLinks(Array(args.dropFirst()))
default: fail("usage: khabar-reliability-site private-links --khabar PATH --workspace DIR")
}
