import Dispatch
import Glibc
import KhabarText

/// What the start-up reconciliation found and did (DESIGN.md, "Crash safety").
public struct ReconcileReport: Sendable, Equatable {
    /// Stale `.tmp-*` files removed (left by a process that died mid-append).
    public var removedTempFiles: [String] = []
    /// Files that were renamed into place but had no change-log line, and now have one.
    public var recoveredLines: [String] = []
    /// Bytes of a torn last change-log line (a power cut mid-write) that were cut off; the line
    /// itself is written again from the append's intent.
    public var tornBytesRemoved = 0
    /// Change-log lines whose file is missing (reported, never "fixed").
    public var missingFiles: [String] = []
    /// Files older than the change log, adopted as they are (no line is invented for them).
    public var adoptedFiles: [String] = []
    /// Files without a line, newer than the log's first, whose content does not match their
    /// name: not Khabar's writing; `verify` reports them.
    public var foreignFiles: [String] = []
    /// 1-based numbers of change-log lines that cannot be read.
    public var unreadableLines: [Int] = []

    public init() {}

    /// True when reconciliation changed nothing on disk.
    public var changedNothing: Bool {
        removedTempFiles.isEmpty && recoveredLines.isEmpty && tornBytesRemoved == 0
    }
}

/// The corpus folder (DESIGN.md, "The corpus"): `NNN_<hash16>.txt` files, `changes.jsonl`,
/// the `.lock` and `.tmp-*` files.
///
/// Opening it for writing reconciles it (stale temporary files removed, a renamed file without
/// its change-log line given the line, a torn last line cut). Appends go through a
/// `CorpusAppendSession`, which holds the advisory lock (flock on `.lock`), so a daemon and a
/// manual `khabar fetch` append to one corpus at once without ever sharing a number.
///
/// **The append sequence.** Under the lock: pick the next number (one more than the highest
/// present in files or log; a number is consumed only by a file renamed into place); write the
/// intended change-log line to `.tmp-intent-N`; write the text to `.tmp-NNN_hash.txt`; fsync;
/// rename it into place (never replacing a file); fsync the directory; append the log line;
/// fsync; remove the intent. A process killed at any instant leaves either nothing (the next
/// holder of the lock removes the temporary files, the number stays free) or a file whose intent
/// gives it exactly the line it would have had.
public final class Corpus: @unchecked Sendable {
    public enum Mode: Sendable {
        /// Create the folder if needed, reconcile, allow appends.
        case readWrite
        /// Look only: no folder created, nothing repaired, no appends.
        case readOnly
    }

    public let directory: String
    public let mode: Mode
    /// What reconciliation did when the corpus was opened (empty for read-only).
    public private(set) var openingReport = ReconcileReport()

    public static let changeLogName = "changes.jsonl"
    public static let lockName = ".lock"
    static let tempPrefix = ".tmp-"
    static let intentPrefix = ".tmp-intent-"

    var logPath: String { Posix.join(directory, Corpus.changeLogName) }
    var lockPath: String { Posix.join(directory, Corpus.lockName) }

    // Guarded by `gate` within the process and by the flock across processes.
    private let gate = DispatchSemaphore(value: 1)
    // Only read-only descriptors stay open: the corpus holds no file open for writing between
    // appends, so its filesystem can be remounted read-only (or snapshotted) under a running
    // daemon, which then gets a clean EROFS at its next append.
    private var lockFD: Int32 = -1
    private var logReadFD: Int32 = -1
    private var logOffset = 0
    private var nextNumber = 0
    private var loggedFiles = Set<String>()
    private var firstLoggedNumber: Int?

    private init(directory: String, mode: Mode) {
        self.directory = directory
        self.mode = mode
    }

    deinit {
        for fd in [lockFD, logReadFD] where fd >= 0 { Posix.close(fd) }
    }

