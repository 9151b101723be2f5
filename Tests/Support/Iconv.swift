import Glibc

/// Text to a legacy encoding through the C library's iconv (Foundation on Linux has no
/// windows-1256); nil when a character has no byte there. Tests build windows-1256 pages with it.
public enum Iconv {
    public static func convert(_ text: String, to encoding: String) -> [UInt8]? {
        let cd = iconv_open(encoding, "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outBuf.count
                guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        return output[..<produced].map { UInt8(bitPattern: $0) }
    }
}
