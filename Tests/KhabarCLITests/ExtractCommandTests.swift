import Foundation
import Testing

/// `khabar extract`, run as the real binary on real files.
@Suite struct ExtractCommandTests {
    static let arabicPage = """
    <!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>تعاون أمني بين موسكو وطهران - موقع الأخبار</title>
    <meta property="og:title" content="تعاون أمني بين موسكو وطهران">
    <meta property="article:published_time" content="2022-07-19T11:30:00+04:30">
    <meta name="author" content="سارة أحمد">
    <link rel="canonical" href="/news/2022/07/19/cooperation.html"></head>
    <body><nav><a href="/">الرئيسية</a><a href="/s">سياسة</a></nav>
    <article><h1>تعاون أمني بين موسكو وطهران</h1>
    <div class="share"><a href="#">فيسبوك</a><a href="#">تويتر</a></div>
    <div class="article-body">
    <p>قال وزير الخارجية إن التعاون بين البلدين سيستمر، وإن المحادثات القادمة ستتناول ملفات الأمن والطاقة والتجارة.</p>
    <p>&nbsp;</p>
    <p>وأضاف في مؤتمر صحفي عقده في العاصمة أن الاتفاق الجديد يشمل تبادل المعلومات وتنسيق المواقف في المحافل الدولية.</p>
    <p><a href="/x">اقرأ أيضا: روسيا وإيران.. تنافس أم تعاون؟</a></p>
    <p>ومن المتوقع أن يزور وفد رفيع المستوى المنطقة الشهر المقبل لاستكمال المباحثات حول القضايا العالقة بين الطرفين.</p>
    </div></article>
    <aside class="sidebar"><h3>الأكثر قراءة</h3><ul><li><a href="/1">خبر أول</a></li><li><a href="/2">خبر ثان</a></li></ul></aside>
    <footer>جميع الحقوق محفوظة</footer></body></html>
    """

    static let expectedBody = [
        "قال وزير الخارجية إن التعاون بين البلدين سيستمر، وإن المحادثات القادمة ستتناول ملفات الأمن والطاقة والتجارة.",
        "وأضاف في مؤتمر صحفي عقده في العاصمة أن الاتفاق الجديد يشمل تبادل المعلومات وتنسيق المواقف في المحافل الدولية.",
        "ومن المتوقع أن يزور وفد رفيع المستوى المنطقة الشهر المقبل لاستكمال المباحثات حول القضايا العالقة بين الطرفين.",
    ]

    func gzip(_ file: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", file.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func printsTheCorpusFormatWithoutConfiguration() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let page = try dir.write("a.html", Self.arabicPage)
        // Run in an empty folder: no config/khabar.toml there, and none is needed.
        let r = try KhabarProcess.run(["extract", page.path], in: dir.url)
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == (["تعاون أمني بين موسكو وطهران"] + Self.expectedBody).joined(separator: "\n") + "\n")
    }

    @Test func writesTheBenchmarkJSONForAFolderOfPlainAndGzippedPages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("pages/one.html", Self.arabicPage)
        let two = try dir.write("pages/sub/two.html", Self.arabicPage.replacingOccurrences(of: "سارة أحمد", with: "علي حسن"))
        try gzip(two)
        _ = try dir.write("pages/notes.txt", "not a page")
        let out = dir.file("out.json")
        let r = try KhabarProcess.run(["extract", dir.file("pages").path, "--json", out.path, "--url", "https://news.example/a/b.html"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: [String: Any]])
        #expect(Set(json.keys) == ["one", "two"])
        let one = try #require(json["one"])
        #expect(one["articleBody"] as? String == Self.expectedBody.joined(separator: "\n"))
        #expect(one["title"] as? String == "تعاون أمني بين موسكو وطهران")
        #expect(one["published"] as? String == "2022-07-19T11:30:00+04:30")
        #expect(one["author"] as? String == "سارة أحمد")
        #expect(one["lang"] as? String == "ar")
        #expect(one["url"] as? String == "https://news.example/news/2022/07/19/cooperation.html")
        #expect(json["two"]?["author"] as? String == "علي حسن")
        #expect(Set(one.keys) == ["articleBody", "title", "published", "author", "lang", "url"])
    }

    @Test func aFailingFileIsReportedAndTheRestGoOn() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good = try dir.write("good.html", Self.arabicPage)
        let empty = try dir.write("empty.html", "")
        let broken = try dir.write("broken.html.gz", "this is not gzip data at all")
        let corrupt = dir.file("corrupt.html.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF]).write(to: corrupt)
        let out = dir.file("out.json")
        let r = try KhabarProcess.run(["extract", empty.path, good.path, broken.path, corrupt.path, dir.file("missing.html").path, "--json", out.path])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.contains("khabar: \(broken.path): not gzip data"))
        #expect(lines.contains { $0.hasPrefix("khabar: \(corrupt.path): invalid gzip data") })
        #expect(lines.contains("khabar: \(dir.file("missing.html").path): no such file or folder"))
        #expect(lines.contains("khabar: \(empty.path): empty page"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: [String: Any]])
        #expect(Set(json.keys) == ["good"])
        _ = good
    }
}
