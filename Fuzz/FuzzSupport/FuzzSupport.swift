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
