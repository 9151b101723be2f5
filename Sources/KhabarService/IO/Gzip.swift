import CZlib

/// gzip (and zlib) decompression with an output limit, for `.html.gz` files and gzipped sitemaps
/// (served as `application/gzip`, which libcurl does not decode: it is the body, not an encoding).
public enum Gzip {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The output would pass `limit` bytes: a bomb or simply too big.
        case tooLarge(limit: Int)
        /// The data is not valid gzip/zlib.
        case corrupt(String)

        public var description: String {
            switch self {
            case .tooLarge(let limit): return "decompressed size exceeds the limit of \(limit) bytes"
            case .corrupt(let why): return "invalid gzip data: \(why)"
            }
        }
    }

    /// True when `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var it = bytes.makeIterator()
        return it.next() == 0x1F && it.next() == 0x8B
    }

    /// Decompresses gzip or zlib data (several gzip members are read in turn), stopping with
    /// `.tooLarge` as soon as the output would pass `limit` bytes.
    public static func decompress(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 32: detect gzip or zlib headers automatically.
        guard khabar_inflate_init2(&stream, 15 + 32) == Z_OK else { throw .corrupt("inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(input.count * 4, 4096)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var failure: Failure?
        input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            chunk.withUnsafeMutableBufferPointer { outBuf in
                while true {
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    let produced = outBuf.count - Int(stream.avail_out)
                    if output.count + produced > limit {
                        failure = .tooLarge(limit: limit)
                        return
                    }
                    output.append(contentsOf: outBuf[0..<produced])
                    if status == Z_STREAM_END {
                        // Another gzip member may follow (concatenated .gz files).
                        if stream.avail_in > 0 && inflateReset(&stream) == Z_OK { continue }
                        return
                    }
                    if status == Z_BUF_ERROR && stream.avail_in == 0 {
                        failure = .corrupt("unexpected end of data")
                        return
                    }
                    if status != Z_OK {
                        let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        failure = .corrupt(message)
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
