import Foundation
import KhabarService
import KhabarDaemonTestSupport
import KhabarTestSupport
import Testing

// MARK: Fixture articles

/// Articles made from the seed corpus (`../shared/seeds`): each seed's first line as the headline,
/// its other non-empty lines as paragraphs, in a realistic news page.
enum SeedArticles {
    struct Seed {
        var name: String
        var headline: String
        var paragraphs: [String]
        var lang: String
    }

    static func load() throws -> [Seed] {
        let folder = sharedFolder.appendingPathComponent("seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let lines = text.split(separator: "\n").map { $0.replacingOccurrences(of: "\u{00A0}", with: " ").trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let persian = name.hasPrefix("000")
            return Seed(name: name, headline: lines.first ?? name, paragraphs: Array(lines.dropFirst()), lang: persian ? "fa" : "ar")
        }
    }

    static func article(_ seed: Seed, path: String, channels: Set<FixtureSite.Channel>, hoursAgo: Double = 1,
                        extraParagraph: String? = nil) -> FixtureSite.Article {
        let published = Date().addingTimeInterval(-hoursAgo * 3_600)
        let paragraphs = seed.paragraphs + (extraParagraph.map { [$0] } ?? [])
        return FixtureSite.Article(path: path, html: FixtureSite.newsPage(headline: seed.headline, paragraphs: paragraphs,
                                                                          lang: seed.lang, published: published),
                                   title: seed.headline, published: published, channels: channels)
    }
}

/// Real pages from the extraction benchmark (`../shared/bench/aeb`), decompressed.
enum BenchPages {
    static func load(_ count: Int, offset: Int = 0) throws -> [[UInt8]] {
        let folder = sharedFolder.appendingPathComponent("bench/aeb/html")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html.gz") }.sorted()
        return try names.dropFirst(offset).prefix(count).map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return try Gzip.decompress([UInt8](data), limit: 50_000_000)
        }
    }

    static func article(_ body: [UInt8], path: String, title: String, channels: Set<FixtureSite.Channel>) -> FixtureSite.Article {
        FixtureSite.Article(path: path, body: body, contentType: "text/html; charset=utf-8", title: title,
                            published: Date().addingTimeInterval(-7_200), channels: channels)
    }
}

/// Arabic paragraphs written for the tests (not from any site), about `topic`.
func arabicArticle(topic: String, mention: String?) -> [String] {
    [
        "قالت مصادر مطلعة يوم الأحد إن اجتماعاً موسعاً عُقد في العاصمة لبحث \(topic)، بحضور عدد من المسؤولين والخبراء.",
        "وأوضحت المصادر أن المجتمعين ناقشوا خططاً جديدة للسنوات المقبلة، وأكدوا أهمية التعاون بين المؤسسات المختلفة في هذا المجال.",
        "وأضافت أن التقارير الأولية تشير إلى تحسن ملحوظ في المؤشرات خلال الأشهر الماضية، رغم التحديات الاقتصادية التي تواجه المنطقة.\(mention.map { " وتطرق الحديث أيضاً إلى \($0) ودورها في المنطقة." } ?? "")",
        "ومن المقرر أن تُعرض التوصيات النهائية على الجهات المختصة خلال الأسابيع القادمة، على أن يبدأ التنفيذ مطلع العام المقبل.",
    ]
}