    /// Opens the corpus at `directory`. For `.readWrite`, creates the folder and its change log
    /// when missing and reconciles under the lock (see `openingReport`).
    public static func open(directory: String, mode: Mode = .readWrite) throws(CorpusError) -> Corpus {
        let corpus = Corpus(directory: directory, mode: mode)
        switch mode {
        case .readWrite:
            try Posix.makeDirectories(directory)
            for path in [corpus.lockPath, corpus.logPath] where !Posix.exists(path) {
                Posix.close(try Posix.open(path, O_WRONLY | O_CREAT, operation: "create"))
            }
            corpus.lockFD = try Posix.open(corpus.lockPath, O_RDONLY)
            corpus.logReadFD = try Posix.open(corpus.logPath, O_RDONLY)
            try corpus.withFlock(LOCK_EX) { () throws(CorpusError) in
                corpus.openingReport = try corpus.reconcile()
            }
        case .readOnly:
            guard let info = try Posix.statPath(directory) else {
                throw .system(operation: "open the corpus", path: directory, errno: ENOENT)
            }
            if info.st_mode & S_IFMT != S_IFDIR { throw .notADirectory(path: directory) }
            corpus.lockFD = (try? Posix.open(corpus.lockPath, O_RDONLY)) ?? -1
        }
        return corpus
    }

    // MARK: - Reading

    /// The corpus files present, in number order.
    public func files() throws(CorpusError) -> [CorpusFileName] {
        try Posix.listDirectory(directory).compactMap { CorpusFileName(parsing: $0) }.sorted()
    }

    /// The path of a corpus file.
    public func path(of name: String) -> String { Posix.join(directory, name) }

    /// The size in bytes of a corpus file.
    public func fileSize(_ name: String) throws(CorpusError) -> Int {
        let filePath = path(of: name)
        guard let info = try Posix.statPath(filePath) else {
            throw .system(operation: "stat", path: filePath, errno: ENOENT)
        }
        return Int(info.st_size)
    }

    /// The bytes of a corpus file.
    public func readBytes(_ name: String) throws(CorpusError) -> [UInt8] {
        try Posix.readFile(path(of: name))
    }

    /// The text of a corpus file (invalid UTF-8 decoded with U+FFFD).
    public func readText(_ name: String) throws(CorpusError) -> String {
        String(decoding: try readBytes(name), as: UTF8.self)
    }

