import Testing
@testable import KhabarService

@Suite struct UnitsTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("15m", .seconds(900)),
        ("2h", .seconds(7200)), ("1d", .seconds(86_400)), ("1h30m", .seconds(5400)), ("0s", .zero),
        ("1_000ms", .seconds(1)),
    ])
    func parsesDurations(text: String, expected: Duration) {
        #expect(Units.parseDuration(text) == expected)
    }

    @Test(arguments: ["", "30", "s", "30 seconds", "-5s", "1.5h", "5w", "1h 30m", "99999999999999999d"])
    func rejectsBadDurations(text: String) {
        #expect(Units.parseDuration(text) == nil)
    }

    @Test func formatsDurations() {
        #expect(Units.format(.seconds(5400)) == "1h30m")
        #expect(Units.format(.milliseconds(500)) == "500ms")
        #expect(Units.format(.seconds(259_200)) == "3d")
        #expect(Units.format(.zero) == "0s")
    }

    @Test(arguments: [
        ("5MB", Int64(5_000_000)), ("5_000_000", 5_000_000), ("512KiB", 524_288), ("1GB", 1_000_000_000),
        ("1.5MB", 1_500_000), ("100 kB", 100_000), ("2MiB", 2_097_152),
    ])
    func parsesSizes(text: String, expected: Int64) {
        #expect(Units.parseSize(text) == expected)
    }

    @Test(arguments: ["", "MB", "5 megabytes", "5TB", "-1MB", "99999999999GB"])
    func rejectsBadSizes(text: String) {
        #expect(Units.parseSize(text) == nil)
    }
}
