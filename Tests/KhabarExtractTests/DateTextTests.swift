import Testing
@testable import KhabarExtract

@Suite struct DateTextTests {
    @Test func isoKeepsTheOffset() {
        #expect(DateText.parseMachine("2022-07-19T11:30:00+04:30") == "2022-07-19T11:30:00+04:30")
        #expect(DateText.parseMachine("2022-07-19T11:30:00.123+0430") == "2022-07-19T11:30:00+04:30")
        #expect(DateText.parseMachine("2022-07-19T07:00:00Z") == "2022-07-19T07:00:00Z")
        #expect(DateText.parseMachine("2022-07-19T07:00:00+00:00") == "2022-07-19T07:00:00Z")
        #expect(DateText.parseMachine("2022-07-19 07:00") == "2022-07-19T07:00:00Z")
        #expect(DateText.parseMachine("2022-07-19") == "2022-07-19")
        #expect(DateText.parseMachine("2019-11-19T08:05:00-05:00") == "2019-11-19T08:05:00-05:00")
        #expect(DateText.parseMachine("2022/07/19") == "2022-07-19")
    }

    @Test func rfc822() {
        #expect(DateText.parseMachine("Tue, 19 Jul 2022 11:30:00 +0430") == "2022-07-19T11:30:00+04:30")
        #expect(DateText.parseMachine("Tue, 19 Jul 2022 11:30:00 GMT") == "2022-07-19T11:30:00Z")
    }

    @Test func nonsenseIsRefused() {
        #expect(DateText.parseMachine("yesterday") == nil)
        #expect(DateText.parseMachine("2022-13-40") == nil)
        #expect(DateText.parseMachine("") == nil)
    }

    @Test func solarHijriWithPersianDigits() {
        #expect(DateText.parseHuman("۱۱ تیر ۱۴۰۲") == "2023-07-02")
        #expect(DateText.parseHuman("یکشنبه, 11ام تیر, 1402") == "2023-07-02")
        #expect(DateText.parseHuman("۱ فروردین ۱۴۰۲") == "2023-03-21")
        #expect(DateText.parseHuman("٢٩ اسفند ١٣٩٨") == "2020-03-19")
        #expect(DateText.parseHuman("تاریخ انتشار: ۲۱ اردیبهشت ۱۳۹۹ - ۱۰:۳۰") == "2020-05-10")
    }

    @Test func arabicAndEnglishMonthNames() {
        #expect(DateText.parseHuman("الأربعاء 21 يناير 2015 07:01 ص") == "2015-01-21")
        #expect(DateText.parseHuman("الثلاثاء ١٩ تموز ٢٠٢٢") == "2022-07-19")
        #expect(DateText.parseHuman("3 كانون الثاني 2021") == "2021-01-03")
        #expect(DateText.parseHuman("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً") == "2020-04-24")
        #expect(DateText.parseHuman("November 19, 2019 at 5:30 p.m.") == "2019-11-19")
        #expect(DateText.parseHuman("19 November 2019") == "2019-11-19")
        #expect(DateText.parseHuman("no date here at all") == nil)
    }
}
