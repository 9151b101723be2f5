import Foundation
import Testing

@Suite struct SystemdUnitTests {
    static let unit = repositoryRoot.appendingPathComponent("config/khabar.service")

    @Test func unitIsANotifyServiceWithWatchdogAndReload() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("Type=notify"))
        #expect(lines.contains { $0.hasPrefix("WatchdogSec=") })
        #expect(lines.contains("ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(lines.contains("ExecStart=/usr/local/bin/khabar run --config /etc/khabar/khabar.toml"))
        #expect(lines.contains("Restart=on-failure"))
        #expect(lines.contains("DynamicUser=yes"))
        #expect(lines.contains("StateDirectory=khabar"))
        #expect(lines.contains("ConfigurationDirectory=khabar"))
    }

    @Test func systemdRatesTheUnitTwoOrLower() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        p.arguments = ["security", "--offline=true", Self.unit.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let line = try #require(text.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let number = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        #expect(number <= 2.0, "\(line)")
    }
}
