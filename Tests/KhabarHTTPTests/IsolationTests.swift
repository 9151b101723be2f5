import Foundation
import Testing
@testable import KhabarHTTP
import KhabarTestSupport

@Suite("in a process of its own")
struct IsolationTests {
    @Test("in a private network: names and redirects that reach private addresses are refused, trusted ones work")
    func addressPolicyInNamespace() async throws {
        let network = IsolatedNetwork(
            addresses: ["169.254.169.254", "10.1.2.3", "fd00::1"],
            hosts: [("metadata.test", "169.254.169.254"), ("intranet.test", "10.1.2.3")])
        let result = try await network.execute(probePath, ["namespace"], timeout: .seconds(120))
        #expect(result.status == 0, "probe failed: \(result.stderr)")
        var outcomes: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            if parts.count >= 2 { outcomes[parts[0]] = parts.dropFirst().joined(separator: " ") }
        }
        let blocked = ["redirect-to-metadata-ip", "redirect-to-metadata-name", "redirect-to-intranet-name",
                       "redirect-to-mapped", "redirect-to-ula", "direct-metadata-name", "direct-loopback-name",
                       "direct-ipv6-loopback", "reuse-untrusted-second"]
        for name in blocked {
            #expect(outcomes[name]?.hasPrefix("blocked_address") == true, "\(name): \(outcomes[name] ?? "missing")")
        }
        #expect(outcomes["redirect-to-metadata-name"]?.contains("169.254.169.254 (link-local)") == true)
        #expect(outcomes["redirect-to-intranet-name"]?.contains("10.1.2.3 (private)") == true)
        // The same addresses were really there: trusted or allowed, they answer.
        #expect(outcomes["trusted-intranet-name"] == "ok <p>reached 10.1.2.3</p>")
        #expect(outcomes["allowed-metadata-name"] == "ok <p>reached 169.254.169.254</p>")
        #expect(outcomes["allowed-redirect-to-metadata-ip"] == "ok <p>reached 169.254.169.254</p>")
        #expect(outcomes["reuse-trusted-first"] == "ok <p>reached 10.1.2.3</p>")
        #expect(outcomes["dns-unknown-name"]?.hasPrefix("dns ") == true, "\(outcomes["dns-unknown-name"] ?? "missing")")
    }

    @Test("a 1 GB compression bomb keeps the process under 300 MB", arguments: ["gzip", "zstd"])
    func bombMemory(coding: String) async throws {
        let result = try await ChildProcess.execute(probePath, ["bomb", "--coding", coding, "--expanded", "\(1 << 30)",
                                                      "--limit", "5000000"], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("code=too_large"), "\(result.stdout)")
        // The probe's own VmHWM: the child's rusage maxrss would also count the test process's
        // memory, which Linux carries into a spawned child's high-water mark at exec.
        let field = result.stdout.split(separator: " ").first { $0.hasPrefix("vmhwm_kb=") }
        let peakKB = try #require(field.flatMap { Int($0.dropFirst("vmhwm_kb=".count).trimmingCharacters(in: .whitespacesAndNewlines)) })
        #expect(peakKB > 0)
        #expect(peakKB < 300 << 10, "peak RSS \(peakKB >> 10) MB")
    }
}

@Suite("TLS against openssl s_server")
struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 and an `openssl s_server -WWW` serving a directory.
    final class TLSServer: Sendable {
        let port: UInt16
        let directory: URL
        let process: SpawnedProcess

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "<p>over TLS</p>".write(to: directory.appendingPathComponent("page.html"), atomically: true, encoding: .utf8)
            let made = try ChildProcess.run("openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", directory.appendingPathComponent("key.pem").path,
                "-out", directory.appendingPathComponent("cert.pem").path,
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ], timeout: .seconds(30))
            guard made.status == 0 else { throw TestServerError.socket("openssl req: \(made.stderr)") }
            // An ephemeral port that was free a moment ago.
            let probe = try TestServer().start()
            port = probe.port
            probe.stop()
            process = try ChildProcess.start("openssl", ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-WWW",
                                                          "-cert", "cert.pem", "-key", "key.pem"],
                                             directory: directory.path)
            // Wait until it listens.
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var a = sockaddr_in()
                a.sin_family = sa_family_t(AF_INET)
                a.sin_port = port.bigEndian
                a.sin_addr.s_addr = inet_addr("127.0.0.1")
                let ok = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 } }
                close(s)
                if ok { break }
                usleep(20_000)
            }
        }

        var certificate: String { directory.appendingPathComponent("cert.pem").path }

        func stop() {
            process.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("an unknown certificate authority is a TLS error; with its CA the page arrives")
    func verification() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/page.html"
        let client = HTTPClient(settings: testSettings(maxAttempts: 1))
        defer { Task { await client.shutdown() } }
        let e = try await failure(client, trusted(url))
        #expect(e.code == "tls")

        var settings = testSettings(maxAttempts: 1)
        settings.caBundlePath = server.certificate
        let verifying = HTTPClient(settings: settings)
        defer { Task { await verifying.shutdown() } }
        let r = try await response(verifying, trusted(url))
        #expect(r.body == Array("<p>over TLS</p>".utf8))
    }
}
