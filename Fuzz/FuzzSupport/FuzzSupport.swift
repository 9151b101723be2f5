/// Shared pieces of the fuzzers (see Fuzz/README.md).
///
/// Each fuzzer is an executable target compiled with `-parse-as-library`. It defines
/// `LLVMFuzzerTestOneInput` with `@_cdecl`, and also `<Target>_main`: SwiftPM links every executable
/// with `main` aliased to that symbol, so it becomes the process entry point and hands control to
/// libFuzzer's driver, exactly as libFuzzer's own `main` would.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer's driver on the process arguments with `callback` as the input function.
public func runLibFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}

/// Stops the run with `message` when an invariant does not hold. libFuzzer reports the trap as a
/// crash and saves the input, exactly as it does for a real crash.
public func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        fatalError("invariant broken: \(message())", file: file, line: line)
    }
}

/// True for a text usable as one log line: no line breaks or other control characters.
public func isOneLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }
}

/// The fuzz input as an array (libFuzzer passes a null pointer for the empty input).
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Splits an optional header line off the input: `Prefix: value\n` at the very start gives
/// (value, rest); otherwise (nil, input). Lets seeds carry a Content-Type beside the body
/// without taking bytes from the body's own start (where a BOM or `<?xml` matter).
public func headerLine(_ input: [UInt8], prefix: String) -> (value: String?, rest: [UInt8]) {
    let p = Array(prefix.utf8)
    guard input.count >= p.count, Array(input[0..<p.count]) == p else { return (nil, input) }
    let end = input[p.count...].firstIndex(of: 0x0A) ?? input.endIndex
    let value = String(decoding: input[p.count..<end], as: UTF8.self)
    let rest = end < input.endIndex ? Array(input[(end + 1)...]) : []
    return (value, rest)
}
