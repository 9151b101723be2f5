import FuzzSupport
import KhabarService

/// Arbitrary bytes as a configuration file, at two levels:
/// - the TOML parser on the raw bytes (invalid UTF-8 included) must end in a tree or a typed
///   error whose position lies inside the input;
/// - the configuration loader on the text must end in a configuration or issues, and an accepted
///   configuration must print and parse back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do {
        _ = try TOMLParser.parse(utf8: bytes)
    } catch {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
        guard error.byteOffset >= 0, error.byteOffset <= size, error.position.line >= 1, error.position.line <= lines,
              error.position.column >= 1, !error.description.contains("\n") else {
            fatalError("a TOML error outside the input or on several lines: \(error)")
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let config = try? ConfigLoader.parse(text, file: "fuzz.toml") {
        let printed = ConfigPrinter.render(config)
        guard let again = try? ConfigLoader.parse(printed, file: "fuzz.toml"), again == config else {
            fatalError("a valid configuration did not survive printing:\n\(printed)")
        }
    }
    return 0
}

@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzConfig)
}
