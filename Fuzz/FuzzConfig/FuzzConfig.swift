import FuzzSupport
import KhabarService

/// Arbitrary bytes as a configuration file. Any outcome but a crash is fine; an accepted
/// configuration must print and parse back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
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
