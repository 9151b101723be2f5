import Foundation
import Testing
import KhabarText
@testable import KhabarService

/// Duplicate, revision, not-a-revision, near-duplicate and new texts through the real ingestor,
/// on a real corpus folder and a real SQLite file.
@Suite struct IngestDecisionTests {
    let article = ingestSyntheticText(1)

    @Test func anExactDuplicateAddsNoFileAndNoLineButAnEvent() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        let first = try ingestor.ingest(CorpusArticle(text: article, url: "https://a.example/1", source: "a", title: "خبر رقم 1"),
                                        facts: FetchFacts(httpStatus: 200, bytes: 5120, milliseconds: 87))
        guard case .added(let record) = first else { Issue.record("expected added, got \(first)"); return }
        #expect(first.summary == "added \(record.file.name) \"خبر رقم 1\" (\(IngestOutcome.grouped(article.unicodeScalars.count)) chars)")
        let second = try ingestor.ingest(CorpusArticle(text: article, url: "https://b.example/copy", source: "b"))
        #expect(second == .duplicate(of: record.file.name, sameSpelling: true))
        #expect(second.summary == "duplicate of \(record.file.name)")
        #expect(f.corpusEntries() == [".lock", record.file.name, "changes.jsonl"])
        #expect(f.changeLogLines().count == 1)
        let events = try ingestor.state.events(matching: EventQuery())
        #expect(events.map(\.outcome) == [.added, .duplicate])
        #expect(events[0].file == record.file.name && events[0].httpStatus == 200 && events[0].bytes == 5120 && events[0].milliseconds == 87)
        #expect(events[1].relatedFile == record.file.name && events[1].file == nil && events[1].url == "https://b.example/copy")
    }

    @Test func aChangedTextAtAKnownURLIsARevision() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        guard case .added(let v1) = try ingestor.ingest(CorpusArticle(text: article, url: "https://a.example/1")) else {
            Issue.record("expected added"); return
        }
        // One word changed: a near-duplicate by fingerprint, but a revision first.
        let edited = article.replacingOccurrences(of: ".\n", with: " تصحيح.\n")
        let outcome = try ingestor.ingest(CorpusArticle(text: edited, url: "https://a.example/1", title: "v2"))
        guard case .revised(let v2) = outcome else { Issue.record("expected revised, got \(outcome)"); return }
        #expect(outcome.summary == "revised \(v2.file.name) supersedes \(v1.file.name)")
        #expect(v2.supersedes == v1.file.name && v2.action == .revised && v2.nearDuplicateOf == nil && v2.file.number == 1)
        #expect(try ChangeRecord(parsing: f.changeLogLines()[1]) == v2)
        // A third version supersedes the second.
        let v3 = try ingestor.ingest(CorpusArticle(text: edited.replacingOccurrences(of: "تصحيح", with: "تعديل"), url: "https://a.example/1"))
        #expect(v3.record?.supersedes == v2.file.name)
        #expect(try ingestor.state.versions(ofURL: "https://a.example/1").map(\.name) == [v1.file.name, v2.file.name, v3.record!.file.name])
    }

    @Test func spellingOnlyChangesAreNotRevisions() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        let original = "تیتر خبر\nمی‌گویم که این کتاب ۱۲ صفحه دارد و يک نسخه از آن در كتابخانه است.\nپاراگراف دوم خبر.\n"
        guard case .added(let v1) = try ingestor.ingest(CorpusArticle(text: original, url: "https://fa.example/n/1")) else {
            Issue.record("expected added"); return
        }
        let variants = [
            "تیتر خبر\nمی‌گویم که این کتاب ۱۲ صفحه دارد و يک نسخه از آن در كتابخانه است. پاراگراف دوم خبر.\n",  // paragraphs rejoined
            "تیتر خبر\nمیگویم که این کتاب ۱۲ صفحه دارد و يک نسخه از آن در كتابخانه است.\nپاراگراف دوم خبر.\n",  // ZWNJ lost
            "تیتر خبر\nمی‌گویم که این کتـــاب ۱۲ صفحه دارد و يک نسخه از آن در كتابخانه است.\nپاراگراف دوم خبر.\n",  // tatweel
            "تیتر خبر\nمی‌گویم که این کتاب 12 صفحه دارد و يک نسخه از آن در كتابخانه است.\nپاراگراف دوم خبر.\n",  // ASCII digits
            "تیتر خبر\nمی‌گویم که این کتاب ١٢ صفحه دارد و يک نسخه از آن در كتابخانه است.\nپاراگراف دوم خبر.\n",  // Arabic-Indic digits
            "تیتر خبر\nمی‌گویم که این کتاب ۱۲ صفحه دارد و یک نسخه از آن در کتابخانه است.\nپاراگراف دوم خبر.\n",  // ی and ک
        ]
        for (i, variant) in variants.enumerated() {
            let outcome = try ingestor.ingest(CorpusArticle(text: variant, url: "https://fa.example/n/1"))
            let expected: IngestOutcome = i == 0 ? .duplicate(of: v1.file.name, sameSpelling: true) : .duplicate(of: v1.file.name, sameSpelling: false)
            #expect(outcome == expected, "variant \(i)")
        }
        #expect(f.changeLogLines().count == 1)
        #expect(try ingestor.state.events(matching: EventQuery(outcomes: [.duplicate])).last?.detail ==
                "same text as \(v1.file.name) up to spacing, ZWNJ, tatweel, digit forms or letter variants")
        // A real change at that URL is a revision.
        let real = try ingestor.ingest(CorpusArticle(text: original.replacingOccurrences(of: "۱۲", with: "۱۳"), url: "https://fa.example/n/1"))
        #expect(real.record?.supersedes == v1.file.name)
    }

    @Test func theCanonicalURLOnTheSourceSiteIsTheIdentity() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        let v1 = try #require(try ingestor.ingest(CorpusArticle(text: article, url: "https://www.a.example/n/1?utm=x",
                                                                 canonicalURL: "https://a.example/n/1")).record)
        // Fetched under another URL of the same site, same canonical: a revision.
        let v2 = try ingestor.ingest(CorpusArticle(text: ingestSyntheticText(2), url: "https://m.a.example/n/1", canonicalURL: "https://a.example/n/1"))
        #expect(v2.record?.supersedes == v1.file.name)
        // A canonical on another site is not trusted: identity is the URL, so a new text.
        let other = try ingestor.ingest(CorpusArticle(text: ingestSyntheticText(3), url: "https://b.example/x", canonicalURL: "https://a.example/n/1"))
        #expect(other.record?.action == .added)
        #expect(ArticleIdentity.sameSite("https://www.a.example/n/1", "https://a.example/z") == "https://a.example/z")
        #expect(ArticleIdentity.sameSite("https://a.example/n/1", "https://evil.example/z") == "https://a.example/n/1")
        #expect(ArticleIdentity.sameSite("https://a.example/n/1", nil) == "https://a.example/n/1")
        #expect(ArticleIdentity.sameSite(nil, nil) == nil)
    }

    @Test func aRepublishedSeedWithANewHeadlineAndAnEditedSentenceIsANearDuplicate() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        try f.adoptSeeds()
        let ingestor = try f.open()
        for (name, text) in ingestSeeds {
            var lines = ParagraphDiff.paragraphs(text)
            lines[0] = "عنوان جديد لخبر منشور من جديد"
            let longest = (1..<lines.count).max { lines[$0].count < lines[$1].count }!
            var words = lines[longest].split(separator: " ").map(String.init)
            words[words.count / 2] = "وأكدت"
            words[words.count / 2 + 1] = "المصادر"
            lines[longest] = words.joined(separator: " ")
            let republished = lines.joined(separator: "\n") + "\n"
            let outcome = try ingestor.ingest(CorpusArticle(text: republished, url: "https://elsewhere.example/\(name)"))
            guard case .nearDuplicate(let of, let distance) = outcome else {
                Issue.record("\(name): expected a near-duplicate, got \(outcome.summary)")
                continue
            }
            #expect(of == name && distance <= 3)
        }
        #expect(f.changeLogLines().isEmpty)
        #expect(try ingestor.state.events(matching: EventQuery(outcomes: [.nearDuplicate])).count == ingestSeeds.count)
    }

    @Test func unrelatedArticlesOnTheSameTopicAreAdded() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        // The five seeds are five different articles about Iran and Russia.
        for (i, seed) in ingestSeeds.enumerated() {
            let outcome = try ingestor.ingest(CorpusArticle(text: seed.text, url: "https://x.example/\(i)"))
            #expect(outcome.record?.action == .added, "seed \(i): \(outcome.summary)")
            #expect(outcome.record?.nearDuplicateOf == nil)
        }
        #expect(f.changeLogLines().count == 5)
    }

    @Test func keepPolicyAddsTheNearDuplicateAndNamesTheEarlierFile() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open(IngestPolicy(nearDuplicateDistance: 3, nearDuplicates: .keep))
        let first = try #require(try ingestor.ingest(CorpusArticle(text: ingestSeeds[3].text, url: "https://a.example/1")).record)
        let copy = ingestSeeds[3].text.replacingOccurrences(of: ParagraphDiff.paragraphs(ingestSeeds[3].text)[0], with: "عنوان آخر")
        let outcome = try ingestor.ingest(CorpusArticle(text: copy, url: "https://b.example/2", title: "عنوان آخر"))
        let kept = try #require(outcome.record)
        #expect(kept.action == .added && kept.nearDuplicateOf == first.file.name)
        #expect(outcome.summary.hasSuffix(", near-duplicate of \(first.file.name)"))
        #expect(f.changeLogLines()[1].hasSuffix("\"supersedes\":null,\"near_duplicate_of\":\"\(first.file.name)\"}"))
        // Distance 0 disables the check altogether.
        let off = try f.open(IngestPolicy(nearDuplicateDistance: 0))
        let third = try off.ingest(CorpusArticle(text: copy.replacingOccurrences(of: "عنوان آخر", with: "عنوان ثالث"), url: "https://c.example/3"))
        #expect(third.record?.nearDuplicateOf == nil && third.record?.action == .added)
    }

    @Test func seedsAreAdoptedAndNumberingContinues() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        try f.adoptSeeds()
        let opened = try Ingestor.open(corpusDirectory: f.corpus, stateDatabase: f.state)
        #expect(opened.corpus.adoptedFiles == ingestSeeds.map(\.name))
        #expect(opened.index.indexed == ingestSeeds.map(\.name))
        let seedEntry = try #require(try opened.ingestor.state.indexEntry(named: "002_746c2232f7cf15e1.txt"))
        #expect(seedEntry.adopted && seedEntry.hash == "d929cf97a0f6bd11" && seedEntry.action == nil)
        // The seed's exact bytes again: a duplicate, found by its computed hash.
        let raw = String(decoding: FileManager.default.contents(atPath: "\(ingestSeedsDirectory)/002_746c2232f7cf15e1.txt")!, as: UTF8.self)
        #expect(ContentHash.hash16(raw) == ContentHash.hash16(raw + "\n"))
        #expect(try opened.ingestor.ingest(CorpusArticle(text: raw + "\n", url: "https://x/2")) == .duplicate(of: "002_746c2232f7cf15e1.txt", sameSpelling: true))
        let added = try #require(try opened.ingestor.ingest(CorpusArticle(text: article, url: "https://x/new")).record)
        #expect(added.file.number == 5)
        let report = try CorpusVerifier.verify(opened.ingestor.corpus)
        #expect(report.isClean && report.legacyNames.count == 5)
    }

    @Test func theIndexIsRebuiltFromTheCorpusWhenTheStateIsLost() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        try f.adoptSeeds()
        var ingestor: Ingestor? = try f.open()
        let added = try #require(try ingestor!.ingest(CorpusArticle(text: article, url: "https://a.example/1", title: "T")).record)
        let revised = try #require(try ingestor!.ingest(CorpusArticle(text: ingestSyntheticText(9), url: "https://a.example/1")).record)
        ingestor = nil
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f.state + suffix) }
        let reopened = try Ingestor.open(corpusDirectory: f.corpus, stateDatabase: f.state)
        #expect(reopened.index.indexed.count == 7)
        let entry = try #require(try reopened.ingestor.state.indexEntry(named: added.file.name))
        #expect(entry.url == "https://a.example/1" && entry.title == "T" && entry.identity == "https://a.example/1" && !entry.adopted)
        // Revisions still chain after the loss.
        let v3 = try reopened.ingestor.ingest(CorpusArticle(text: ingestSyntheticText(10), url: "https://a.example/1"))
        #expect(v3.record?.supersedes == revised.file.name)
        // reindex rebuilds the same rows.
        let before = try reopened.ingestor.state.indexEntry(named: added.file.name)
        let report = try CorpusIndexer.reindex(corpus: reopened.ingestor.corpus, state: reopened.ingestor.state, identity: ArticleIdentity.sameSite)
        #expect(report == ReindexReport(files: 8, logged: 3, adopted: 5, legacyNames: 5, withoutFingerprint: 0))
        #expect(try reopened.ingestor.state.indexEntry(named: added.file.name) == before)
    }

    @Test func previewDecidesWithoutWriting() throws {
        let f = try IngestFolder()
        defer { f.remove() }
        let ingestor = try f.open()
        #expect(try ingestor.preview(CorpusArticle(text: article, url: "https://a/1")) == .add(nearDuplicateOf: nil, distance: nil))
        let v1 = try #require(try ingestor.ingest(CorpusArticle(text: article, url: "https://a/1")).record)
        #expect(try ingestor.preview(CorpusArticle(text: article, url: "https://b/1")) == .duplicate(of: v1.file.name))
        #expect(try ingestor.preview(CorpusArticle(text: ingestSyntheticText(5), url: "https://a/1")) == .revise(supersedes: v1.file.name))
        #expect(f.changeLogLines().count == 1)
        #expect(throws: IngestError.self) { try ingestor.preview(CorpusArticle(text: "no newline")) }
    }

    @Test func outcomesPrintTheirCLILines() {
        let name = CorpusFileName(number: 7, hash: "0123456789abcdef")!
        let record = ChangeRecord(ts: "2026-11-23T10:04:05Z", action: .revised, file: name, hash: name.hash, chars: 1, supersedes: "005_aaaaaaaaaaaaaaaa.txt")
        #expect(IngestOutcome.revised(record).summary == "revised 007_0123456789abcdef.txt supersedes 005_aaaaaaaaaaaaaaaa.txt")
        #expect(IngestOutcome.nearDuplicate(of: "003_x.txt", distance: 1).summary == "near-duplicate of 003_x.txt (1 bit apart)")
        #expect(IngestOutcome.grouped(3129) == "3,129" && IngestOutcome.grouped(999) == "999" && IngestOutcome.grouped(1_234_567) == "1,234,567")
    }
}
