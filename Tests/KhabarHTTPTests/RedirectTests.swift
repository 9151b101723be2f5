import Foundation
import Testing
@testable import KhabarHTTP
import KhabarTestSupport

@Suite("redirects, each hop checked")
struct RedirectTests {
    @Test("a chain of five redirects is followed (absolute and relative Locations, every 3xx kind)")
    func chainOfFive() async throws {
        let server = try startedServer { s in
            s.route("/r0", .redirect(to: s.url("/r1"), status: 301))
            s.route("/r1", .redirect(to: "/r2", status: 302))
            s.route("/r2", .redirect(to: "r3?x=1", status: 303))
            s.route("/r3", .redirect(to: "//127.0.0.1:\(s.port)/r4", status: 307))
            s.route("/r4", .redirect(to: "/final", status: 308))
            s.route("/final", .html("<p>end</p>"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let r = try await response(client, trusted(server.url("/r0")))
        #expect(r.body == Array("<p>end</p>".utf8))
        #expect(r.requestedURL == server.url("/r0"))
        #expect(r.finalURL == server.url("/final"))
        #expect(r.redirectChain == ["/r0", "/r1", "/r2", "/r3?x=1", "/r4", "/final"].map(server.url))
        #expect(r.attempts == 6)
    }

    @Test("a sixth redirect is one too many")
    func tooMany() async throws {
        let server = try startedServer { s in
            for i in 0..<6 { s.route("/r\(i)", .redirect(to: "/r\(i + 1)")) }
            s.route("/r6", .html("never"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/r0")))
        #expect(e.reason == .tooManyRedirects(limit: 5))
        #expect(e.url == server.url("/r5"))
        #expect(server.requests(to: "/r6").isEmpty)
    }

    @Test("a redirect loop ends in too many redirects")
    func loop() async throws {
        let server = try startedServer { s in
            s.route("/a", .redirect(to: "/b"))
            s.route("/b", .redirect(to: "/a"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/a")))
        #expect(e.code == "too_many_redirects")
        #expect(server.requests.count == 6)
    }

    @Test("a redirect to a non-web scheme is refused", arguments: ["ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1:70/"])
    func nonWebScheme(target: String) async throws {
        let server = try startedServer { $0.route("/a", .redirect(to: target)) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/a")))
        #expect(e.code == "redirect_refused" || e.code == "invalid_url")
    }

    @Test("the link policy decides where redirects may go; trusted hosts always may")
    func linkPolicy() async throws {
        let other = try startedServer(host: "127.0.0.2") { $0.route("/x", .html("other")) }
        let server = try startedServer { $0.route("/a", .redirect(to: other.url("/x"))) }
        defer { server.stop(); other.stop() }
        var settings = testSettings()
        settings.allowPrivateAddresses = true
        let client = HTTPClient(settings: settings)
        defer { Task { await client.shutdown() } }
        let onlyFirst: @Sendable (String) -> Bool = { $0.hasPrefix("http://127.0.0.1:") }
        let refused = try await failure(client, HTTPRequest(url: server.url("/a"), trustedHosts: ["127.0.0.1"], linkPolicy: onlyFirst))
        #expect(refused.code == "redirect_refused")
        #expect(other.requests.isEmpty)
        let allowed = try await response(client, HTTPRequest(url: server.url("/a"), trustedHosts: ["127.0.0.1", "127.0.0.2"],
                                                              linkPolicy: onlyFirst))
        #expect(allowed.body == Array("other".utf8))
    }

    @Test("a redirect to 169.254.169.254 is refused before any connection")
    func metadataLiteral() async throws {
        let server = try startedServer { $0.route("/a", .redirect(to: "http://169.254.169.254/latest/meta-data/")) }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/a")))
        #expect(e.reason == .blockedAddress("169.254.169.254 (link-local)"))
        #expect(e.url == "http://169.254.169.254/latest/meta-data/")
    }

    @Test("an untrusted name that resolves to loopback is refused at connect time")
    func loopbackByName() async throws {
        let target = try startedServer { $0.route("/secret", .html("secret")) }
        let server = try startedServer(host: "127.0.0.2") { $0.route("/a", .redirect(to: "http://localhost:\(target.port)/secret")) }
        defer { server.stop(); target.stop() }
        let client = HTTPClient(settings: testSettings())
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, HTTPRequest(url: server.url("/a"), trustedHosts: ["127.0.0.2"]))
        #expect(e.code == "blocked_address")
        #expect(e.description.contains("loopback"))
        #expect(target.requests.isEmpty, "nothing reached the private address")
        // Untrusted and not redirected: the same check.
        let direct = try await failure(client, HTTPRequest(url: "http://localhost:\(target.port)/secret"))
        #expect(direct.code == "blocked_address")
        #expect(target.requests.isEmpty)
    }

    @Test("each hop asks robots.txt of its own: a redirect into a disallowed path stops there")
    func robotsPerHop() async throws {
        let server = try startedServer { s in
            s.route("/robots.txt", .text("User-agent: *\nDisallow: /private/\n"))
            s.route("/open", .redirect(to: "/private/page"))
            s.route("/private/page", .html("secret"))
        }
        defer { server.stop() }
        let client = HTTPClient(settings: testSettings(obeyRobots: true))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(server.url("/open")))
        #expect(e.reason == .robotsDenied(.rule("Disallow: /private/")))
        #expect(e.url == server.url("/private/page"))
        #expect(server.requests(to: "/private/page").isEmpty)
    }
}
