// khabar-http-probe: runs KhabarHTTP scenarios in a process of their own.
//
//   khabar-http-probe bomb --coding gzip|zstd --expanded BYTES --limit BYTES
//       serves a compression bomb on loopback, fetches it, prints `code=… bytes=… vmhwm_kb=…`
//       (the test and the bench read the peak RSS of this process).
//   khabar-http-probe namespace
//       inside `unshare --net --mount` with 169.254.169.254, 10.1.2.3 and fd00::1 on lo and host names
//       for them: prints one `scenario code` line per address-policy scenario.
//   khabar-http-probe fetch-list FILE --concurrency N
//       fetches every URL of FILE with politeness off; prints pages/s and CPU time per page.
//   khabar-http-probe get URL [--ca FILE] [--robots]
//       one fetch with the URL's host trusted; prints code, status, HTTP version, bytes, final URL.
//   khabar-http-probe encode gzip|deflate|br|zstd SIZE OUT
//       writes SIZE bytes of sample text in that coding (to check the encoders with real decoders).
import Foundation
import KhabarHTTP
import KhabarTestSupport

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("khabar-http-probe: \(message)\n".utf8))
    exit(2)
}

func option(_ name: String, in args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

/// VmHWM of this process in kB (the peak resident set).
func peakRSSKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    return -1
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func sampleText(_ size: Int) -> [UInt8] {
    let line = Array("<p>خبر و گزارش — news line 0123456789</p>\n".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(size)
    while out.count < size { out += line }
    return Array(out.prefix(size))
}

func bomb(_ args: [String]) async {
    let coding = option("--coding", in: args) ?? "gzip"
    let expanded = Int64(option("--expanded", in: args) ?? "") ?? 1 << 30
    let limit = Int64(option("--limit", in: args) ?? "") ?? 5_000_000
    let server = TestServer()
    switch coding {
    case "gzip": server.route("/bomb", Handlers.gzipBomb(expandedSize: expanded))
    case "zstd": server.route("/bomb", Handlers.zstdBomb(expandedSize: expanded))
    default: fail("unknown coding \(coding)")
    }
    do { try server.start() } catch { fail("server: \(error)") }
    var settings = HTTPClientSettings(timeout: .seconds(60), maxAttempts: 1, allowPrivateAddresses: true,
                                      maxPageBytes: limit)
    settings.obeyRobots = false
    let client = HTTPClient(settings: settings)
    let started = ContinuousClock.now
    let line: String
    do {
        let result = try await client.fetch(HTTPRequest(url: server.url("/bomb")))
        line = "code=\(result.code) bytes=\(result.response?.byteCount ?? 0)"
    } catch {
        line = "code=\(error.code) description=\"\(error.reason.description)\""
    }
    let elapsed = ContinuousClock.now - started
    await client.shutdown()
    server.stop()
    print("\(line) elapsed_ms=\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) vmhwm_kb=\(peakRSSKilobytes())")
}

/// The address-policy scenarios, run where 169.254.169.254, 10.1.2.3 and fd00::1 are local.
func namespaceScenarios() async {
    let servers = ["127.0.0.1", "169.254.169.254", "10.1.2.3", "::1", "fd00::1"].map { TestServer(host: $0) }
    for s in servers {
        s.route("/", .html("<p>reached \(s.host)</p>"))
        s.route("/robots.txt", .text("User-agent: *\nAllow: /\n"))
        do { try s.start() } catch { fail("server on \(s.host): \(error)") }
    }
    let entry = servers[0], metadata = servers[1], intranet = servers[2], fd00 = servers[4]
    // The trusted entry server redirects wherever the scenario asks.
    entry.route("/to-metadata-ip", .redirect(to: "http://169.254.169.254:\(metadata.port)/"))
    entry.route("/to-metadata-name", .redirect(to: "http://metadata.test:\(metadata.port)/"))
    entry.route("/to-intranet-name", .redirect(to: "http://intranet.test:\(intranet.port)/"))
    entry.route("/to-mapped", .redirect(to: "http://[::ffff:169.254.169.254]:\(metadata.port)/"))
    entry.route("/to-ula", .redirect(to: "http://[fd00::1]:\(fd00.port)/"))

    var settings = HTTPClientSettings(timeout: .seconds(10), maxAttempts: 1)
    settings.perHostDelay = .zero
    let strict = HTTPClient(settings: settings)
    var permissive = settings
    permissive.allowPrivateAddresses = true
    let lenient = HTTPClient(settings: permissive)

    func run(_ name: String, _ client: HTTPClient, _ request: HTTPRequest) async {
        let line: String
        do {
            let result = try await client.fetch(request)
            line = "\(name) \(result.code) \(String(decoding: result.response?.body ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))"
        } catch {
            line = "\(name) \(error.code) \(error.reason.description)"
        }
        print(line)
    }
    let trustEntry: Set<String> = ["127.0.0.1"]
    await run("redirect-to-metadata-ip", strict, HTTPRequest(url: entry.url("/to-metadata-ip"), trustedHosts: trustEntry))
    await run("redirect-to-metadata-name", strict, HTTPRequest(url: entry.url("/to-metadata-name"), trustedHosts: trustEntry))
    await run("redirect-to-intranet-name", strict, HTTPRequest(url: entry.url("/to-intranet-name"), trustedHosts: trustEntry))
    await run("redirect-to-mapped", strict, HTTPRequest(url: entry.url("/to-mapped"), trustedHosts: trustEntry))
    await run("redirect-to-ula", strict, HTTPRequest(url: entry.url("/to-ula"), trustedHosts: trustEntry))
    await run("direct-metadata-name", strict, HTTPRequest(url: "http://metadata.test:\(metadata.port)/"))
    await run("direct-loopback-name", strict, HTTPRequest(url: "http://localhost:\(entry.port)/"))
    await run("direct-ipv6-loopback", strict, HTTPRequest(url: "http://[::1]:\(servers[3].port)/"))
    await run("trusted-intranet-name", strict, HTTPRequest(url: "http://intranet.test:\(intranet.port)/",
                                                           trustedHosts: ["intranet.test"]))
    await run("allowed-metadata-name", lenient, HTTPRequest(url: "http://metadata.test:\(metadata.port)/"))
    await run("allowed-redirect-to-metadata-ip", lenient, HTTPRequest(url: entry.url("/to-metadata-ip")))
    // A connection opened for a trusted request must not carry an untrusted one to the same address.
    await run("reuse-trusted-first", strict, HTTPRequest(url: "http://intranet.test:\(intranet.port)/",
                                                         trustedHosts: ["intranet.test"]))
    await run("reuse-untrusted-second", strict, HTTPRequest(url: "http://intranet.test:\(intranet.port)/"))

    // No DNS server is reachable in the namespace and the hosts file does not know the name.
    await run("dns-unknown-name", strict, HTTPRequest(url: "http://nothing.test/", trustedHosts: ["nothing.test"]))

    await strict.shutdown()
    await lenient.shutdown()
    for s in servers { s.stop() }
}

func fetchList(_ args: [String]) async {
    guard args.count >= 2 else { fail("fetch-list FILE [--concurrency N]") }
    guard let text = try? String(contentsOfFile: args[1], encoding: .utf8) else { fail("cannot read \(args[1])") }
    let urls = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    let concurrency = Int(option("--concurrency", in: args) ?? "") ?? 16
    let client = HTTPClient(settings: .benchmark(concurrency: concurrency))
    let cpuBefore = cpuSeconds()
    let started = ContinuousClock.now
    let (ok, failed, bytes) = await withTaskGroup(of: (Bool, Int).self) { group -> (Int, Int, Int) in
        var ok = 0, failed = 0, bytes = 0
        var next = 0
        func add() {
            guard next < urls.count else { return }
            let url = urls[next]
            next += 1
            group.addTask {
                do {
                    let result = try await client.fetch(HTTPRequest(url: url))
                    return (true, result.response?.byteCount ?? 0)
                } catch {
                    FileHandle.standardError.write(Data("\(url): \(error)\n".utf8))
                    return (false, 0)
                }
            }
        }
        // Exactly `concurrency` fetches in flight, as `curl --parallel-max` keeps.
        for _ in 0..<concurrency { add() }
        for await (success, n) in group {
            if success { ok += 1 } else { failed += 1 }
            bytes += n
            add()
        }
        return (ok, failed, bytes)
    }
    let elapsed = ContinuousClock.now - started
    let cpu = cpuSeconds() - cpuBefore
    await client.shutdown()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "pages=%d failed=%d bytes=%d seconds=%.3f pages_per_s=%.1f cpu_s=%.3f cpu_ms_per_page=%.3f",
                 ok, failed, bytes, seconds, Double(ok) / seconds, cpu, cpu * 1000 / Double(max(1, ok))))
}

