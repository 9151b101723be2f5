import KhabarText

/// Step 5, clean: from blocks to the article's paragraphs. Drops captions, link-dominated blocks
/// ("read also" teasers, related headlines), the short lines every news site repeats around its
/// articles (share prompts, "اقرأ أيضا", "بیشتر بخوانید", copyright, comment prompts), byline and
/// date lines at the edges, repeated paragraphs, the headline repeated as the first line, and
/// headings that introduce nothing.
enum Clean {
    /// Lines that are boilerplate when they are the whole block (after folding; a trailing colon
    /// or dash is ignored).
    static let wholeLines = Phrases([
        "advertisement", "advertisements", "sponsored", "share", "share this", "share this article",
        "share this story", "share on facebook", "share on twitter", "tweet", "email", "print", "comments",
        "comment", "related", "related articles", "related stories", "related news", "related posts",
        "recommended", "more", "read more", "see more", "show more", "load more", "continue reading",
        "tags", "topics", "follow us", "subscribe", "sign up", "newsletter", "back to top", "skip to content",
        "most read", "most popular", "trending", "you may also like", "you might also like", "also read",
        "read also", "see also", "next article", "previous article", "listen", "listen to this article",
        "loading", "close", "menu", "search", "image", "photo", "video", "watch", "click here",
        "شارك", "مشاركة", "تعليقات", "التعليقات", "تعليق", "إعلان", "اعلان", "الوسوم", "وسوم", "ذات صلة",
        "اقرا ايضا", "اقرا المزيد", "شاهد ايضا", "طالع ايضا", "المزيد", "تابعونا", "تابعنا على", "طباعة",
        "نظرات", "ارسال نظر", "اشتراک گذاری", "اشتراک", "چاپ", "برچسب ها", "برچسبها", "کلید واژه ها",
        "کلیدواژه ها", "بیشتر بخوانید", "بخوانید", "مطالب مرتبط", "اخبار مرتبط", "خبرهای مرتبط", "انتهای پیام",
        "ارسال به دوستان", "تبلیغات", "آگهی", "اگهی",
        "compartir", "compartilhar", "partager", "teilen", "condividi", "delen", "paylaş", "bagikan", "поделиться",
        "publicidad", "publicidade", "publicité", "anzeige", "werbung", "pubblicità", "reclame", "reklam", "iklan",
        "реклама", "comentarios", "comentários", "commentaires", "kommentare", "commenti", "yorumlar", "komentar",
        "комментарии", "leer más", "leia mais", "lire la suite", "weiterlesen", "continua a leggere", "devamını oku",
    ])

    /// Beginnings of boilerplate lines (checked only on short blocks).
    static let prefixes = Phrases([
        "read more", "read also", "also read", "see also", "related:", "more from", "more on this",
        "recommended for you", "share this", "share on", "follow us", "follow on", "sign up for", "subscribe to",
        "subscribe for", "click here", "all rights reserved", "copyright", "©", "(c) ", "leave a comment",
        "leave a reply", "post a comment", "add a comment", "you may also like", "you might also like",
        "tags:", "filed under", "topics:", "skip to", "image source", "image caption", "photo:", "photograph:",
        "getty images", "picture:", "pictured:", "caption:", "this story has been shared", "join the conversation",
        "we want to hear", "have a news tip", "download the app", "get the app",
        "اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "شاهد ايضا", "طالع ايضا", "للمزيد", "مواضيع ذات علاقة",
        "مواضيع ذات صله", "اخبار ذات صله", "اخبار ذات صلة", "الموضوعات المتعلقه", "الموضوعات المتعلقة",
        "مقالات ذات صله", "مقالات ذات صلة", "رابط مختصر", "الرابط المختصر", "شارك هذا", "شارك الخبر",
        "شارك على", "تابعونا على", "تابعوا", "الكلمات الدلاليه", "الكلمات الدلالية", "كلمات دلاليه",
        "كلمات دلالية", "جميع الحقوق محفوظه", "جميع الحقوق محفوظة", "حقوق النشر", "اضف تعليق", "اترك تعليق",
        "اضف تعليقا", "التعليقات", "الاكثر قراءه", "الاكثر قراءة", "الاكثر مشاهده", "الاكثر مشاهدة",
        "حمل تطبيق", "اشترك في", "اشترك الان", "لا مانع من الاقتباس", "شكرا لكم", "بروتوكول نشر التعليقات",
        "بیشتر بخوانید", "بیشتر بخوانيد", "مطالب مرتبط", "اخبار مرتبط", "خبرهای مرتبط", "مطالب پیشنهادی",
        "اخبار پیشنهادی", "پیشنهاد سردبیر", "اندازه قلم", "اندازه متن", "لینک کوتاه", "کد خبر", "به کانال",
        "عضو کانال", "ما را در", "هنوز نظری", "نظر خود را", "شما در حال پاسخ", "ارسال نظر", "برچسب ها",
        "برچسبها", "کلید واژه", "کلیدواژه", "تمامی حقوق", "کلیه حقوق", "کليه حقوق", "پربحث ترین", "پربحثترین",
        "پربازدیدترین", "پربازدید ترین", "پربیننده ترین", "پربینندهترین", "آخرین اخبار", "اخرین اخبار",
        "انتهای پیام", "عناوین کل اخبار", "استفاده از مطالب", "نقل مطالب",
        "leia tambem", "leia também", "veja tambem", "veja também", "lee tambien", "lee también", "a lire aussi",
        "à lire aussi", "lire aussi", "lesen sie auch", "leggi anche", "baca juga", "читайте также", "czytaj także",
        "przeczytaj także", "läs också", "lees ook",
        "todos los derechos reservados", "tous droits réservés", "alle rechte vorbehalten", "tutti i diritti riservati",
        "todos os direitos reservados", "tüm hakları saklıdır", "все права защищены", "hak cipta",
    ])

