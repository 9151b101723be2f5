import ArgumentParser
import Foundation
import KhabarService

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the corpus: names against hashes, change log against files, numbering.",
        discussion: """
        Like every start of Khabar, first completes an append a crashed process left half done and \
        removes stale temporary files (printed as 'repaired:'), unless --read-only. Then checks every \
        file's name against its content hash and the text rules, the change log against the files, \
        the numbering and stray files. Exits 1 on any fault. Legacy names (files adopted from before \
        the change log) are listed apart, not as faults; gaps in the numbering are information.
        """)
    @OptionGroup var common: CommonOptions
    @Flag(help: "Only look: repair nothing first (stale temporary files then count as faults).")
    var readOnly = false

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        let directory = config.daemon.corpusDir
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            Console.error("\(directory): the corpus folder does not exist")
            throw ExitCode(1)
        }
        let corpus: Corpus
        do {
            corpus = try Corpus.open(directory: directory, mode: readOnly ? .readOnly : .readWrite)
        } catch let error where error.errno == EROFS || error.errno == EACCES || error.errno == EPERM {
            Console.out("note: \(error); checking without repairing\n")
            do { corpus = try Corpus.open(directory: directory, mode: .readOnly) } catch {
                Console.error("\(error)")
                throw ExitCode(1)
            }
        } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        var out = ""
        for line in CorpusReportText.repairs(corpus.openingReport) { out += "repaired: \(line)\n" }
        let report: VerifyReport
        do { report = try CorpusVerifier.verify(corpus) } catch {
            Console.out(out)
            Console.error("\(error)")
            throw ExitCode(1)
        }
        out += CorpusReportText.verification(report)
        Console.out(out)
        if !report.isClean { throw ExitCode(1) }
    }
}

/// The text `verify` and `reindex` print.
enum CorpusReportText {
    static func repairs(_ r: ReconcileReport) -> [String] {
        var lines: [String] = []
        if r.tornBytesRemoved > 0 { lines.append("cut a torn last change-log line (\(r.tornBytesRemoved) bytes)") }
        for name in r.recoveredLines { lines.append("wrote the missing change-log line of \(name)") }
        for name in r.removedTempFiles { lines.append("removed the stale temporary file \(name)") }
        return lines
    }

    static func numbers(_ range: ClosedRange<Int>) -> String {
        range.count == 1 ? CorpusFileName.paddedNumber(range.lowerBound)
            : "\(CorpusFileName.paddedNumber(range.lowerBound))–\(CorpusFileName.paddedNumber(range.upperBound))"
    }

    static func verification(_ report: VerifyReport) -> String {
        var out = ""
        for fault in report.faults { out += "fault: \(fault)\n" }
        for file in report.adopted {
            var line = file.isLegacyName ? "legacy name: \(file.name.name) (computed hash \(file.computedHash))"
                : "adopted: \(file.name.name) (no change-log line; older than the log)"
            if !file.violations.isEmpty {
                let shown = file.violations.prefix(3).map(\.description).joined(separator: "; ")
                let more = file.violations.count > 3 ? "; and \(file.violations.count - 3) more" : ""
                line += "; breaks today's text rules: \(shown)\(more)"
            }
            out += line + "\n"
        }
        for gap in report.gaps { out += "gap: \(numbers(gap)) unused (information)\n" }
        for entry in report.unexpectedEntries { out += "unexpected: \(entry) (not part of the corpus format)\n" }
        let legacy = report.legacyNames.count
        out += "\(report.isClean ? "ok" : "FAILED"): \(report.directory): \(report.fileCount) file\(report.fileCount == 1 ? "" : "s"), "
        out += "\(report.changeLogLines) change-log line\(report.changeLogLines == 1 ? "" : "s"), "
        out += "\(legacy) legacy name\(legacy == 1 ? "" : "s"), \(report.faults.count) fault\(report.faults.count == 1 ? "" : "s")\n"
        return out
    }
}