func get(_ args: [String]) async {
    guard args.count >= 2 else { fail("get URL [--ca FILE] [--robots]") }
    var settings = HTTPClientSettings(maxAttempts: 1)
    settings.caBundlePath = option("--ca", in: args)
    settings.obeyRobots = args.contains("--robots")
    let client = HTTPClient(settings: settings)
    do {
        let result = try await client.fetch(.trusting(args[1]))
        if let r = result.response {
            print("code=ok status=\(r.status) http=\(r.httpVersion) bytes=\(r.byteCount) wire=\(r.wireBytes) "
                + "encoding=\(r.headers["Content-Encoding"] ?? "identity") final=\(r.finalURL)")
        } else {
            print("code=\(result.code) final=\(result.finalURL)")
        }
    } catch {
        print("code=\(error.code) description=\"\(error)\"")
    }
    await client.shutdown()
}

func encode(_ args: [String]) {
    guard args.count == 4, let coding = ContentCoding(rawValue: args[1]), let size = Int(args[2]) else {
        fail("encode gzip|deflate|br|zstd SIZE OUT")
    }
    let bytes = coding.encode(sampleText(size))
    guard FileManager.default.createFile(atPath: args[3], contents: Data(bytes)) else { fail("cannot write \(args[3])") }
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "bomb": await bomb(args)
case "namespace": await namespaceScenarios()
case "fetch-list": await fetchList(args)
case "get": await get(args)
case "encode": encode(args)
default: fail("usage: khabar-http-probe bomb|namespace|fetch-list|get|encode …")
}
