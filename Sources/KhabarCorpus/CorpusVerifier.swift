import KhabarText

/// One thing wrong in a corpus, about one file or one change-log line.
public struct VerifyFinding: Sendable, Equatable, CustomStringConvertible {
    /// A file name, or `changes.jsonl:LINE`.
    public var subject: String
    public var message: String

    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}

/// A file adopted from before the change log (such as the seeds): it has no line, and its name
/// may carry a hash that cannot be reproduced. Listed apart, not as corruption.
public struct AdoptedFile: Sendable, Equatable {
    public var name: CorpusFileName
    /// `hash16` of its content, the hash it is indexed by.
    public var computedHash: String
    /// The rules of today's text format it breaks (older scrapers left empty lines, NBSPs…).
    public var violations: [CorpusText.Violation]

    /// True when the name's hash is not the content's: a *legacy name*.
    public var isLegacyName: Bool { computedHash != name.hash }
}

/// What `verify` found.
public struct VerifyReport: Sendable {
    public var directory: String
    public var fileCount = 0
    public var changeLogLines = 0
    /// Everything that makes the corpus fail verification.
    public var faults: [VerifyFinding] = []
    /// Files adopted from before the change log.
    public var adopted: [AdoptedFile] = []
    /// Numbers never used, as ranges (information only: a failed write consumes no number, but
    /// an operator may have removed files).
    public var gaps: [ClosedRange<Int>] = []
    /// Entries that are not part of the corpus format (information).
    public var unexpectedEntries: [String] = []

    public var isClean: Bool { faults.isEmpty }
    public var legacyNames: [AdoptedFile] { adopted.filter(\.isLegacyName) }
}

/// `khabar verify`: every file's name against its content hash, the change log against the
/// files, the text rules, the numbering, stray temporary files. Read-only; runs under the shared
/// lock so an append in progress is never mistaken for damage.
public enum CorpusVerifier {
    public static func verify(_ corpus: Corpus) throws(CorpusError) -> VerifyReport {
        try corpus.withSharedLock { () throws(CorpusError) in try verifyLocked(corpus) }
    }