    /// Headings of the "more stories" blocks that follow articles, in the languages of the world's
    /// news: where one of these stands after most of the text, nothing after it belongs to the
    /// article. ("Read also" lines are not here: they often stand in the middle of an article.)
    static let stopPhrases = Phrases([
        "related", "related articles", "related stories", "related posts", "related news", "related content",
        "you may also like", "you might also like", "more stories", "more from", "more on this",
        "recommended for you", "most read", "most popular", "trending now", "read next", "up next", "what to read next",
        "مواضيع ذات صله", "مواضيع ذات صلة", "اخبار ذات صله", "اخبار ذات صلة", "مقالات ذات صله", "مقالات ذات صلة",
        "الموضوعات المتعلقه", "الموضوعات المتعلقة", "الاكثر قراءه", "الاكثر قراءة", "مطالب مرتبط", "اخبار مرتبط",
        "خبرهای مرتبط", "مطالب پیشنهادی", "اخبار پیشنهادی", "پربازدیدترین",
        "voce pode gostar", "você pode gostar", "materias relacionadas", "matérias relacionadas", "noticias relacionadas", "notícias relacionadas",
        "te puede interesar", "articulos relacionados", "artículos relacionados",
        "sur le meme sujet", "sur le même sujet", "articles similaires",
        "mehr zum thema", "das konnte sie auch interessieren", "das könnte sie auch interessieren",
        "weitere artikel", "potrebbe interessarti", "articoli correlati", "gerelateerde artikelen",
        "ilgili haberler", "benzer haberler", "berita terkait", "похожие новости", "см также",
        "relaterade artiklar",
    ])

    /// Headings that never stand inside an article ("you may also like"): a cut after any real text.
    static let strongStopPhrases = Phrases([
        "you may also like", "you might also like", "more stories", "read next", "what to read next",
        "voce pode gostar", "você pode gostar", "te puede interesar", "das konnte sie auch interessieren",
        "das könnte sie auch interessieren", "potrebbe interessarti", "مواضيع ذات صله", "مواضيع ذات صلة",
        "مقالات ذات صله", "مقالات ذات صلة", "مطالب پیشنهادی", "اخبار پیشنهادی",
    ])

    /// Cuts at a "more stories" heading that stands near the end.
    static func truncateAtStopHeading(_ blocks: [Block], folded: [[UInt8]?]) -> Int {
        let total = blocks.reduce(0) { $0 + $1.chars }
        var before = 0
        for (k, b) in blocks.enumerated() {
            if k >= 1, b.chars <= 60, let f = folded[k] {
                let line = Phrases.trimmed(f)
                // The heading itself, or the heading and a few more characters ("Related (3)").
                if (before * 10 >= total * 6 && stopPhrases.matchesHeading(line))
                    || (before >= 250 && strongStopPhrases.matchesHeading(line)) {
                    return k
                }
            }
            before += b.chars
        }
        return blocks.count
    }

    /// Blocks at most this long (characters) are checked against the phrase lists.
    static let shortBlock = 120

    static func run(_ allBlocks: [Block], headline: String?, titles: [String] = []) -> [String] {
        // Short blocks are folded once (ScriptFold, as UTF-8) for every phrase test below.
        let folded: [[UInt8]?] = allBlocks.map { b in
            b.chars <= shortBlock && b.linkDensity <= 0.5 ? Array(ScriptFold.fold(b.text).utf8) : nil
        }
        let end = truncateAtStopHeading(allBlocks, folded: folded)
        let blocks = allBlocks[..<end]
        var kept: [Block] = []
        kept.reserveCapacity(blocks.count)
        var seen = Set<String>()
        let foldedTitles = Set(([headline] + titles).compactMap { $0.map { Array(ScriptFold.fold($0).utf8) } })
        for (position, b) in blocks.enumerated() {
            if b.kind == .caption { continue }
            if b.linkDensity > 0.5 { continue }
            if position > 0, isTeaser(b, after: blocks[blocks.startIndex + position - 1]) { continue }
            if b.kind != .preformatted, b.codeChars * 12 > b.chars, b.chars > 40 { continue }
            if let f = folded[position] {
                if isBoilerplateLine(f) { continue }
                if kept.count < 3, foldedTitles.contains(f) { continue }
                if isBareToken(b.text) { continue }
                if position < 4 || position >= blocks.count - 2, isBylineOrDate(b.text, folded: f) { continue }
            }
            // A long paragraph seen twice is a duplicated widget or a mobile twin; short lines
            // ("Meal 1", "Drink during your workout") legitimately repeat.
            if b.chars > 130, !seen.insert(b.text).inserted { continue }
            kept.append(b)
        }
        // Headings must introduce something: drop a heading followed by a heading or by nothing.
        var out: [String] = []
        out.reserveCapacity(kept.count)
        for (k, b) in kept.enumerated() {
            if b.kind == .heading {
                let next = k + 1 < kept.count ? kept[k + 1] : nil
                if next == nil || next?.kind == .heading { continue }
            }
            out.append(b.text)
        }
        return out
    }

