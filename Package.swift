// swift-tools-version:6.0
// Khabar: a news-corpus ingestion daemon. The module map and its one-way arrows are
// described in docs/DESIGN.md ("Modules"); keep this file in step with it.
import PackageDescription

let package = Package(
    name: "Khabar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "khabar", targets: ["khabar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // System libraries. The headers hold typed wrappers for C variadics and the ICU fix.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The Public Suffix List (libpsl's built-in copy): registrable domains for URL policy.
        .systemLibrary(name: "CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),

        // Text rules shared by extraction and the corpus (DESIGN.md "Text file format").
        .target(name: "KhabarText"),

        // Bottom layer: libxml2 documents and charset detection.
        .target(name: "KhabarHTML", dependencies: ["CLibXML2"]),
        // Article extraction: HTML in, Article out. Knows nothing of the network.
        .target(name: "KhabarExtract", dependencies: ["KhabarHTML", "KhabarText", "CLibXML2"]),
        // Feeds, sitemaps, listing pages, URL canonicalisation.
        .target(name: "KhabarDiscover", dependencies: ["KhabarHTML", "KhabarText", "CLibXML2", "CPSL"]),
        // The corpus folder: names, hashes, SimHash, atomic append, change log, verify. Knows nothing of HTML.
        .target(name: "KhabarCorpus", dependencies: [
            "KhabarText",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // SQLite state: sources, frontier, validators, hash index, events.
        .target(name: "KhabarState", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // libcurl multi client, robots.txt, pacing, retries.
        .target(name: "KhabarHTTP", dependencies: [
            "CCurl",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Configuration, scheduler, pipeline, daemon.
        .target(name: "KhabarService", dependencies: [
            "KhabarDiscover", "KhabarExtract", "KhabarCorpus", "KhabarState", "KhabarHTTP", "KhabarText", "CZlib",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The command line.
        .executableTarget(name: "khabar", dependencies: [
            "KhabarService", "KhabarExtract",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The extraction benchmark's engine (bench/extract.sh): throughput and memory, not shipped.
        .executableTarget(name: "KhabarExtractBench", dependencies: ["KhabarExtract"]),
        // Test-only driver of the real ingestor, run as a child by the concurrency and crash tests.
        .executableTarget(name: "khabar-append-probe", dependencies: ["KhabarService"], path: "Sources/AppendProbe"),
        // Benchmark driver for bench/corpus.sh (appends per second, near-duplicate lookups, log queries).
        .executableTarget(name: "khabar-bench-corpus", dependencies: ["KhabarService"], path: "Sources/BenchCorpus"),

        .testTarget(name: "KhabarTextTests", dependencies: ["KhabarText"]),
        .testTarget(name: "KhabarHTMLTests", dependencies: ["KhabarHTML", "CLibXML2", "KhabarTestSupport"]),
        .testTarget(name: "KhabarDiscoverTests", dependencies: ["KhabarDiscover", "KhabarHTML", "KhabarTestSupport"]),
        .testTarget(name: "KhabarExtractTests", dependencies: ["KhabarExtract", "KhabarHTML", "KhabarText", "KhabarTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KhabarServiceTests", dependencies: ["KhabarService", "KhabarTestSupport"]),
        .testTarget(name: "KhabarCLITests", dependencies: ["khabar", "KhabarTestSupport"]),
        // A loopback HTTP/1.1 server for tests: raw control over bytes, timing, resets and encodings.
        .target(name: "KhabarTestSupport", dependencies: ["CZlib"], path: "Tests/Support"),
        // Runs HTTP scenarios as a child process: inside a network namespace, under an RSS watch, for the bench.
        .executableTarget(name: "khabar-http-probe", dependencies: ["KhabarHTTP", "KhabarTestSupport"], path: "Sources/KhabarHTTPProbe"),
        .testTarget(name: "KhabarHTTPTests", dependencies: ["KhabarHTTP", "KhabarTestSupport", "khabar-http-probe"]),
        .testTarget(name: "KhabarCorpusTests", dependencies: ["KhabarCorpus", "KhabarTestSupport"]),
        // Serves a loopback fixture news site from saved pages (bench/e2e.sh, trying the daemon by hand).
        .executableTarget(name: "khabar-fixture-site", dependencies: ["KhabarTestSupport"], path: "Sources/FixtureSite"),
        .testTarget(name: "KhabarStateTests", dependencies: ["KhabarState"]),
        // The daemon end to end: the real `khabar` binary against loopback fixture sites, plus the pipeline in process.
        // The workspace and waits both end-to-end suites drive the real `khabar` binary with.
        .target(name: "KhabarDaemonTestSupport", dependencies: ["KhabarService", "KhabarTestSupport"], path: "Tests/DaemonSupport"),
        .testTarget(name: "KhabarDaemonTests", dependencies: ["KhabarService", "KhabarTestSupport", "KhabarDaemonTestSupport", "khabar"]),
        // Chaos, disk faults, soak and security checks: the real binary against misbehaving sites (docs/reliability.md).
        .testTarget(name: "KhabarReliabilityTests", dependencies: ["KhabarService", "KhabarTestSupport", "KhabarDaemonTestSupport", "khabar",
                                                                   "khabar-reliability-site"]),
        // Serves a site linking to private/loopback/link-local addresses and runs `khabar poll` against it, inside a private network namespace (security tests).
        .executableTarget(name: "khabar-reliability-site", dependencies: ["KhabarTestSupport"], path: "Sources/ReliabilitySite"),
    ]
)

// Fuzz targets (libFuzzer), kept out of the normal build: `make fuzz` builds them with
// KHABAR_FUZZ=1 and `-sanitize=fuzzer,address`. One executable per fuzzer, sources in Fuzz/NAME.
if Context.environment["KHABAR_FUZZ"] == "1" {
    let fuzzers: [(String, [Target.Dependency])] = [
        ("FuzzConfig", ["KhabarService"]),
        ("FuzzExtract", ["KhabarExtract", "KhabarDiscover", "KhabarHTML", "KhabarText"]),
        ("FuzzFeed", ["KhabarDiscover", "KhabarHTML", "KhabarText", "CLibXML2"]),
        ("FuzzSitemap", ["KhabarDiscover", "KhabarService", "KhabarText"]),
        ("FuzzRobots", ["KhabarHTTP", "KhabarDiscover"]),
        ("FuzzURL", ["KhabarDiscover", "KhabarHTTP"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["KhabarDiscover", "KhabarText"], path: "Fuzz/FuzzSupport"))
    for (name, dependencies) in fuzzers {
        package.targets.append(.executableTarget(
            name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzz/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
