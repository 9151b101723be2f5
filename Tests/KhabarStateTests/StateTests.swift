import Foundation
import GRDB
import Testing
@testable import KhabarState

/// A state file in a fresh temporary folder.
struct TempState {
    let folder: String
    let path: String
    let store: StateStore
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-state-\(UUID().uuidString)").path
        path = folder + "/sub/khabar.sqlite"
        store = try StateStore(path: path)
    }
    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}

func entry(_ number: Int, hash: String? = nil, fingerprint: UInt64? = nil, identity: String? = nil, url: String? = nil) -> IndexEntry {
    IndexEntry(name: String(format: "%03d_%016x.txt", number, number), number: number, hash: hash ?? String(format: "%016x", number),
               foldHash: "f\(number)", fingerprint: fingerprint, chars: 100 + number, size: 200 + number, action: "added",
               time: Date(timeIntervalSince1970: 1_700_000_000), url: url, identity: identity, source: "s", title: "t\(number)")
}

@Suite struct StateStoreTests {
    @Test func opensInWALWithTheSchemaAndReopens() throws {
        let t = try TempState()
        defer { t.remove() }
        #expect(try t.store.journalMode() == "wal")
        #expect(try t.store.appliedMigrations() == ["v1: sources, channels, frontier, corpus index, events, daemon",
                                                    "v2: the adaptive poll interval of each source"])
        let again = try StateStore(path: t.path)
        #expect(try again.appliedMigrations().count == 2)
        #expect(KhabarState.sqliteVersion.hasPrefix("3."))
    }

    @Test func refusesAStateFromANewerKhabar() throws {
        let t = try TempState()
        defer { t.remove() }
        let queue = try DatabaseQueue(path: t.path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        try queue.close()
        #expect {
            _ = try StateStore(path: t.path)
        } throws: { error in
            (error as? StateError)?.message.contains("newer Khabar") == true
        }
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-state-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: folder + "/bad.sqlite"))
        #expect {
            _ = try StateStore(path: folder + "/bad.sqlite")
        } throws: { error in
            guard let e = error as? StateError else { return false }
            return e.path == folder + "/bad.sqlite" && e.description.hasPrefix("state \(folder)/bad.sqlite: cannot ")
        }
    }

    @Test func twoConnectionsWriteAtOnceWithoutBusyErrors() async throws {
        let t = try TempState()
        defer { t.remove() }
        let other = try StateStore(path: t.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, store) in [t.store, other].enumerated() {
                group.addTask {
                    for i in 0..<200 {
                        try store.record(IngestEvent(source: "s\(n)", url: "https://x/\(i)", outcome: .added))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try t.store.events(matching: EventQuery()).count == 400)
    }
}

@Suite struct IndexTests {
    @Test func looksUpByHashIdentityAndName() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.upsertIndex([entry(1, hash: "aaaaaaaaaaaaaaaa", identity: "https://a/1", url: "https://a/1?x"),
                                 entry(2, hash: "aaaaaaaaaaaaaaaa"),
                                 entry(3, identity: "https://a/1", url: "https://a/1")])
        #expect(try t.store.indexEntry(hash: "aaaaaaaaaaaaaaaa")?.number == 1)
        #expect(try t.store.indexEntry(hash: "bbbbbbbbbbbbbbbb") == nil)
        #expect(try t.store.latestVersion(identity: "https://a/1")?.number == 3)
        #expect(try t.store.indexEntry(named: entry(2).name) == entry(2, hash: "aaaaaaaaaaaaaaaa"))
        #expect(try t.store.versions(ofURL: "https://a/1?x").map(\.number) == [1, 3])
        #expect(try t.store.indexCount() == 3)
        try t.store.removeIndex(names: [entry(2).name])
        #expect(try t.store.indexedFiles() == [entry(1).name: 201, entry(3).name: 203])
        try t.store.replaceIndex([entry(7)])
        #expect(try t.store.indexedFiles() == [entry(7).name: 207])
    }

    @Test func fingerprintsKeepAllSixtyFourBits() throws {
        let t = try TempState()
        defer { t.remove() }
        try t.store.upsertIndex([entry(1, fingerprint: .max), entry(2, fingerprint: 1 << 63)])
        #expect(try t.store.indexEntry(named: entry(1).name)?.fingerprint == .max)
        #expect(try t.store.nearest(to: .max, within: 3) == NearMatch(name: entry(1).name, number: 1, distance: 0))
        #expect(try t.store.nearest(to: 1 << 63 | 1, within: 3) == NearMatch(name: entry(2).name, number: 2, distance: 1))
    }

    /// The band lookup finds exactly what a scan of every fingerprint finds, for every distance.
    @Test(arguments: [1, 3, 4, 7, 8, 12, 40])
    func nearestAgreesWithAScan(distance: Int) throws {
        let t = try TempState()
        defer { t.remove() }
        var generator = SystemRandomNumberGenerator()
        let base = (0..<50).map { _ in UInt64.random(in: .min ... .max, using: &generator) }
        var prints: [UInt64] = []
        for b in base {
            prints.append(b)
            // Neighbours at 1…14 bits.
            for bits in [1, 2, 3, 4, 5, 7, 9, 14] {
                var v = b
                var flipped = Set<Int>()
                while flipped.count < bits { flipped.insert(Int.random(in: 0..<64, using: &generator)) }
                for f in flipped { v ^= 1 << UInt64(f) }
                prints.append(v)
            }
        }
        try t.store.upsertIndex(prints.enumerated().map { entry($0.offset, fingerprint: $0.element) })
        for _ in 0..<60 {
            var query = prints.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...6, using: &generator) { query ^= 1 << UInt64(Int.random(in: 0..<64, using: &generator)) }
            var best: NearMatch?
            for (n, p) in prints.enumerated() {
                let d = (p ^ query).nonzeroBitCount
                if d <= distance, best.map({ d < $0.distance || (d == $0.distance && n < $0.number) }) ?? true {
                    best = NearMatch(name: entry(n).name, number: n, distance: d)
                }
            }
            #expect(try t.store.nearest(to: query, within: distance) == best)
        }
        #expect(try t.store.nearest(to: 0, within: 0) == nil)
    }

    @Test func neighboursEnumerateTheHammingBall() {
        #expect(StateStore.neighbours(0, radius: 0) == [0])
        #expect(Set(StateStore.neighbours(0, radius: 1)).count == 17)
        #expect(Set(StateStore.neighbours(0xFFFF, radius: 2)).count == 137)
        #expect(StateStore.neighbours(5, radius: 2).allSatisfy { ($0 ^ 5).nonzeroBitCount <= 2 && $0 <= 0xFFFF })
    }

    @Test(arguments: [3, 7])
    func theLookupSearchesEachBandIndex(distance: Int) throws {
        let t = try TempState()
        defer { t.remove() }
        let probes = (0..<4).map { StateStore.neighbours(1000 * $0, radius: distance / 4) }
        let (sql, arguments) = StateStore.nearSQL(probes: probes)
        let plan = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }.joined(separator: " | ")
        for band in 0..<4 { #expect(plan.contains("INDEX corpus_file_band\(band)"), "\(plan)") }
        #expect(!plan.contains("SCAN corpus_file"), "\(plan)")
    }
}
