import Foundation
import Testing
@testable import KhabarCorpus

@Suite struct ContentHashTests {
    /// Computed with DESIGN.md's Python reference (Python 3.11) when these tests were written.
    static let vectors: [(String, String, String)] = [
        ("empty", "", "e3b0c44298fc1c14"),
        ("ascii", "Hello, world.\u{A}Second paragraph here.\u{A}", "3318d7a9b6ba094c"),
        ("arabic", "\u{62A}\u{639}\u{627}\u{648}\u{646} \u{623}\u{645}\u{646}\u{64A} \u{628}\u{64A}\u{646} \u{645}\u{648}\u{633}\u{643}\u{648} \u{648}\u{625}\u{64A}\u{631}\u{627}\u{646}\u{A}\u{648}\u{642}\u{639}\u{62A} \u{625}\u{64A}\u{631}\u{627}\u{646} \u{648}\u{631}\u{648}\u{633}\u{64A}\u{627} \u{645}\u{630}\u{643}\u{631}\u{629} \u{62A}\u{639}\u{627}\u{648}\u{646}.\u{A}", "7be4ea668fddd7ce"),
        ("persianZWNJ", "\u{645}\u{6CC}\u{200C}\u{6AF}\u{648}\u{6CC}\u{645} \u{6A9}\u{647} \u{646}\u{645}\u{6CC}\u{200C}\u{62F}\u{627}\u{646}\u{645}\u{A}\u{62E}\u{627}\u{646}\u{647}\u{200C}\u{647}\u{627} \u{628}\u{632}\u{631}\u{6AF}\u{200C}\u{627}\u{646}\u{62F}.\u{A}", "b8b0cca906af34b6"),
        ("persianNoZWNJ", "\u{645}\u{6CC}\u{6AF}\u{648}\u{6CC}\u{645} \u{6A9}\u{647} \u{646}\u{645}\u{6CC}\u{62F}\u{627}\u{646}\u{645}\u{A}\u{62E}\u{627}\u{646}\u{647}\u{647}\u{627} \u{628}\u{632}\u{631}\u{6AF}\u{627}\u{646}\u{62F}.\u{A}", "27ff42a21ef10bd8"),
        ("nbspRuns", "\u{627}\u{644}\u{641}\u{A0}\u{A0}\u{A0}\u{628} \u{A0} \u{62C}\u{A}\u{A0}\u{A}", "c878d0665e4b01f2"),
        ("mixedNewlines", "one\u{D}\u{A}two\u{D}three\u{A}four\u{2028}five\u{2029}six\u{85}seven\u{A}", "10c02045e013e9dc"),
        ("separators", "a\u{1C}b\u{1D}c\u{1E}d\u{1F}e\u{B}f\u{C}g", "54ff557e9f8f96a0"),
        ("unicodeSpaces", "\u{3000}x\u{2009}y\u{202F}z\u{205F}\u{1680}w\u{2000}\u{200A}\u{9}", "ae3fccae84b0e410"),
        ("nfd", "Cafe\u{301} e\u{301}te\u{301}\u{A}", "5f352c1e736925ec"),
        ("arabicMarksOrder", "\u{645}\u{64F}\u{62D}\u{64E}\u{645}\u{64E}\u{651}\u{62F}\u{A}\u{634}\u{62F}\u{651}\u{629}\u{A}", "055dd5cf5255591c"),
        ("shaddaThenFatha", "\u{645}\u{651}\u{64E}", "1b3f76b6eb4ee9da"),
        ("alefHamzaNFD", "\u{627}\u{654}\u{644}", "1eebc87267fd88f4"),
        ("zwspKept", "a\u{200B}b", "8df62aef5f92e4c3"),
        ("surrounding", "  \u{A}\u{9} padded \u{A}\u{A}", "c7f9b538b93ce513"),
        ("emoji", "news \u{1F4F0} \u{2014} \u{AB}\u{62E}\u{628}\u{631}\u{BB}\u{A}", "66e2c77a3c397d43"),
    ]

    @Test(arguments: vectors.map { $0.0 })
    func matchesThePythonReference(name: String) throws {
        let vector = try #require(Self.vectors.first { $0.0 == name })
        #expect(ContentHash.hash16(vector.1) == vector.2)
    }

    @Test func zwnjChangesTheHashButSpacingDoesNot() {
        #expect(ContentHash.hash16("می‌گویم") != ContentHash.hash16("میگویم"))
        #expect(ContentHash.hash16("a b\nc") == ContentHash.hash16("a\u{A0}\u{A0}b  c\n"))
        #expect(ContentHash.hash16("Caf\u{E9}") == ContentHash.hash16("Cafe\u{301}"))
    }