    /// Every change-log line, parsed strictly, with the 1-based line numbers of lines that could
    /// not be read and why. A torn last line (no newline) counts as unreadable here.
    public func changeLog() throws(CorpusError) -> (records: [ChangeRecord], problems: [(line: Int, reason: String)]) {
        guard Posix.exists(logPath) else { return ([], []) }
        let bytes = try Posix.readFile(logPath, limit: 8 << 30)
        var records: [ChangeRecord] = []
        var problems: [(line: Int, reason: String)] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            guard let end = bytes[start...].firstIndex(of: 0x0A) else {
                problems.append((lineNumber, "the last line has no newline (torn write)"))
                break
            }
            let line = bytes[start..<end]
            start = end + 1
            guard let text = String(validating: line, as: UTF8.self) else {
                problems.append((lineNumber, "not valid UTF-8"))
                continue
            }
            do {
                records.append(try ChangeRecord(parsing: text))
            } catch {
                problems.append((lineNumber, error.description))
            }
        }
        return (records, problems)
    }

    /// Runs `body` holding the lock shared (for readers such as `verify`, so they never see an
    /// append half done). Without a `.lock` file (a folder Khabar never wrote), runs unlocked.
    public func withSharedLock<R>(_ body: () throws(CorpusError) -> R) throws(CorpusError) -> R {
        gate.wait()
        defer { gate.signal() }
        return try withFlock(LOCK_SH, body)
    }

    // MARK: - Appending

    /// Takes the lock for appending: waits for any other appender (this process or another),
    /// then catches up with what others appended and finishes any append a dead process left
    /// half done. Call `end()` (or drop the session) to release.
    public func beginAppend() throws(CorpusError) -> CorpusAppendSession {
        guard mode == .readWrite else { throw .readOnly(path: directory) }
        gate.wait()
        if !lockExclusive() {
            let code = errno
            gate.signal()
            throw .system(operation: "lock", path: lockPath, errno: code)
        }
        do {
            let others = try refresh()
            return CorpusAppendSession(corpus: self, appendedByOthers: others)
        } catch {
            releaseLock()
            throw error
        }
    }

    private func lockExclusive() -> Bool {
        while flock(lockFD, LOCK_EX) != 0 {
            if errno != EINTR { return false }
        }
        return true
    }

    func releaseLock() {
        _ = flock(lockFD, LOCK_UN)
        gate.signal()
    }

    private func withFlock<R>(_ operation: Int32, _ body: () throws(CorpusError) -> R) throws(CorpusError) -> R {
        guard lockFD >= 0 else { return try body() }
        while flock(lockFD, operation) != 0 {
            if errno == EINTR { continue }
            throw .system(operation: "lock", path: lockPath, errno: errno)
        }
        defer { _ = flock(lockFD, LOCK_UN) }
        return try body()
    }

    /// The append itself; the session calls it holding the lock.
    func append(_ article: CorpusArticle, action: ChangeRecord.Action, supersedes: String?,
                nearDuplicateOf: String?) throws(CorpusError) -> ChangeRecord {
        let violations = CorpusText.violations(of: article.text)
        if !violations.isEmpty { throw .invalidText(violations: violations) }
        let hash = ContentHash.hash16(article.text)
        let number = nextNumber
        guard let name = CorpusFileName(number: number, hash: hash) else {
            throw .system(operation: "name", path: directory, errno: EINVAL)
        }
        let record = ChangeRecord(
            ts: UTCTime.now(), action: action, file: name, hash: hash, url: article.url,
            canonicalURL: article.canonicalURL, source: article.source, title: article.title,
            published: article.published, modified: article.modified, author: article.author,
            lang: article.lang, chars: article.text.unicodeScalars.count, supersedes: supersedes,
            nearDuplicateOf: nearDuplicateOf)
        let line = record.jsonLine + "\n"
        let intentPath = Posix.join(directory, Corpus.intentPrefix + String(number))
        let tempPath = Posix.join(directory, Corpus.tempPrefix + name.name)
        let finalPath = path(of: name.name)

        // 1. The intent: the line this append will write, so a crash after the rename still
        //    gets the full line. No fsync needed: the directory fsync below makes its entry
        //    durable, and a process crash keeps the page cache.
        do {
            let fd = try Posix.open(intentPath, O_WRONLY | O_CREAT | O_TRUNC, operation: "create")
            defer { Posix.close(fd) }
            try Posix.writeAll(fd, Array(line.utf8), path: intentPath)
        } catch {
            Posix.unlinkIfPresent(intentPath)
            throw error
        }
        // 2. The text, durable before it gets its name.
        do {
            let fd = try Posix.open(tempPath, O_WRONLY | O_CREAT | O_EXCL, operation: "create")
            defer { Posix.close(fd) }
            try Posix.writeAll(fd, Array(article.text.utf8), path: tempPath)
            try Posix.fsync(fd, path: tempPath)
            // 3. Into place. From here on the number is consumed.
            try Posix.renameNoReplace(tempPath, finalPath)
        } catch {
            Posix.unlinkIfPresent(tempPath)
            Posix.unlinkIfPresent(intentPath)
            throw error
        }
        // 4. Directory entry, then the change-log line. A failure here leaves the intent, and the
        //    next holder of the lock completes the line (nextNumber still points at it).
        do {
            try Posix.fsyncDirectory(directory)
            try appendLogLine(line)
        } catch {
            throw .appendIncomplete(file: name.name, underlying: error.description)
        }
        Posix.unlinkIfPresent(intentPath)
        noteLogged(name)
        return record
    }

    // MARK: - Reconciliation

    /// Appends one line to the change log and fsyncs it; on failure cuts the log back to where
    /// it was, so a partial line is never left behind.
    private func appendLogLine(_ line: String) throws(CorpusError) {
        try withLogWriter { (fd: Int32) throws(CorpusError) in
            do throws(CorpusError) {
                try Posix.writeAll(fd, Array(line.utf8), path: logPath)
                try Posix.fsync(fd, path: logPath)
                logOffset += line.utf8.count
            } catch {
                try? Posix.truncate(fd, to: logOffset, path: logPath)
                throw error
            }
        }
    }

    /// Runs `body` with the change log open for appending, closed afterwards.
    private func withLogWriter(_ body: (Int32) throws(CorpusError) -> Void) throws(CorpusError) {
        let fd = try Posix.open(logPath, O_WRONLY | O_APPEND)
        defer { Posix.close(fd) }
        try body(fd)
    }

    private func noteLogged(_ name: CorpusFileName) {
        loggedFiles.insert(name.name)
        if firstLoggedNumber.map({ name.number < $0 }) ?? true { firstLoggedNumber = name.number }
        nextNumber = max(nextNumber, name.number + 1)
    }

    /// Reads the change log from `offset` to its end: the complete lines, and the length they
    /// cover. Cuts a torn last line (a writer that died mid-line; we hold the lock, so it is dead).
    private func readLogTail(from offset: Int, report: inout ReconcileReport) throws(CorpusError) -> [ArraySlice<UInt8>] {
        let size = try Posix.fileSize(logReadFD, path: logPath)
        guard size > offset else { return [] }
        let bytes = try Posix.readRange(logReadFD, from: offset, count: size - offset, path: logPath)
        let complete = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        if complete < bytes.count {
            try withLogWriter { (fd: Int32) throws(CorpusError) in
                try Posix.truncate(fd, to: offset + complete, path: logPath)
                try Posix.fsync(fd, path: logPath)
            }
            report.tornBytesRemoved += bytes.count - complete
        }
        logOffset = offset + complete
        return bytes[0..<complete].split(separator: 0x0A, omittingEmptySubsequences: false).filter { !$0.isEmpty }
    }

    /// Start-up reconciliation, under the exclusive lock.
    private func reconcile() throws(CorpusError) -> ReconcileReport {
        var report = ReconcileReport()
        loggedFiles = []
        firstLoggedNumber = nil
        var highest = -1
        var lineNumber = 0
        for line in try readLogTail(from: 0, report: &report) {
            lineNumber += 1
            var name = ChangeRecord.quickFile(line)
            if name == nil, let text = String(validating: line, as: UTF8.self) {
                name = (try? ChangeRecord(parsing: text))?.file
            }
            guard let name else {
                report.unreadableLines.append(lineNumber)
                continue
            }
            loggedFiles.insert(name.name)
            highest = max(highest, name.number)
            if firstLoggedNumber.map({ name.number < $0 }) ?? true { firstLoggedNumber = name.number }
        }

        let entries = try Posix.listDirectory(directory)
        var files = entries.compactMap { CorpusFileName(parsing: $0) }.sorted()
        let intents = entries.compactMap { entry -> Int? in
            guard entry.hasPrefix(Corpus.intentPrefix) else { return nil }
            return Int(entry.dropFirst(Corpus.intentPrefix.count))
        }.sorted()
        for number in intents {
            try recoverIntent(number: number, files: files, report: &report)
        }
        for entry in try Posix.listDirectory(directory) where entry.hasPrefix(Corpus.tempPrefix) {
            Posix.unlinkIfPresent(Posix.join(directory, entry))
            report.removedTempFiles.append(entry)
        }
        report.removedTempFiles.sort()

        files = try self.files()
        for file in files where !loggedFiles.contains(file.name) {
            if firstLoggedNumber.map({ file.number < $0 }) ?? true {
                report.adoptedFiles.append(file.name)
            } else if try completeOrphan(file) {
                report.recoveredLines.append(file.name)
            } else {
                report.foreignFiles.append(file.name)
            }
        }
        let present = Set(files.map(\.name))
        report.missingFiles = loggedFiles.filter { !present.contains($0) }.sorted {
            (CorpusFileName(parsing: $0)?.number ?? 0) < (CorpusFileName(parsing: $1)?.number ?? 0)
        }
        highest = max(highest, files.last?.number ?? -1, loggedFiles.compactMap { CorpusFileName(parsing: $0)?.number }.max() ?? -1)
        nextNumber = highest + 1
        return report
    }

    /// Catches up, under the exclusive lock, with what other processes did since we last held it.
    /// Returns the lines they appended.
    private func refresh() throws(CorpusError) -> [ChangeRecord] {
        var report = ReconcileReport()
        let size = try Posix.fileSize(logReadFD, path: logPath)
        if size < logOffset {
            // Someone cut a torn line we had counted: start again from the whole folder.
            _ = try reconcile()
            return []
        }
        var others: [ChangeRecord] = []
        for line in try readLogTail(from: logOffset, report: &report) {
            guard let text = String(validating: line, as: UTF8.self), let record = try? ChangeRecord(parsing: text) else {
                if let name = ChangeRecord.quickFile(line) { noteLogged(name) }
                continue
            }
            others.append(record)
            noteLogged(record.file)
        }
        // A process that died mid-append left its intent at the number it took.
        while Posix.exists(Posix.join(directory, Corpus.intentPrefix + String(nextNumber))) {
            let before = nextNumber
            try recoverIntent(number: nextNumber, files: nil, report: &report)
            if nextNumber == before { break }
        }
        return others
    }

    /// Finishes or undoes the append that left `.tmp-intent-<number>`.
    private func recoverIntent(number: Int, files: [CorpusFileName]?, report: inout ReconcileReport) throws(CorpusError) {
        let intentPath = Posix.join(directory, Corpus.intentPrefix + String(number))
        let bytes = (try? Posix.readFile(intentPath, limit: 1 << 20)) ?? []
        var trimmed = bytes[...]
        while trimmed.last == 0x0A { trimmed = trimmed.dropLast() }
        if let text = String(validating: trimmed, as: UTF8.self), let record = try? ChangeRecord(parsing: text),
           record.file.number == number {
            let name = record.file.name
            if Posix.exists(path(of: name)) && !loggedFiles.contains(name) {
                try appendLogLine(record.jsonLine + "\n")
                noteLogged(record.file)
                report.recoveredLines.append(name)
            }
            if Posix.unlinkIfPresent(Posix.join(directory, Corpus.tempPrefix + name)) {
                report.removedTempFiles.append(Corpus.tempPrefix + name)
            }
        } else {
            // The intent's content was lost (a power cut before it reached the disk): find the
            // file by its number.
            let all: [CorpusFileName]
            if let files { all = files } else { all = try self.files() }
            let candidates = all.filter { $0.number == number && !loggedFiles.contains($0.name) }
            for file in candidates {
                if try completeOrphan(file) { report.recoveredLines.append(file.name) }
            }
        }
        if Posix.unlinkIfPresent(intentPath) { report.removedTempFiles.append(Corpus.intentPrefix + String(number)) }
    }

    /// Gives a renamed file without its line a line built from what the file itself says (no
    /// metadata survived), when its content matches its name. Returns whether it did.
    private func completeOrphan(_ file: CorpusFileName) throws(CorpusError) -> Bool {
        let filePath = path(of: file.name)
        let text = String(decoding: try Posix.readFile(filePath), as: UTF8.self)
        guard ContentHash.hash16(text) == file.hash else { return false }
        let ts = UTCTime.format(Posix.modificationTime(filePath) ?? UTCTime.currentSeconds())
        let record = ChangeRecord(ts: ts, action: .added, file: file, hash: file.hash, chars: text.unicodeScalars.count)
        try appendLogLine(record.jsonLine + "\n")
        noteLogged(file)
        return true
    }
}

