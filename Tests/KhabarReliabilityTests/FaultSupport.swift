import Foundation
import Glibc
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

// Helpers of the disk-fault, soak and security tests (docs/reliability-faults.md).

/// A news page for article `number` of `factory`, `paragraphs` times as long as usual when asked
/// (each copy of the body is a fresh random draw, so the text stays an article, not a repeat).
func faultArticle(_ number: Int, factory: ArticleFactory, rng: inout SeededRandom, lengthFactor: Int = 1,
                  path: String? = nil, channels: Set<FixtureSite.Channel> = [.rss, .listing]) -> FixtureSite.Article {
    var (headline, paragraphs) = factory.article(number, using: &rng)
    for _ in 1..<max(1, lengthFactor) { paragraphs += factory.article(number, using: &rng).paragraphs.dropFirst() }
    let html = FixtureSite.newsPage(headline: headline, paragraphs: paragraphs)
    return FixtureSite.Article(path: path ?? "/news/\(number)", html: html, title: headline, channels: channels)
}

/// Runs a command to its end and returns its status and output (for `mount`, `nsenter`, `prlimit`).
@discardableResult
func tool(_ executable: String, _ arguments: [String]) async throws -> ChildResult {
    try await ChildProcess.execute(executable, arguments, timeout: .seconds(30))
}

/// Turns the corpus bind mount inside `pid`'s private mount namespace read-only or read-write.
/// A remount to read-only is refused with EBUSY while a file on it is open for writing (an append
/// in progress), so it is tried again for a while.
func remountCorpus(pid: pid_t, path: String, readOnly: Bool) async throws {
    let options = readOnly ? "remount,bind,ro" : "remount,bind,rw"
    var last: ChildResult?
    for _ in 0..<100 {
        let r = try await tool("/usr/bin/nsenter", ["--target", "\(pid)", "--mount", "mount", "-o", options, path])
        if r.status == 0 { return }
        last = r
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("cannot \(options) \(path) in the daemon's namespace: \(last?.stderr ?? "")")
    throw TestServerError.socket("remount failed")
}

/// Whether `path` is writable from inside `pid`'s mount namespace (an `O_CREAT` probe by `touch`).
func writableInside(pid: pid_t, path: String) async throws -> Bool {
    let probe = path + "/.probe-\(UUID().uuidString.prefix(8))"
    let r = try await tool("/usr/bin/nsenter", ["--target", "\(pid)", "--mount", "sh", "-c", "touch '\(probe)' && rm -f '\(probe)'"])
    return r.status == 0
}

/// Sets the running process's soft `RLIMIT_FSIZE`, or lifts it (`nil`). The hard limit stays
/// as it is (raising a hard limit needs CAP_SYS_RESOURCE, which a container's root may lack).
func setFileSizeLimit(pid: pid_t, bytes: Int?) async throws {
    let value = bytes.map(String.init) ?? "unlimited"
    let r = try await tool("/usr/bin/prlimit", ["--pid", "\(pid)", "--fsize=\(value):"])
    #expect(r.status == 0, "prlimit: \(r.stderr)")
}

/// The process's current `RLIMIT_FSIZE` soft limit, as `/proc/PID/limits` shows it.
func currentFileSizeLimit(pid: pid_t) -> String? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8) else { return nil }
    return text.split(separator: "\n").first { $0.hasPrefix("Max file size") }
        .map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first.map(String.init) ?? "" }
}

/// The pids of the process's children (every thread's), from `/proc/PID/task/*/children`.
func childPids(of pid: pid_t) -> [pid_t] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.flatMap { task -> [pid_t] in
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// Every path under `folder` (relative), for before/after snapshots.
func treeSnapshot(_ folder: String) -> Set<String> {
    Set((FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? [])
}

extension NotifySocket {
    /// Every datagram that arrives within `duration`, read on a thread of its own.
    func messages(during duration: Duration) async -> [String] {
        await offThePool {
            var out: [String] = []
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end {
                if let m = self.receive(timeout: min(end - ContinuousClock.now, .milliseconds(200))) { out.append(m) }
            }
            return out
        }
    }

    /// Throws away what is queued.
    func drain() {
        while receive(timeout: .milliseconds(1)) != nil {}
    }
}

/// `/^\d{3,}_[0-9a-f]{16}\.txt$/`: the only name a corpus text may have.
func isCorpusName(_ name: String) -> Bool {
    let parts = name.split(separator: "_", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count >= 3, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
          parts[1].hasSuffix(".txt") else { return false }
    let hex = parts[1].dropLast(4)
    return hex.count == 16 && hex.allSatisfy { "0123456789abcdef".contains($0) }
}

/// The number in a corpus file name.
func corpusNumber(_ name: String) -> Int? { name.split(separator: "_").first.flatMap { Int($0) } }
