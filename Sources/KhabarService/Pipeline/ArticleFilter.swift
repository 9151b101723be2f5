import KhabarText

/// The source's filters, applied to an extracted article before it reaches the corpus. Each
/// refusal is a distinct event: `too_short`, or `filtered` with the reason.
public struct ArticleFilter: Sendable {
    public enum Decision: Sendable, Equatable {
        case keep
        /// Fewer characters than `min_chars`.
        case tooShort(characters: Int, minimum: Int)
        /// Refused by `languages`, `include_any` or `exclude_any`; `reason` is one line.
        case filtered(reason: String)
    }

    let minChars: Int
    let languages: Set<String>
    /// Folded forms of `include_any` / `exclude_any`, paired with what the operator wrote.
    let include: [(folded: String, written: String)]
    let exclude: [(folded: String, written: String)]

    public init(minChars: Int, languages: [String], includeAny: [String], excludeAny: [String]) {
        self.minChars = minChars
        self.languages = Set(languages)
        self.include = includeAny.map { (ScriptFold.fold($0), $0) }.filter { !$0.0.isEmpty }
        self.exclude = excludeAny.map { (ScriptFold.fold($0), $0) }.filter { !$0.0.isEmpty }
    }

    /// Judges an article by its language, its headline and body text, and its length in characters
    /// (of the corpus text, as `chars` counts it).
    public func evaluate(language: String?, headline: String?, body: String, characters: Int) -> Decision {
        if characters < minChars { return .tooShort(characters: characters, minimum: minChars) }
        if !languages.isEmpty {
            guard let language else {
                return .filtered(reason: "language unknown, source keeps \(languages.sorted().joined(separator: ", "))")
            }
            if !languages.contains(language) {
                return .filtered(reason: "language \(language) not in \(languages.sorted().joined(separator: ", "))")
            }
        }
        if include.isEmpty && exclude.isEmpty { return .keep }
        // Match on the folded text, so spelling variants (ي/ی, ك/ک, hamza, tatweel, ZWNJ, digits, case)
        // do not decide whether an article is on topic.
        let folded = ScriptFold.fold((headline ?? "") + "\n" + body)
        if let hit = exclude.first(where: { folded.contains($0.folded) }) {
            return .filtered(reason: "contains excluded \"\(hit.written)\"")
        }
        if !include.isEmpty && !include.contains(where: { folded.contains($0.folded) }) {
            return .filtered(reason: "contains none of include_any")
        }
        return .keep
    }
}
