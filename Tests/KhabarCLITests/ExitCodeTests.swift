import Foundation
import Testing

@Suite struct ExitCodeTests {
    @Test func checkConfigAcceptsTheShippedFile() throws {
        let r = try KhabarProcess.run(["check-config", "--config", repositoryRoot.appendingPathComponent("config/khabar.toml").path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("[daemon]\ncorpus_dir = \"state/corpus\"\n"))
        #expect(r.stdout.contains("name = \"roayah\"\nurl = \"https://roayahnews.com/\"\n"))
        #expect(r.stdout.components(separatedBy: "[[source]]").count == 6)
        #expect(r.stderr == "")
    }

    @Test func checkConfigRefusesSyntaxErrorWithLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("bad.toml", "[daemon]\ntimeout = \"30s\"\nmax_attempts = = 3\n").path
        let r = try KhabarProcess.run(["check-config", "--config", path])
        #expect(r.status == 2)
        #expect(r.stderr == "khabar: \(path):3:16: TOML syntax error: expected a value after '=', found '='\n")
        #expect(r.stdout == "")
    }

    @Test func checkConfigRefusesUnknownKeyAndBadDuration() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("bad.toml", """
            [daemon]
            timout = "30s"

            [[source]]
            name = "a"
            url = "https://example.com/"
            interval = "soon"

            """).path
        let r = try KhabarProcess.run(["check-config", "--config", path])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "khabar: \(path):2: [daemon] timout: unknown key (did you mean 'timeout'?)",
            "khabar: \(path):7: source \"a\" interval: expected a duration such as \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\", got \"soon\"",
        ])
    }

    @Test func missingConfigurationExits2() throws {
        let r = try KhabarProcess.run(["check-config", "--config", "/nonexistent/k.toml"])
        #expect(r.status == 2)
        #expect(r.stderr == "khabar: /nonexistent/k.toml: cannot read the configuration: No such file or directory\n")
    }

    @Test func unknownCommandExits2() throws {
        let r = try KhabarProcess.run(["frobnicate"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("khabar: "))
        #expect(r.stderr.contains("frobnicate"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func unknownOptionExits2() throws {
        let r = try KhabarProcess.run(["check-config", "--no-such-option"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--no-such-option"))
    }

    @Test func badLogLevelExits2() throws {
        let r = try KhabarProcess.run(["check-config", "--log-level", "loud"])
        #expect(r.status == 2)
    }

    @Test func helpExits0AndListsEveryCommand() throws {
        let r = try KhabarProcess.run(["--help"])
        #expect(r.status == 0)
        for command in ["run", "poll", "fetch", "extract", "log", "status", "check-config", "verify", "diff", "reindex"] {
            #expect(r.stdout.contains("  \(command) "), "help lists \(command)")
        }
    }

    @Test func versionNamesTheLibraries() throws {
        let r = try KhabarProcess.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("khabar 0.1.0 (libcurl/"))
        #expect(r.stdout.contains("libxml2 2."))
    }
}