    /// The summary line of a teaser card: right after a linked title, in a small container that
    /// holds just the two of them ("<div class=card><h3><a>Title</a></h3><p>Summary</p></div>").
    static func isTeaser(_ b: Block, after title: Block) -> Bool {
        title.linkDensity > 0.5 && b.chars < 400 && b.container >= 0 && b.container == title.container
            && b.containerChars <= title.chars + b.chars + 40
    }

    /// A URL, a number or a lone symbol on its own line.
    static func isBareToken(_ text: String) -> Bool {
        if !text.contains(" ") && (text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("www.")) { return true }
        return text.unicodeScalars.allSatisfy { !$0.properties.isAlphabetic }
    }

    static func isBoilerplateLine(_ folded: [UInt8]) -> Bool {
        wholeLines.contains(Phrases.trimmed(folded)) || prefixes.prefix(of: folded)
    }

    static let bylinePrefixes = Phrases([
        "by ", "written by", "posted by", "posted on", "published", "updated", "last updated", "بقلم", "كتب ", "كتبت",
        "نویسنده", "تاریخ انتشار", "تاريخ النشر", "منتشر شده", "تم نشره", "نشر في", "نشر بتاريخ", "اخر تحديث", "آخر تحديث",
        "تاریخ به روز رسانی", "زمان انتشار",
    ])

    /// A short line that is a byline ("By Jane Doe"), or a date/time line with little else.
    static func isBylineOrDate(_ text: String, folded: [UInt8]) -> Bool {
        let n = text.unicodeScalars.count
        guard n <= 80 else { return false }
        if bylinePrefixes.prefix(of: folded) { return true }
        // Mostly digits and date words: "19/11/2019 10:30", "Nov. 19, 2019 at 5:30 p.m. ET".
        var digits = 0, letters = 0
        for s in text.unicodeScalars {
            if s.properties.numericType != nil { digits += 1 } else if s.properties.isAlphabetic { letters += 1 }
        }
        if digits >= 4 && letters <= 24 && DateText.looksLikeDateLine(text) { return true }
        return false
    }
}

/// A list of phrases, folded with `ScriptFold` and kept as UTF-8, matched against folded lines
/// without building Strings: exact lines by hash, beginnings through buckets by first byte.
struct Phrases: Sendable {
    private let exact: Set<[UInt8]>
    private let buckets: [[[UInt8]]]

    init(_ phrases: [String]) {
        let folded = phrases.map { Array(ScriptFold.fold($0).utf8) }.filter { !$0.isEmpty }
        exact = Set(folded)
        var b = [[[UInt8]]](repeating: [], count: 256)
        for p in folded { b[Int(p[0])].append(p) }
        buckets = b
    }

    func contains(_ line: ArraySlice<UInt8>) -> Bool { exact.contains(Array(line)) }

    /// True when `line` begins with one of the phrases.
    func prefix(of line: [UInt8]) -> Bool {
        guard let first = line.first else { return false }
        for p in buckets[Int(first)] where p.count <= line.count && line[..<p.count].elementsEqual(p) { return true }
        return false
    }

    /// The line is a phrase, or a phrase and at most three more bytes ("related (3)").
    func matchesHeading(_ line: ArraySlice<UInt8>) -> Bool {
        guard let first = line.first else { return false }
        for p in buckets[Int(first)] where p.count <= line.count && line.count <= p.count + 3
            && line.prefix(p.count).elementsEqual(p) { return true }
        return false
    }

    /// The line without trailing spaces and punctuation (`:` `-` `|` `.` `»` `«` `…`).
    static func trimmed(_ line: [UInt8]) -> ArraySlice<UInt8> {
        var s = line[...]
        while let l = s.last {
            if l == 0x3A || l == 0x2D || l == 0x7C || l == 0x2E || l == 0x20 { s = s.dropLast(); continue }
            if s.count >= 2, s[s.endIndex - 2] == 0xC2, l == 0xBB || l == 0xAB { s = s.dropLast(2); continue }
            if s.count >= 3, s[s.endIndex - 3] == 0xE2, s[s.endIndex - 2] == 0x80, l == 0xA6 { s = s.dropLast(3); continue }
            break
        }
        return s
    }
}
