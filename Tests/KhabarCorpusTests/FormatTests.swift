import Testing
@testable import KhabarCorpus

@Suite struct FileNameTests {
    @Test func formatsWithAtLeastThreeDigitsAndKeepsGrowingPast999() throws {
        let hash = "0f3a5b7c9d1e2f40"
        #expect(try #require(CorpusFileName(number: 5, hash: hash)).name == "005_0f3a5b7c9d1e2f40.txt")
        #expect(try #require(CorpusFileName(number: 999, hash: hash)).name == "999_0f3a5b7c9d1e2f40.txt")
        #expect(try #require(CorpusFileName(number: 1000, hash: hash)).name == "1000_0f3a5b7c9d1e2f40.txt")
        #expect(try #require(CorpusFileName(number: 123_456, hash: hash)).name == "123456_0f3a5b7c9d1e2f40.txt")
    }

    @Test func parsesOnlyCanonicalNames() throws {
        let parsed = try #require(CorpusFileName(parsing: "1000_0f3a5b7c9d1e2f40.txt"))
        #expect(parsed.number == 1000 && parsed.hash == "0f3a5b7c9d1e2f40")
        #expect(try #require(CorpusFileName(parsing: "007_0f3a5b7c9d1e2f40.txt")).number == 7)
        for bad in ["07_0f3a5b7c9d1e2f40.txt", "0007_0f3a5b7c9d1e2f40.txt", "007_0F3A5B7C9D1E2F40.txt",
                    "007_0f3a5b7c9d1e2f4.txt", "007_0f3a5b7c9d1e2f400.txt", "007_0f3a5b7c9d1e2f40.TXT",
                    "007-0f3a5b7c9d1e2f40.txt", "x07_0f3a5b7c9d1e2f40.txt", "007_0f3a5b7c9d1e2g40.txt",
                    "changes.jsonl", ".tmp-007_0f3a5b7c9d1e2f40.txt", ""] {
            #expect(CorpusFileName(parsing: bad) == nil, "\(bad)")
        }
        #expect(CorpusFileName(number: -1, hash: "0f3a5b7c9d1e2f40") == nil)
        #expect(CorpusFileName(number: 1, hash: "xyz") == nil)
    }

    @Test func sortsByNumberNotByText() throws {
        let names = ["1000_0000000000000000.txt", "999_0000000000000000.txt", "010_0000000000000000.txt"]
        let sorted = names.compactMap { CorpusFileName(parsing: $0) }.sorted().map(\.number)
        #expect(sorted == [10, 999, 1000])
    }
}

@Suite struct ChangeRecordTests {
    static let file = CorpusFileName(number: 5, hash: "0f3a5b7c9d1e2f40")!

