// The extraction benchmark's engine (bench/extract.sh runs it): throughput in MB of HTML per CPU
// second on one thread, and the process's memory over many extractions of one page.
//
//   KhabarExtractBench speed DIR RUNS      pages (.html) of DIR, each extracted once per run
//   KhabarExtractBench memory FILE COUNT   one page extracted COUNT times; RSS before and after
//   KhabarExtractBench judge DIR 1         how many pages of DIR (.html or .html.gz) are judged not articles, and why
import Foundation
import KhabarExtract

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Resident set size in KiB, from /proc/self/statm.
func rssKiB() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return -1 }
    let fields = s.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return -1 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("KhabarExtractBench: \(message)\n".utf8))
    exit(2)
}

let args = CommandLine.arguments
guard args.count == 4, let count = Int(args[3]), count > 0 else {
    fail("usage: KhabarExtractBench speed DIR RUNS | memory FILE COUNT")
}
let extractor = Extractor()
switch args[1] {
case "speed":
    let dir = args[2]
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { fail("cannot read \(dir)") }
    let pages: [[UInt8]] = names.filter { $0.hasSuffix(".html") }.sorted().compactMap {
        FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent($0)).map { [UInt8]($0) }
    }
    let bytes = pages.reduce(0) { $0 + $1.count }
    var rates: [Double] = []
    var failures = 0
    for _ in 0..<count {
        let start = cpuSeconds()
        for page in pages {
            do { _ = try extractor.extract(html: page) } catch { failures += 1 }
        }
        rates.append(Double(bytes) / 1e6 / (cpuSeconds() - start))
    }
    rates.sort()
    let median = rates[rates.count / 2]
    print("pages=\(pages.count) bytes=\(bytes) runs=\(count) failures=\(failures / count)")
    print("runs MB/s: " + rates.map { String(format: "%.1f", $0) }.joined(separator: " "))
    print(String(format: "khabar extract throughput: %.1f MB of HTML per CPU second (median of %d runs, one thread)", median, count))
case "memory":
    guard let data = FileManager.default.contents(atPath: args[2]) else { fail("cannot read \(args[2])") }
    let page = [UInt8](data)
    // Warm up (first-use allocations, libxml2 initialisation), then measure.
    for _ in 0..<20 { _ = try? extractor.extract(html: page) }
    let before = rssKiB()
    var chars = 0
    for _ in 0..<count { chars &+= (try? extractor.extract(html: page))?.bodyCharacters ?? 0 }
    let after = rssKiB()
    print("extractions=\(count) page_bytes=\(page.count) rss_before_kib=\(before) rss_after_kib=\(after) growth_kib=\(after - before) (checksum \(chars))")
case "judge":
    let dir = args[2]
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { fail("cannot read \(dir)") }
    var reasons: [String: Int] = [:]
    var total = 0
    for name in names.sorted() where name.hasSuffix(".html") {
        guard let data = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent(name)) else { continue }
        total += 1
        guard let a = try? extractor.extract(html: [UInt8](data)) else { reasons["error", default: 0] += 1; continue }
        if let r = a.notArticleReason {
            let key = r.hasPrefix("too little") ? "too little article text" : r
            reasons[key, default: 0] += 1
            print("not an article: \(name): \(r)")
        }
    }
    print("pages=\(total) not_articles=\(reasons.values.reduce(0, +)) " + reasons.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
default:
    fail("unknown mode \(args[1])")
}