    private static func verifyLocked(_ corpus: Corpus) throws(CorpusError) -> VerifyReport {
        var report = VerifyReport(directory: corpus.directory)
        var files: [CorpusFileName] = []
        for entry in try Posix.listDirectory(corpus.directory).sorted() {
            if let name = CorpusFileName(parsing: entry) {
                files.append(name)
            } else if entry.hasPrefix(Corpus.tempPrefix) {
                report.faults.append(VerifyFinding(entry, "stale temporary file (a process died mid-append; the next start of Khabar removes it)"))
            } else if entry == Corpus.changeLogName || entry == Corpus.lockName {
                continue
            } else if entry.hasSuffix(".txt") {
                report.faults.append(VerifyFinding(entry, "a .txt file whose name is not NNN_<16 lowercase hex>.txt"))
            } else {
                report.unexpectedEntries.append(entry)
            }
        }
        files.sort()
        report.fileCount = files.count

        // The change log.
        let (records, problems) = try corpus.changeLog()
        report.changeLogLines = records.count + problems.count
        for problem in problems {
            report.faults.append(VerifyFinding("\(Corpus.changeLogName):\(problem.line)", problem.reason))
        }
        let present = Set(files.map(\.name))
        var lineOf: [String: Int] = [:]
        var recordOf: [String: ChangeRecord] = [:]
        var lineNumber = 0
        var problemLines = Set(problems.map(\.line))
        for record in records {
            lineNumber += 1
            while problemLines.contains(lineNumber) {
                problemLines.remove(lineNumber)
                lineNumber += 1
            }
            let subject = "\(Corpus.changeLogName):\(lineNumber)"
            let name = record.file.name
            if let first = lineOf[name] {
                report.faults.append(VerifyFinding(subject, "\(name) already has a line (line \(first))"))
                continue
            }
            lineOf[name] = lineNumber
            recordOf[name] = record
            if !present.contains(name) {
                report.faults.append(VerifyFinding(subject, "names \(name), which is missing"))
            }
            if record.hash != record.file.hash {
                report.faults.append(VerifyFinding(subject, "hash \(record.hash) differs from the hash in \(name)"))
            }
            switch record.action {
            case .revised:
                if let previous = record.supersedes {
                    checkReference(previous, key: "supersedes", from: record, present: present, subject: subject, into: &report)
                } else {
                    report.faults.append(VerifyFinding(subject, "a revised line must name the file it supersedes"))
                }
            case .added:
                if record.supersedes != nil {
                    report.faults.append(VerifyFinding(subject, "an added line must have \"supersedes\": null"))
                }
            }
            if let near = record.nearDuplicateOf {
                checkReference(near, key: "near_duplicate_of", from: record, present: present, subject: subject, into: &report)
            }
        }
        let firstLogged = records.map(\.file.number).min()

        // The files.
        var byNumber: [Int: [String]] = [:]
        for file in files {
            byNumber[file.number, default: []].append(file.name)
            let bytes = try Posix.readFile(corpus.path(of: file.name))
            let validUTF8 = String(validating: bytes, as: UTF8.self) != nil
            let text = String(decoding: bytes, as: UTF8.self)
            let computed = ContentHash.hash16(text)
            var violations = CorpusText.violations(of: text)
            if let record = recordOf[file.name] {
                if !validUTF8 { report.faults.append(VerifyFinding(file.name, "not valid UTF-8")) }
                if computed != file.hash {
                    report.faults.append(VerifyFinding(file.name, "content hash \(computed) does not match the name"))
                }
                for violation in violations {
                    report.faults.append(VerifyFinding(file.name, violation.description))
                }
                let chars = text.unicodeScalars.count
                if record.chars != chars {
                    report.faults.append(VerifyFinding(file.name, "the change log says \(record.chars) characters, the file has \(chars)"))
                }
            } else if firstLogged.map({ file.number < $0 }) ?? true {
                if !validUTF8 { violations.insert(.forbiddenCharacter(line: 0, scalar: 0xFFFD), at: 0) }
                report.adopted.append(AdoptedFile(name: file, computedHash: computed, violations: violations))
            } else if computed == file.hash {
                report.faults.append(VerifyFinding(file.name, "no change-log line (the next start of Khabar writes it)"))
            } else {
                report.faults.append(VerifyFinding(file.name, "no change-log line, and content hash \(computed) does not match the name"))
            }
        }

        // Numbering: one file per number, never a number of the log reused by another name.
        for (number, names) in byNumber.sorted(by: { $0.key < $1.key }) where names.count > 1 {
            report.faults.append(VerifyFinding(CorpusFileName.paddedNumber(number), "number used by \(names.count) files: \(names.joined(separator: ", "))"))
        }
        var loggedNumbers: [Int: String] = [:]
        for record in records {
            if let other = loggedNumbers[record.file.number], other != record.file.name {
                report.faults.append(VerifyFinding(CorpusFileName.paddedNumber(record.file.number), "number used in the change log by \(other) and \(record.file.name)"))
            }
            loggedNumbers[record.file.number] = record.file.name
        }
        let used = Set(byNumber.keys).union(loggedNumbers.keys)
        if let highest = used.max() {
            var start: Int?
            for n in 0...highest {
                if !used.contains(n) {
                    if start == nil { start = n }
                } else if let s = start {
                    report.gaps.append(s...(n - 1))
                    start = nil
                }
            }
        }
        return report
    }

    private static func checkReference(_ target: String, key: String, from record: ChangeRecord, present: Set<String>,
                                       subject: String, into report: inout VerifyReport) {
        guard let name = CorpusFileName(parsing: target) else {
            report.faults.append(VerifyFinding(subject, "\"\(key)\" is not a corpus file name: \"\(target)\""))
            return
        }
        if name.number >= record.file.number {
            report.faults.append(VerifyFinding(subject, "\"\(key)\" names \(target), which is not older than \(record.file.name)"))
        } else if !present.contains(target) {
            report.faults.append(VerifyFinding(subject, "\"\(key)\" names \(target), which is missing"))
        }
    }
}
