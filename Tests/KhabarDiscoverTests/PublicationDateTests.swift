import Foundation
import Testing
@testable import KhabarDiscover

@Suite struct PublicationDateTests {
    /// text → RFC 3339 as kept (the source's own offset; `Z` for UTC or none; a day alone).
    static let table: [(String, String)] = [
        // RSS pubDate (RFC 822/2822) and its real-world variants
        ("Tue, 19 Jul 2022 08:00:00 GMT", "2022-07-19T08:00:00Z"),
        ("Tue, 19 Jul 2022 11:30:00 +0430", "2022-07-19T11:30:00+04:30"),
        ("Tue, 19 Jul 2022 11:30:00 +04:30", "2022-07-19T11:30:00+04:30"),
        ("Tue, 19 Jul 2022 03:00:00 EST", "2022-07-19T03:00:00-05:00"),
        ("Tue, 19 Jul 2022 04:00:00 EDT", "2022-07-19T04:00:00-04:00"),
        ("Tue, 19 Jul 2022 10:00:00 PDT", "2022-07-19T10:00:00-07:00"),
        ("Tue, 19 Jul 2022 11:30:00 IRST", "2022-07-19T11:30:00+03:30"),
        ("Tue, 19 Jul 2022 08:00:00 UT", "2022-07-19T08:00:00Z"),
        ("Tue, 19 Jul 2022 08:00:00 -0000", "2022-07-19T08:00:00Z"),
        ("Tue, 19 Jul 2022 08:00:00 +0000", "2022-07-19T08:00:00Z"),
        ("Tue, 19 Jul 2022 08:00:00 Z", "2022-07-19T08:00:00Z"),
        ("Tue, 19 Jul 2022 08:00:00 A", "2022-07-19T08:00:00Z"),
        ("19 Jul 2022 08:00 +0300", "2022-07-19T08:00:00+03:00"),
        ("Tuesday, 19 July 2022 08:00:00 +0300", "2022-07-19T08:00:00+03:00"),
        ("Tue, 19 Jul 22 08:00:00 GMT", "2022-07-19T08:00:00Z"),
        ("Tue,19 Jul 2022 08:00:00 GMT", "2022-07-19T08:00:00Z"),
        ("Tue, 19-Jul-2022 08:00:00 GMT", "2022-07-19T08:00:00Z"),
        ("Tue, 9 jul 2022 8:05:09 gmt", "2022-07-09T08:05:09Z"),
        ("Tue, 19 Jul 2022 11:30:00 +0430 (IRDT)", "2022-07-19T11:30:00+04:30"),
        ("Tue Jul 19 2022 11:30:00 GMT+0430", "2022-07-19T11:30:00+04:30"),
        ("Jul 19, 2022 08:00:00 PM +0300", "2022-07-19T20:00:00+03:00"),
        ("Tue, 19 Jul 2022 12:00:00 AM GMT", "2022-07-19T00:00:00Z"),
        ("Tue, 19 Jul 2022", "2022-07-19"),
        ("Tue, 19 Jul 2022 08:00:00 XYZT", "2022-07-19T08:00:00Z"),
        ("Tue, 19 Jul 2022 08:00:00.123 GMT", "2022-07-19T08:00:00Z"),
        // Localised month names (against the RFC, but seen)
        ("الثلاثاء، 19 يوليو 2022 11:30:00 +0300", "2022-07-19T11:30:00+03:00"),
        ("۲۸ ژوئیه ۲۰۲۲ ۱۱:۳۰ +0430", "2022-07-28T11:30:00+04:30"),
        ("19 أغسطس 2022", "2022-08-19"),
        // Persian and Arabic-Indic digits
        ("Tue, ۱۹ Jul ۲۰۲۲ ۱۱:۳۰:۰۰ +0430", "2022-07-19T11:30:00+04:30"),
        ("٢٠٢٢-٠٧-١٩T٠٨:٠٠:٠٠Z", "2022-07-19T08:00:00Z"),
        // ISO 8601 / RFC 3339 / W3C-DTF
        ("2022-07-19T11:30:00+04:30", "2022-07-19T11:30:00+04:30"),
        ("2022-07-19T08:00:00Z", "2022-07-19T08:00:00Z"),
        ("2022-07-19T08:00:00z", "2022-07-19T08:00:00Z"),
        ("2022-07-19T08:00:00.123456+03:00", "2022-07-19T08:00:00+03:00"),
        ("2022-07-19T08:00+03:00", "2022-07-19T08:00:00+03:00"),
        ("2022-07-19T08:00:00+0300", "2022-07-19T08:00:00+03:00"),
        ("2022-07-19T08:00:00+03", "2022-07-19T08:00:00+03:00"),
        ("2022-07-19T08:00:00-00:00", "2022-07-19T08:00:00Z"),
        ("2022-07-19T08:00:00", "2022-07-19T08:00:00Z"),
        ("2022-07-19 08:00:00", "2022-07-19T08:00:00Z"),
        ("2022-07-19 08:00:00 +0430", "2022-07-19T11:30:00+04:30".replacingOccurrences(of: "11:30", with: "08:00")),
        ("2022-07-19", "2022-07-19"),
        ("  2022-07-19T08:00:00Z\n", "2022-07-19T08:00:00Z"),
        ("2024-02-29", "2024-02-29"),
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
    ]

    @Test(arguments: table)
    func keepsTheStatedOffset(input: String, expected: String) throws {
        let d = try #require(PublicationDate.parse(input), "\(input)")
        #expect(d.rfc3339 == expected)
    }

    static let unreadable: [String] = [
        "", "   ", "yesterday", "1401/04/28", "2022-13-01", "2022-02-30", "2023-02-29", "2022-07-19T25:00:00Z",
        "2022-07-19T08:61:00Z", "2022-07-19T08:00:00+2500", "Tue, 32 Jul 2022 08:00:00 GMT", "Tue, 19 Foo 2022",
        "Tue, 19 Jul 202 08:00:00 GMT", "Tue, 19 Jul 2022 08:00:00 +04301", "2022-07", "2022", "0000-01-01",
        "9999-01-01T00:00:00Z", "Tue, 19 Jul 2022 13:00:00 PM GMT", String(repeating: "1", count: 10_000),
        "2022-07-19T08:00:00Zjunk", "19 Jul 2022 08:00:00 GMT 2023",
    ]

    @Test(arguments: unreadable)
    func refusesWhatItCannotReadWithConfidence(input: String) {
        #expect(PublicationDate.parse(input) == nil)
    }

    @Test func instantsAccountForTheOffset() throws {
        let tehran = try #require(PublicationDate.parse("Tue, 19 Jul 2022 11:30:00 +0430"))
        let utc = try #require(PublicationDate.parse("2022-07-19T07:00:00Z"))
        let ny = try #require(PublicationDate.parse("Tue, 19 Jul 2022 03:00:00 EDT"))
        #expect(tehran.secondsSince1970 == utc.secondsSince1970)
        #expect(ny.secondsSince1970 == utc.secondsSince1970)
        #expect(utc.secondsSince1970 == 1_658_214_000)
        #expect(tehran.date == Date(timeIntervalSince1970: 1_658_214_000))
        #expect(tehran.hasTime)
        let day = try #require(PublicationDate.parse("2022-07-19"))
        #expect(!day.hasTime)
        #expect(day.secondsSince1970 == 1_658_188_800)
        #expect(day < utc)
        #expect(try #require(PublicationDate.parse("1970-01-01T00:00:00Z")).secondsSince1970 == 0)
        #expect(try #require(PublicationDate.parse("1969-12-31")).secondsSince1970 == -86_400)
    }
}
