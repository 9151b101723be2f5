import KhabarText

/// Language identification: the page's declaration when it fits the text, else the text's script
/// and its most frequent function words. Persian and Arabic share a script, so they are told apart
/// by letters only one of them uses (پ چ ژ گ versus ة, and the Arabic/Persian forms of yeh and kaf)
/// and, more reliably, by function words ("است", "این", "را", "می" against "في", "من", "على", "الذي").
enum Language {
    /// The primary subtag of a declaration, lower case: `fa-IR` → `fa`, `ar_SA` → `ar`.
    static func normalize(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let first = raw.split(whereSeparator: { $0 == "," || $0 == ";" }).first.map(String.init) ?? raw
        let primary = first.trimmingCharacters(in: " \t\r\n\"'").lowercased()
            .split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        guard primary.count == 2 || primary.count == 3, primary.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        switch primary {
        case "per", "fas", "pes": return "fa"
        case "ara": return "ar"
        case "eng": return "en"
        case "iw": return "he"
        case "in": return "id"
        default: return primary
        }
    }

    static let persianWords: Set<UInt64> = Set(["است", "این", "را", "که", "می", "با", "از", "به", "های", "برای", "آن", "یک",
                                                 "شده", "کرد", "شد", "بود", "هم", "خود", "تا", "کند", "نیز", "اما", "او", "ایران", "اند", "کرده", "دارد", "وی"]
        .map(wordHash))
    static let arabicWords: Set<UInt64> = Set(["في", "من", "على", "أن", "إلى", "التي", "الذي", "عن", "مع", "هذا", "هذه", "كان",
                                                "قد", "وقد", "ذلك", "إن", "لم", "كما", "بين", "بعد", "حيث", "وفي", "أو", "منذ", "عام", "خلال", "وأن", "لا"]
        .map(wordHash))

