import Foundation
import KhabarTestSupport
import KhabarText
@testable import KhabarCorpus

/// A fresh temporary folder, removed by `remove()`.
struct TempFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-corpus-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
    }
    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }
    func entries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The seed articles made into well-formed corpus texts (their lines cleaned, empty ones dropped).
let seedTexts: [String] = {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: seedsDirectory)) ?? []).sorted()
    return names.compactMap { name in
        guard let data = FileManager.default.contents(atPath: "\(seedsDirectory)/\(name)") else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return CorpusText.render(headline: nil, paragraphs: lines)
    }
}()

/// A well-formed text of `words` pseudo-random words (distinct texts for distinct seeds).
func syntheticText(seed: Int, words: Int = 80) -> String {
    CorpusText.render(headline: "عنوان \(seed)", paragraphs: syntheticParagraphs(seed: seed, salt: 1, words: words, perParagraph: 20))
}
