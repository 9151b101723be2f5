import Foundation
import Testing
@testable import KhabarService

@Suite struct GzipTests {
    /// gzip output of `printf 'hello, خبر\n' | gzip -n`.
    static func gzip(_ data: [UInt8]) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x")
        try Data(data).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-n", file.path]
        try p.run()
        p.waitUntilExit()
        return Array(try Data(contentsOf: dir.appendingPathComponent("x.gz")))
    }

    @Test func roundTripsRealGzipOutput() throws {
        let text = Array("hello, خبر\n".utf8)
        let gz = try Self.gzip(text)
        #expect(Gzip.isGzip(gz))
        #expect(try Gzip.decompress(gz, limit: 1000) == text)
    }

    @Test func readsConcatenatedMembers() throws {
        let a = try Self.gzip(Array("one ".utf8)), b = try Self.gzip(Array("two".utf8))
        #expect(try Gzip.decompress(a + b, limit: 1000) == Array("one two".utf8))
    }

    @Test func stopsAtTheLimit() throws {
        let bomb = try Self.gzip([UInt8](repeating: 0, count: 10_000_000))
        #expect(bomb.count < 20_000)
        #expect(throws: Gzip.Failure.tooLarge(limit: 1_000_000)) { try Gzip.decompress(bomb, limit: 1_000_000) }
    }

    @Test func corruptAndTruncatedInputAreTypedErrors() throws {
        #expect(!Gzip.isGzip([0x3C, 0x68]))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array("not gzip".utf8), limit: 100) }
        let gz = try Self.gzip(Array(String(repeating: "abc", count: 1000).utf8))
        #expect(throws: Gzip.Failure.corrupt("unexpected end of data")) { try Gzip.decompress(Array(gz.prefix(gz.count / 2)), limit: 10_000) }
    }
}