    @Test func normalizeCollapsesTheReferenceSpaces() {
        #expect(ContentHash.normalize(" a\u{1C}\u{1D} b\u{2028}c \u{3000}").unicodeScalars.elementsEqual("a b c".unicodeScalars))
        // U+200B is not space for the reference: kept.
        #expect(ContentHash.normalize("a\u{200B} b").unicodeScalars.elementsEqual("a\u{200B} b".unicodeScalars))
        // Canonical reordering of Arabic marks: shadda (ccc 33) after fatha (ccc 30).
        #expect(ContentHash.normalize("\u{645}\u{651}\u{64E}").unicodeScalars.map(\.value) == [0x645, 0x64E, 0x651])
    }

    @Test func seedsHashAsPythonComputesThem() throws {
        // python3 -c 'hash16(open(f).read())' over ../shared/seeds (their names carry an older hash).
        let expected = [
            "000_de78a005ce997951.txt": "df8d1e8e6199f994", "001_d51caa035671dfd6.txt": "96917cf18faaf8af",
            "002_746c2232f7cf15e1.txt": "d929cf97a0f6bd11", "003_288a1a9cb11646df.txt": "44d6ec27fe37ee69",
            "004_bdef607a632755b9.txt": "667bf6c307193776",
        ]
        for (name, hash) in expected {
            let data = try #require(FileManager.default.contents(atPath: "\(seedsDirectory)/\(name)"))
            #expect(ContentHash.hash16(bytes: Array(data)) == hash, "\(name)")
        }
    }

    /// Random strings over the characters that matter (Arabic letters and marks, ZWNJ, every
    /// kind of space, NFD sequences, separators, controls), hashed here and by python3.
    @Test func agreesWithPythonOnRandomInput() throws {
        let alphabet: [UInt32] = [
            0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680, 0x2000, 0x2005, 0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0x200B, 0x200C, 0x200D, 0xFEFF, 0x180E, 0x61, 0x41, 0x65, 0x301,
            0x308, 0x627, 0x628, 0x645, 0x64A, 0x6CC, 0x643, 0x6A9, 0x640, 0x64B, 0x64E, 0x650, 0x651, 0x652, 0x653,
            0x654, 0x655, 0x670, 0x6F1, 0x661, 0x1100, 0x1161, 0x11A8, 0xFB50, 0xFE8D, 0x1F4F0, 0x0, 0x7F,
        ]
        var generator = SystemRandomNumberGenerator()
        var inputs: [String] = []
        for _ in 0..<300 {
            let length = Int.random(in: 0...24, using: &generator)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length {
                scalars.append(Unicode.Scalar(alphabet.randomElement(using: &generator)!)!)
            }
            inputs.append(String(scalars))
        }
        let python = try runPython("""
            import hashlib, re, sys, unicodedata, json
            def hash16(text):
                n = re.sub(r"\\s+", " ", unicodedata.normalize("NFC", text)).strip()
                return hashlib.sha256(n.encode("utf-8")).hexdigest()[:16]
            for line in sys.stdin:
                print(hash16(json.loads(line)))
            """, input: inputs.map(jsonString).joined(separator: "\n") + "\n")
        let hashes = python.split(separator: "\n").map(String.init)
        try #require(hashes.count == inputs.count)
        for (input, hash) in zip(inputs, hashes) {
            #expect(ContentHash.hash16(input) == hash, "input scalars: \(input.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}

/// The seeds folder (copied, never written, by tests).
let seedsDirectory = "/work/shared/seeds"

/// `text` as a JSON string with every non-ASCII scalar escaped (exact, whatever the reader).
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x20...0x7E: out.unicodeScalars.append(scalar)
        case 0x10000...:
            let v = scalar.value - 0x10000
            out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
        default: out += String(format: "\\u%04x", scalar.value)
        }
    }
    return out + "\""
}

/// Runs python3 with `script`, feeding `input`; returns stdout.
func runPython(_ script: String, arguments: [String] = [], input: String = "") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
    inPipe.fileHandleForWriting.write(Data(input.utf8))
    try inPipe.fileHandleForWriting.close()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    let err = errPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailure(message: String(decoding: err, as: UTF8.self))
    }
    return String(decoding: out, as: UTF8.self)
}

struct PythonFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "python3 failed: \(message)" }
}