/// The corpus held for appending (the `.lock` flock and the in-process gate). Use it on one
/// thread, then `end()` it; it also ends when dropped.
public final class CorpusAppendSession {
    public let corpus: Corpus
    /// Lines other processes appended since this process last held the lock (for keeping an
    /// index in step).
    public let appendedByOthers: [ChangeRecord]
    private var active = true

    init(corpus: Corpus, appendedByOthers: [ChangeRecord]) {
        self.corpus = corpus
        self.appendedByOthers = appendedByOthers
    }

    deinit { end() }

    /// Appends a text as the next file and its change-log line (see `Corpus`). Fails with a
    /// typed error naming the path and errno (read-only folder, EFBIG, ENOSPC…), in which case no
    /// file is left and no number consumed — except `.appendIncomplete`, where the file is in and
    /// its line is completed by the next holder of the lock.
    public func append(_ article: CorpusArticle, action: ChangeRecord.Action = .added, supersedes: String? = nil,
                       nearDuplicateOf: String? = nil) throws(CorpusError) -> ChangeRecord {
        guard active else { throw .system(operation: "append to", path: corpus.directory, errno: EBADF) }
        return try corpus.append(article, action: action, supersedes: supersedes, nearDuplicateOf: nearDuplicateOf)
    }

    /// Releases the lock.
    public func end() {
        guard active else { return }
        active = false
        corpus.releaseLock()
    }
}
