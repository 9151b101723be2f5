import Foundation
import Glibc
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

/// The hooks that make the daemon's rhythm fast enough for a test (docs/daemon.md, test-only).
func fastHooks(pollEvery: Double = 0.5, retryBase: Double = 1) -> [String: String] {
    ["KHABAR_TEST_HOOKS": "1", "KHABAR_TEST_POLL_EVERY": "\(pollEvery)", "KHABAR_TEST_RETRY_BASE": "\(retryBase)"]
}

/// A number from the environment (`CHAOS_SECONDS=600`), or `fallback`.
func environmentNumber(_ name: String, _ fallback: Double) -> Double {
    ProcessInfo.processInfo.environment[name].flatMap(Double.init) ?? fallback
}

// MARK: Randomness a failure can replay

/// The seed of a randomised test: `CHAOS_SEED` when set (to replay a failure), else a fresh one.
func testSeed() -> UInt64 {
    ProcessInfo.processInfo.environment["CHAOS_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(Int64.max))
}

// MARK: Articles

/// Distinct Arabic news articles made from the sentences of the seed corpus (`../shared/seeds`),
/// each a random draw of sentences under a headline of its own — distinct enough that the
/// near-duplicate check stays on — and every character encodable in windows-1256.
struct ArticleFactory {
    let sentences: [String]

    init() throws {
        let folder = sharedFolder.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        var pool: [String] = []
        for name in names where !name.hasPrefix("000") {   // 000 is Persian (ی has no windows-1256 byte)
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                for piece in line.replacingOccurrences(of: "\u{00A0}", with: " ").split(separator: ".") {
                    let sentence = piece.trimmingCharacters(in: .whitespaces)
                    guard sentence.unicodeScalars.count >= 40, Iconv.convert(sentence, to: "WINDOWS-1256") != nil else { continue }
                    if !pool.contains(sentence) { pool.append(sentence + ".") }
                }
            }
        }
        sentences = pool
    }

    /// Article `number`: a headline and 6–9 paragraphs of 2–3 sentences.
    func article(_ number: Int, using rng: inout SeededRandom) -> (headline: String, paragraphs: [String]) {
        let opening = sentences[Int.random(in: 0..<sentences.count, using: &rng)].split(separator: " ").prefix(6).joined(separator: " ")
        let headline = "الخبر \(number): \(opening)"
        var paragraphs = ["هذا هو الخبر رقم \(number) في سلسلة الاختبار، وقد كُتب للتجربة فقط ولا يمت إلى حدث حقيقي بصلة."]
        for _ in 0..<Int.random(in: 6...9, using: &rng) {
            let count = Int.random(in: 2...3, using: &rng)
            paragraphs.append((0..<count).map { _ in sentences[Int.random(in: 0..<sentences.count, using: &rng)] }.joined(separator: " "))
        }
        return (headline, paragraphs)
    }
}

// MARK: Watching a process

/// Resident memory and open descriptors of a running process, from `/proc`.
struct ProcessSample: Sendable {
    var rssKB: Int
    var fds: Int

    static func of(_ pid: pid_t) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }),
              let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        return ProcessSample(rssKB: kb, fds: fds.count)
    }
}
