import Foundation
import KhabarText

/// Builds a realistic Arabic or Persian news page around known article paragraphs: the kind of
/// markup the seeds' naive scraper could not see through — a header menu, breadcrumbs, a font-size
/// widget, share buttons, "read also" and related-headline blocks, a tag list, a comment box with
/// its form, a most-read sidebar, a Telegram call and a copyright footer.
struct NewsPage {
    enum Script { case arabic, persian }
    var script: Script
    var headline: String?
    var dateLine: String?
    var lede: String?
    var caption: String?
    /// Article paragraphs; a `## ` prefix makes a subheading.
    var paragraphs: [String]
    var related: [String] = []
    var tags: [String] = []
    var extraJunk: [String] = []
    var charsetMeta = "utf-8"
    var machineDate: String?

    func html() -> String {
        let ar = script == .arabic
        let menu = ar ? ["الرئيسية", "أخبار وتقارير", "سياسة", "اقتصاد", "رياضة", "منوعات", "اتصل بنا"]
            : ["صفحه اصلی", "سیاسی", "اقتصادی", "بین‌الملل", "ورزشی", "فرهنگی", "تماس با ما"]
        var h = "<!DOCTYPE html>\n<html lang=\"\(ar ? "ar" : "fa")\" dir=\"rtl\"><head><meta charset=\"\(charsetMeta)\">"
        h += "<title>\(headline ?? "خبر") - \(ar ? "موقع الأخبار" : "سایت خبری")</title>"
        if let machineDate { h += "<meta property=\"article:published_time\" content=\"\(machineDate)\">" }
        h += "<link rel=\"stylesheet\" href=\"/s.css\"><script>var ads = '<div>\(ar ? "إعلان" : "تبلیغات")</div>'; window.dataLayer=[];</script>"
        h += "<style>.menu{display:flex}</style></head><body class=\"rtl single-post\">\n"
        h += "<header id=\"masthead\"><div class=\"logo\"><a href=\"/\">\(ar ? "موقع الأخبار" : "سایت خبری")</a></div>"
        h += "<nav class=\"main-menu\"><ul>" + menu.map { "<li><a href=\"/c/\($0)\">\($0)</a></li>" }.joined() + "</ul></nav>"
        h += "<form class=\"search-form\"><input type=\"text\" placeholder=\"\(ar ? "بحث" : "جستجو")\"><button>\(ar ? "بحث" : "جستجو")</button></form></header>\n"
        h += "<div class=\"breaking-news ticker\"><span>\(ar ? "عاجل" : "فوری")</span><a href=\"/n/1\">\(related.first ?? menu[1])</a></div>\n"
        h += "<div class=\"container\"><div class=\"row\"><main class=\"col-md-8 content-area\">"
        h += "<div class=\"breadcrumb\"><a href=\"/\">\(menu[0])</a> / <a href=\"/c\">\(menu[1])</a> / <span>\(headline ?? "")</span></div>"
        h += "<article class=\"post type-post status-publish category-news tag-iran\">"
        if let headline { h += "<h1 class=\"entry-title\">\(escape(headline))</h1>" }
        h += "<div class=\"post-meta\"><span class=\"date\">\(dateLine.map(escape) ?? "")</span> <span class=\"author\">\(ar ? "بقلم المحرر" : "نویسنده: سردبیر")</span></div>"
        h += "<div class=\"font-size-tools\"><span>\(ar ? "حجم الخط" : "اندازه قلم متن")</span><a href=\"#\">+</a><a href=\"#\">-</a></div>"
        h += "<div class=\"share-buttons top\"><a href=\"https://facebook.com/sharer\">Facebook</a><a href=\"https://twitter.com/share\">Twitter</a><a href=\"https://t.me/share\">Telegram</a><a href=\"#\">\(ar ? "طباعة" : "چاپ")</a></div>"
        if let caption {
            h += "<figure class=\"wp-caption\"><img src=\"/i.jpg\" alt=\"\"><figcaption>\(escape(caption))</figcaption></figure>"
        }
        h += "<div class=\"entry-content\">\n"
        if let lede { h += "<p class=\"lead\"><strong>\(escape(lede))</strong></p>\n" }
        for (k, p) in paragraphs.enumerated() {
            if p.hasPrefix("## ") {
                h += "<h2>\(escape(String(p.dropFirst(3))))</h2>\n"
            } else {
                h += "<p>\(escape(p))</p>\n"
                // The seeds' empty paragraphs made of no-break spaces.
                if k % 3 == 1 { h += "<p>&nbsp;</p>\n<p> &nbsp; </p>\n" }
            }
            if k == paragraphs.count / 2, !related.isEmpty {
                // An inline "read also" box in the middle of the article.
                h += "<div class=\"read-also\"><strong>\(ar ? "اقرأ أيضا:" : "بیشتر بخوانید:")</strong> <a href=\"/n/2\">\(escape(related[0]))</a></div>\n"
                h += "<p><a href=\"/n/3\">\(ar ? "اقرأ أيضا" : "بیشتر بخوانید"): \(escape(related.last ?? related[0]))</a></p>\n"
            }
        }
        h += "</div>\n"
        for junk in extraJunk { h += "<div class=\"widget\"><p>\(escape(junk))</p></div>" }
        if !tags.isEmpty {
            h += "<div class=\"post-tags\"><span>\(ar ? "الكلمات الدلالية:" : "برچسب‌ها:")</span>" + tags.map { "<a href=\"/tag/\($0)\" rel=\"tag\">\(escape($0))</a>" }.joined(separator: " ") + "</div>"
        }
        h += "<div class=\"share-buttons bottom\"><span>\(ar ? "شارك هذا الخبر:" : "اشتراک گذاری:")</span><a href=\"#\">واتساب</a><a href=\"#\">تلغرام</a></div>"
        h += "<div class=\"short-link\">\(ar ? "رابط مختصر" : "لینک کوتاه"): https://example.com/?p=1215752</div>"
        h += "</article>"
        if !related.isEmpty {
            h += "<section class=\"related-posts\"><h3>\(ar ? "شاهد أيضاً" : "مطالب مرتبط")</h3><ul>"
            h += related.map { "<li><a href=\"/n/\($0.count)\">\(escape($0))</a></li>" }.joined()
            h += "</ul></section>"
        }
        h += "<div id=\"comments\" class=\"comments-area\"><h3>\(ar ? "التعليقات" : "نظرات")</h3>"
        h += "<p class=\"no-comments\">\(ar ? "لا توجد تعليقات بعد. كن أول من يعلق." : "هنوز نظری اضافه نشده است. شما اولین نظر را بدهید.")</p>"
        h += "<form id=\"commentform\"><label>\(ar ? "الاسم" : "نام")</label><input name=\"n\"><textarea>\(ar ? "اكتب تعليقك" : "نظر خود را بنویسید")</textarea><button>\(ar ? "إرسال" : "ارسال")</button></form></div>"
        h += "</main><aside class=\"col-md-4 sidebar\"><div class=\"widget most-read\"><h3>\(ar ? "الأكثر قراءة" : "پربازدیدترین")</h3><ol>"
        h += (related.isEmpty ? menu : related).map { "<li><a href=\"/m/\($0.count)\">\(escape($0))</a></li>" }.joined()
        h += "</ol></div><div class=\"widget telegram\"><a href=\"https://t.me/x\">\(ar ? "انضموا إلى قناتنا على تلغرام" : "به کانال تلگرام سایت ملیون ایران بپیوندید")</a></div></aside></div></div>"
        h += "<footer class=\"site-footer\"><ul>" + menu.map { "<li><a href=\"/f/\($0)\">\($0)</a></li>" }.joined() + "</ul>"
        h += "<p>\(ar ? "جميع الحقوق محفوظة © 2023 موقع الأخبار" : "کلیه حقوق این سایت محفوظ است © ۱۴۰۲")</p></footer>"
        h += "<script>document.write('<p>not text</p>')</script></body></html>\n"
        return h
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The paragraphs extraction must return, exactly: lede, then paragraphs (subheadings as text).
    var expected: [String] {
        ((lede.map { [$0] } ?? []) + paragraphs.map { $0.hasPrefix("## ") ? String($0.dropFirst(3)) : $0 })
            .map { CorpusText.cleanParagraph($0) }.filter { !$0.isEmpty }
    }
}

/// The seeds copied into the test fixtures (`Fixtures/seeds`, the files of `../shared/seeds/`).
enum Seeds {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/seeds")

    /// Lines of a seed, 1-based as `awk` numbers them, no-break-space-only lines kept.
    static func lines(_ prefix: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        guard let name = names.first(where: { $0.hasPrefix(prefix) }) else { throw SeedError.missing(prefix) }
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return text.components(separatedBy: "\n")
    }

    static func line(_ lines: [String], _ n: Int) -> String { lines[n - 1] }

    /// Non-empty lines (after cleaning) in `range`, 1-based, both ends included.
    static func body(_ lines: [String], _ range: ClosedRange<Int>) -> [String] {
        range.map { lines[$0 - 1] }.filter { !CorpusText.cleanParagraph($0).isEmpty }
    }

    enum SeedError: Error { case missing(String) }
}