    static let latinStopwords: [(String, Set<UInt64>)] = [
        ("en", ["the", "and", "of", "to", "in", "is", "that", "for", "it", "with", "was", "on", "as", "are", "this", "by", "be", "have", "from", "at"]),
        ("fr", ["le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "du", "pas", "sur", "au", "qui", "avec", "il", "ce", "sont", "en"]),
        ("de", ["der", "die", "und", "das", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich", "des", "auf", "für", "im", "dem", "auch", "es", "von"]),
        ("es", ["el", "la", "de", "que", "y", "los", "las", "en", "un", "por", "con", "una", "para", "es", "del", "se", "su", "al", "lo", "como"]),
        ("it", ["il", "di", "che", "la", "e", "per", "un", "una", "non", "del", "della", "sono", "con", "gli", "si", "nel", "le", "da", "alla", "anche"]),
        ("pt", ["o", "de", "que", "e", "do", "da", "em", "um", "para", "com", "uma", "os", "no", "se", "na", "por", "mais", "as", "dos", "não"]),
        ("nl", ["de", "het", "een", "en", "van", "is", "dat", "op", "te", "zijn", "niet", "met", "voor", "die", "er", "ook", "aan", "maar", "bij", "als"]),
        ("tr", ["ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "gibi", "olan", "ama", "en", "ne", "kadar", "sonra", "değil", "mi", "var"]),
        ("id", ["yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga", "ke", "ada", "adalah", "oleh", "bisa", "saat", "atau"]),
        ("pl", ["i", "w", "się", "nie", "na", "z", "jest", "że", "do", "to", "o", "jak", "ale", "po", "co", "od", "za", "przez", "tak", "czy"]),
        ("sv", ["och", "att", "det", "som", "en", "är", "på", "av", "för", "med", "till", "den", "har", "inte", "om", "ett", "var", "jag", "men", "de"]),
    ].map { ($0.0, Set($0.1.map(wordHash))) }

    /// Every function word's hash to the languages it belongs to (bit 0 Persian, bit 1 Arabic,
    /// bit 2+k the k-th Latin-script language): one lookup per word.
    static let wordLanguages: [UInt64: UInt16] = {
        var map: [UInt64: UInt16] = [:]
        for h in persianWords { map[h, default: 0] |= 1 }
        for h in arabicWords { map[h, default: 0] |= 2 }
        for (k, (_, set)) in latinStopwords.enumerated() { for h in set { map[h, default: 0] |= UInt16(1) << UInt16(k + 2) } }
        return map
    }()

    /// A scalar as words are compared: Latin lower-cased, Arabic-script letters folded (ي ى → ی,
    /// ك → ک, أ إ آ ٱ → ا); nil for marks that do not count (harakat, tatweel, ZWNJ).
    @inline(__always)
    static func foldScalar(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x41...0x5A, 0xC0...0xDE: return v + 0x20
        case 0x064A, 0x0649: return 0x06CC
        case 0x0643: return 0x06A9
        case 0x0622, 0x0623, 0x0625, 0x0671: return 0x0627
        case 0x064B...0x065F, 0x0640, 0x0670, 0x200C, 0x200D: return nil
        default: return v
        }
    }

    /// FNV-1a over the folded scalars of a word.
    static func wordHash(_ w: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for s in w.unicodeScalars { if let f = foldScalar(s.value) { h = (h ^ UInt64(f)) &* 0x100000001b3 } }
        return h
    }

    @inline(__always)
    static func isWordScalar(_ v: UInt32) -> Bool {
        (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0xC0 && v <= 0x24F && v != 0xD7 && v != 0xF7)
            || (v >= 0x0621 && v <= 0x06D3) || v == 0x200C || v == 0x200D || (v >= 0x0400 && v <= 0x04FF)
    }

    /// The language of `paragraphs` from their script and words; nil when there is too little text.
    /// One pass over at most a few thousand characters, words hashed as they go: no allocation.
    static func detect(_ paragraphs: [String]) -> (code: String, confident: Bool)? {
        var arabic = 0, latin = 0, cyrillic = 0, hebrew = 0, han = 0, kana = 0, hangul = 0, greek = 0, thai = 0, devanagari = 0
        var persianLetters = 0, arabicLetters = 0, urduLetters = 0
        var fa = 0, ar = 0
        var latinCounts = [Int](repeating: 0, count: latinStopwords.count)
        var seen = 0
        var h: UInt64 = 0xcbf29ce484222325
        var wordLength = 0
        func endWord() {
            if wordLength > 0 && wordLength <= 6, let bits = wordLanguages[h] {
                if bits & 1 != 0 { fa += 1 }
                if bits & 2 != 0 { ar += 1 }
                var rest = bits >> 2
                var k = 0
                while rest != 0 { if rest & 1 != 0 { latinCounts[k] += 1 }; rest >>= 1; k += 1 }
            }
            h = 0xcbf29ce484222325
            wordLength = 0
        }
        outer: for p in paragraphs {
            for s in p.unicodeScalars {
                let v = s.value
                if isWordScalar(v) {
                    if let f = foldScalar(v) { h = (h ^ UInt64(f)) &* 0x100000001b3; wordLength += 1 }
                } else {
                    endWord()
                }
                if v < 0x41 { continue }
                seen += 1
                if seen > 6000 { break outer }
                switch v {
                case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: latin += 1
                case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF:
                    arabic += 1
                    switch v {
                    case 0x067E, 0x0686, 0x0698, 0x06AF: persianLetters += 2   // پ چ ژ گ
                    case 0x06CC, 0x06A9: persianLetters += 1                   // ی ک
                    case 0x0629, 0x064A, 0x0643, 0x0649: arabicLetters += 1    // ة ي ك ى
                    case 0x0679, 0x0688, 0x0691, 0x06BA, 0x06D2: urduLetters += 2  // ٹ ڈ ڑ ں ے
                    default: break
                    }
                case 0x0400...0x04FF: cyrillic += 1
                case 0x0590...0x05FF: hebrew += 1
                case 0x4E00...0x9FFF: han += 1
                case 0x3040...0x30FF: kana += 1
                case 0xAC00...0xD7AF, 0x1100...0x11FF: hangul += 1
                case 0x0370...0x03FF: greek += 1
                case 0x0E00...0x0E7F: thai += 1
                case 0x0900...0x097F: devanagari += 1
                default: break
                }
            }
            endWord()
        }
        endWord()
        let scripts = [("arabic", arabic), ("latin", latin), ("ru", cyrillic), ("he", hebrew), ("zh", han), ("ja", kana),
                       ("ko", hangul), ("el", greek), ("th", thai), ("hi", devanagari)]
        guard let (script, n) = scripts.max(by: { $0.1 < $1.1 }), n >= 20 else { return nil }
        switch script {
        case "arabic":
            if urduLetters > persianLetters && urduLetters > 10 { return ("ur", false) }
            let faScore = Double(fa) * 3 + Double(persianLetters) * 0.5
            let arScore = Double(ar) * 3 + Double(arabicLetters) * 0.5
            let code = faScore > arScore ? "fa" : "ar"
            return (code, max(faScore, arScore) >= 2 * min(faScore, arScore) + 5)
        case "latin":
            var best = ("en", 0)
            for (k, c) in latinCounts.enumerated() where c > best.1 { best = (latinStopwords[k].0, c) }
            return (best.0, best.1 >= 10)
        case "zh": return kana > han / 10 ? ("ja", true) : ("zh", true)
        default: return (script, true)
        }
    }

    static func detect(_ text: String) -> (code: String, confident: Bool)? { detect([text]) }

    /// The page's language: the declaration unless the text plainly says otherwise.
    static func decide(declared: String?, paragraphs: [String]) -> String? {
        let detected = detect(paragraphs)
        guard let declared else { return detected?.code }
        guard let detected else { return declared }
        if detected.code == declared { return declared }
        let arabicScript: Set<String> = ["ar", "fa", "ur", "ps", "ku", "ckb"]
        if arabicScript.contains(declared) != arabicScript.contains(detected.code) { return detected.code }
        // Same script, different language: trust the text only when it is clear.
        return detected.confident ? detected.code : declared
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
