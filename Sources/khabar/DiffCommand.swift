import ArgumentParser
import Foundation
import KhabarService

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Paragraph-level diff of two corpus files (an article's revisions).",
        discussion: """
        Each argument is a path or the name of a file in the corpus folder. Prints '- ' for a removed \
        paragraph, '+ ' for an added one, '~ ' for one changed only in spacing, ZWNJ, tatweel, digit \
        forms or letter variants (old, then new), and the kept paragraphs around changes; then a summary.
        """)
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("The older file.", valueName: "file-a"))
    var fileA: String
    @Argument(help: ArgumentHelp("The newer file.", valueName: "file-b"))
    var fileB: String

    func run() async throws {
        common.bootstrapLogging()
        var corpusDir: String?
        func resolve(_ argument: String) throws -> String {
            if FileManager.default.fileExists(atPath: argument) { return argument }
            if corpusDir == nil { corpusDir = try common.loadConfiguration().daemon.corpusDir }
            let candidate = (corpusDir! as NSString).appendingPathComponent(argument)
            guard FileManager.default.fileExists(atPath: candidate) else {
                Console.error("\(argument): no such file (nor in the corpus folder \(corpusDir!))")
                throw ExitCode(1)
            }
            return candidate
        }
        let pathA = try resolve(fileA), pathB = try resolve(fileB)
        guard let a = FileManager.default.contents(atPath: pathA), let b = FileManager.default.contents(atPath: pathB) else {
            Console.error("cannot read \(FileManager.default.contents(atPath: pathA) == nil ? pathA : pathB)")
            throw ExitCode(1)
        }
        let lines = ParagraphDiff.diff(ParagraphDiff.paragraphs(String(decoding: a, as: UTF8.self)),
                                       ParagraphDiff.paragraphs(String(decoding: b, as: UTF8.self)))
        var out = ParagraphDiff.render(lines, oldName: (pathA as NSString).lastPathComponent,
                                       newName: (pathB as NSString).lastPathComponent)
        let s = ParagraphDiff.summary(lines)
        if s.isIdentical {
            out += "identical paragraphs (\(s.same))\n"
        } else {
            out += "\(s.removed) removed, \(s.added) added, \(s.respelled) respelled, \(s.same) unchanged\n"
        }
        Console.out(out)
    }
}
