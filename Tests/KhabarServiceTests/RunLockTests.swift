import Foundation
import Testing
@testable import KhabarService

@Suite struct RunLockTests {
    @Test func oneHolderAtATimeAndStatusSeesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("runlock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = RunLock.path(forStateDB: dir.appendingPathComponent("khabar.sqlite").path)
        #expect(path == dir.appendingPathComponent("khabar.pid").path)
        #expect(RunLock.holder(path: path) == nil)
        var lock: RunLock? = try RunLock(path: path, now: Date(timeIntervalSince1970: 1_800_000_000))
        // flock locks belong to open file descriptions: a second open in this process conflicts too.
        #expect(throws: RunLock.Failure.held(path: path, by: getpid())) { try RunLock(path: path) }
        let holder = try #require(RunLock.holder(path: path))
        #expect(holder.pid == getpid())
        #expect(holder.since == "2027-01-15T08:00:00Z")
        _ = lock
        lock = nil
        #expect(RunLock.holder(path: path) == nil)
        _ = try RunLock(path: path)
    }
}
