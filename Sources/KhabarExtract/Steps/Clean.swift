import KhabarText

/// Step 5, clean: from blocks to the article's paragraphs. Drops captions, link-dominated blocks
/// ("read also" teasers, related headlines), the short lines every news site repeats around its
/// articles (share prompts, "اقرأ أيضا", "بیشتر بخوانید", copyright, comment prompts), byline and
/// date lines at the edges, repeated paragraphs, the headline repeated as the first line, and
/// headings that introduce nothing.
enum Clean {
    /// Lines that are boilerplate when they are the whole block (after folding; a trailing colon
    /// or dash is ignored).
    static let wholeLines: Set<String> = Set([
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
    ].map { ScriptFold.fold($0) })

    /// Beginnings of boilerplate lines (checked only on short blocks).
    static let prefixes: [String] = [
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
    ].map { ScriptFold.fold($0) }

    /// Headings of the "more stories" blocks that follow articles, in the languages of the world's
    /// news: where one of these stands after most of the text, nothing after it belongs to the
    /// article. ("Read also" lines are not here: they often stand in the middle of an article.)
    static let stopPhrases: [String] = [
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
    ].map { ScriptFold.fold($0) }

    /// Headings that never stand inside an article ("you may also like"): a cut after any real text.
    static let strongStopPhrases: [String] = [
        "you may also like", "you might also like", "more stories", "read next", "what to read next",
        "voce pode gostar", "você pode gostar", "te puede interesar", "das konnte sie auch interessieren",
        "das könnte sie auch interessieren", "potrebbe interessarti", "مواضيع ذات صله", "مواضيع ذات صلة",
        "مقالات ذات صله", "مقالات ذات صلة", "مطالب پیشنهادی", "اخبار پیشنهادی",
    ].map { ScriptFold.fold($0) }

    /// Cuts at a "more stories" heading that stands near the end.
    static func truncateAtStopHeading(_ blocks: [Block]) -> [Block] {
        let total = blocks.reduce(0) { $0 + $1.chars }
        var before = 0
        for (k, b) in blocks.enumerated() {
            if k >= 1, b.text.unicodeScalars.count <= 60 {
                var folded = Substring(ScriptFold.fold(b.text))
                while let l = folded.last, l == ":" || l == "." || l == "…" || l == " " || l == "-" { folded = folded.dropLast() }
                let matches = { (p: String) in folded == p || (folded.hasPrefix(p) && folded.count <= p.count + 3) }
                if (stopPhrases.contains(where: matches) && before * 10 >= total * 6)
                    || (strongStopPhrases.contains(where: matches) && before >= 250) {
                    return Array(blocks[..<k])
                }
            }
            before += b.chars
        }
        return blocks
    }

    /// Blocks at most this long (characters) are checked against the phrase lists.
    static let shortBlock = 120

    static func run(_ allBlocks: [Block], headline: String?, titles: [String] = []) -> [String] {
        let blocks = truncateAtStopHeading(allBlocks)
        var kept: [Block] = []
        kept.reserveCapacity(blocks.count)
        var seen = Set<String>()
        let foldedTitles = Set(([headline] + titles).compactMap { $0.map { ScriptFold.fold($0) } })
        for (position, b) in blocks.enumerated() {
            if b.kind == .caption { continue }
            if b.linkDensity > 0.5 { continue }
            if b.kind != .preformatted, b.codeChars * 12 > b.chars, b.chars > 40 { continue }
            let length = b.text.unicodeScalars.count
            if length <= shortBlock {
                let folded = ScriptFold.fold(b.text)
                if isBoilerplateLine(folded) { continue }
                if kept.count < 3, foldedTitles.contains(folded) { continue }
                if isBareToken(b.text) { continue }
                if isBylineOrDate(b.text, folded: folded), position < 4 || position >= blocks.count - 2 { continue }
            }
            // A long paragraph seen twice is a duplicated widget or a mobile twin; short lines
            // ("Meal 1", "Drink during your workout") legitimately repeat.
            if length > 150, !seen.insert(b.text).inserted { continue }
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

    /// A URL, a number or a lone symbol on its own line.
    static func isBareToken(_ text: String) -> Bool {
        if !text.contains(" ") && (text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("www.")) { return true }
        return text.unicodeScalars.allSatisfy { !$0.properties.isAlphabetic }
    }

    static func isBoilerplateLine(_ folded: String) -> Bool {
        var line = Substring(folded)
        while let l = line.last, l == ":" || l == "-" || l == "|" || l == "»" || l == "«" || l == " " || l == "…" || l == "." {
            line = line.dropLast()
        }
        if wholeLines.contains(String(line)) { return true }
        for p in prefixes where folded.hasPrefix(p) { return true }
        return false
    }

    static let bylinePrefixes: [String] = [
        "by ", "written by", "posted by", "posted on", "published", "updated", "last updated", "بقلم", "كتب ", "كتبت",
        "نویسنده", "تاریخ انتشار", "تاريخ النشر", "منتشر شده", "تم نشره", "نشر في", "نشر بتاريخ", "اخر تحديث", "آخر تحديث",
        "تاریخ به روز رسانی", "زمان انتشار",
    ].map { ScriptFold.fold($0) }

    /// A short line that is a byline ("By Jane Doe"), or a date/time line with little else.
    static func isBylineOrDate(_ text: String, folded: String) -> Bool {
        let n = text.unicodeScalars.count
        guard n <= 80 else { return false }
        for p in bylinePrefixes where folded.hasPrefix(p) { return true }
        // Mostly digits and date words: "19/11/2019 10:30", "Nov. 19, 2019 at 5:30 p.m. ET".
        var digits = 0, letters = 0
        for s in text.unicodeScalars {
            if s.properties.numericType != nil { digits += 1 } else if s.properties.isAlphabetic { letters += 1 }
        }
        if digits >= 4 && letters <= 24 && DateText.looksLikeDateLine(text) { return true }
        return false
    }
}