    @Test func writesKeysInDesignOrderWithNulls() {
        let record = ChangeRecord(ts: "2026-11-23T10:04:05Z", action: .added, file: Self.file, hash: "0f3a5b7c9d1e2f40",
                                  url: "https://roayahnews.com/a?x=1", canonicalURL: nil, source: "roayah",
                                  title: "تعاون \"أمني\"", published: "2022-07-19T11:30:00+04:30", lang: "ar", chars: 3129)
        #expect(record.jsonLine == """
            {"ts":"2026-11-23T10:04:05Z","action":"added","file":"005_0f3a5b7c9d1e2f40.txt","hash":"0f3a5b7c9d1e2f40","url":"https://roayahnews.com/a?x=1","canonical_url":null,"source":"roayah","title":"تعاون \\"أمني\\"","published":"2022-07-19T11:30:00+04:30","modified":null,"author":null,"lang":"ar","chars":3129,"supersedes":null,"near_duplicate_of":null}
            """)
    }

    @Test func roundTripsEveryField() throws {
        let record = ChangeRecord(ts: "2026-01-02T03:04:05Z", action: .revised, file: Self.file, hash: "0f3a5b7c9d1e2f40",
                                  url: "https://a/\u{2028}\\", canonicalURL: "https://a/c", source: "s", title: "t\u{1}\n",
                                  published: "2022-07-19", modified: "2022-07-20T00:00:00Z", author: "م‌ن", lang: "fa",
                                  chars: 1, supersedes: "004_0000000000000000.txt", nearDuplicateOf: "001_0000000000000000.txt")
        #expect(record.jsonLine.contains("\\u2028") && record.jsonLine.contains("\\u0001") && record.jsonLine.contains("\\n"))
        #expect(try ChangeRecord(parsing: record.jsonLine) == record)
    }

    @Test func refusesLinesThatBreakTheFormat() {
        let good = ChangeRecord(ts: "2026-11-23T10:04:05Z", action: .added, file: Self.file, hash: "0f3a5b7c9d1e2f40", chars: 3).jsonLine
        func reason(_ line: String) -> String? {
            do { _ = try ChangeRecord(parsing: line); return nil } catch { return error.message }
        }
        #expect(reason(good) == nil)
        #expect(reason(good.replacingOccurrences(of: "{\"ts\":\"2026-11-23T10:04:05Z\",\"action\":\"added\"", with: "{\"action\":\"added\",\"ts\":\"2026-11-23T10:04:05Z\"")) == "keys out of order: action,ts,file,hash,url,canonical_url,source,title,published,modified,author,lang,chars,supersedes,near_duplicate_of")
        #expect(reason(good.replacingOccurrences(of: ",\"lang\":null", with: "")) == "missing key \"lang\"")
        #expect(reason(good.replacingOccurrences(of: "}", with: ",\"extra\":1}")) == "unexpected key \"extra\"")
        #expect(reason(good.replacingOccurrences(of: "\"added\"", with: "\"deleted\"")) == "\"action\" must be \"added\" or \"revised\", got \"deleted\"")
        #expect(reason(good.replacingOccurrences(of: "2026-11-23T10:04:05Z", with: "2026-11-23T10:04:05+01:00")) != nil)
        #expect(reason(good.replacingOccurrences(of: "\"chars\":3", with: "\"chars\":\"3\"")) == "\"chars\" must be a non-negative integer")
        #expect(reason(good.replacingOccurrences(of: "\"url\":null", with: "\"url\":[1]")) != nil)
        #expect(reason(String(good.dropLast())) != nil)
        #expect(reason("") != nil)
    }

    @Test func findsTheFileQuickly() {
        let line = ChangeRecord(ts: "2026-11-23T10:04:05Z", action: .added, file: Self.file, hash: "0f3a5b7c9d1e2f40", chars: 3).jsonLine
        #expect(ChangeRecord.quickFile(Array(line.utf8)[...]) == Self.file)
        #expect(ChangeRecord.quickFile(Array("{\"ts\":1}".utf8)[...]) == nil)
    }
}

@Suite struct FlatJSONTests {
    @Test func parsesEscapesAndSurrogatePairs() throws {
        let pairs = try FlatJSON.parseObject(#"{"a":"\u0645\ud83d\udcf0\"\\\/\n","b":-12,"c":null,"d":true,"e":1.5}"#)
        #expect(pairs.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(pairs[0].value.string?.unicodeScalars.map(\.value) == [0x645, 0x1F4F0, 0x22, 0x5C, 0x2F, 0x0A])
        #expect(pairs[1].value == .integer(-12) && pairs[2].value == .null && pairs[3].value == .bool(true) && pairs[4].value == .number(1.5))
    }

    @Test func refusesHostileInput() {
        for bad in [#"{"a":"\ud83d"}"#, #"{"a":"\udcf0x"}"#, #"{"a":{"b":1}}"#, #"{"a":1,}"#, #"{"a" 1}"#, "{\"a\":\"\u{1}\"}",
                    #"{"a":1} x"#, #"["a"]"#, #"{"a":"\q"}"#, #"{"a":nul}"#, #"{"a":1e999}"#, String(repeating: "{", count: 10_000)] {
            #expect(throws: FlatJSON.ParseError.self) { try FlatJSON.parseObject(bad) }
        }
    }
}

@Suite struct UTCTimeTests {
    @Test func formatsAndParsesUTC() {
        #expect(UTCTime.format(0) == "1970-01-01T00:00:00Z")
        #expect(UTCTime.format(1_795_430_245) == "2026-11-23T10:37:25Z")
        #expect(UTCTime.parse("2026-11-23T10:37:25Z") == 1_795_430_245)
        #expect(UTCTime.parse("2026-02-30T00:00:00Z") == nil)
        #expect(UTCTime.parse("2026-11-23 10:37:25Z") == nil)
        #expect(UTCTime.parse("2026-11-23T10:37:25+00:00") == nil)
    }
}
