import CZlib

/// The content codings a test server can send. gzip and deflate are real zlib compression; br and
/// zstd are written as valid streams of stored (uncompressed) blocks — no brotli or zstd library is
/// needed to produce them, yet the client's real decoders must parse the framing to get the bytes.
public enum ContentCoding: String, Sendable, CaseIterable {
    case identity
    case gzip
    case deflate
    case br
    case zstd

    public func encode(_ body: [UInt8]) -> [UInt8] {
        switch self {
        case .identity: return body
        case .gzip: return Zlib.compress(body, windowBits: 31)
        case .deflate: return Zlib.compress(body, windowBits: 15)
        case .br: return Brotli.stored(body)
        case .zstd: return Zstd.raw(body)
        }
    }
}

/// zlib's deflate, through its real API.
public enum Zlib {
    /// `windowBits` 31: gzip wrapper; 15: zlib wrapper; -15: raw deflate.
    public static func compress(_ input: [UInt8], windowBits: Int32, level: Int32 = 6) -> [UInt8] {
        deflateOnce(input, windowBits: windowBits, memLevel: 8, level: level, flush: Z_FINISH)
    }

    /// Raw deflate of `input` from a fresh state, ended by a full flush: byte-aligned and
    /// independent of anything before it, so copies of it can be laid end to end in one stream.
    static func independentSegment(_ input: [UInt8], level: Int32 = 9) -> [UInt8] {
        deflateOnce(input, windowBits: -15, memLevel: 9, level: level, flush: Z_FULL_FLUSH)
    }

    /// One `deflate` call over the whole input into a buffer of `deflateBound`, ended by `flush`.
    private static func deflateOnce(_ input: [UInt8], windowBits: Int32, memLevel: Int32, level: Int32, flush: Int32) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                _ = deflate(&stream, flush)
            }
        }
        return Array(output.prefix(Int(stream.total_out)))
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}

/// A gzip stream that expands to `expandedSize` zero bytes, built from one compressed 1 MiB segment
/// repeated: about 1 KB per MiB, produced in microseconds, streamed without ever holding the
/// expansion. A valid file (CRC and size included): `gzip -t` accepts it.
public struct GzipBomb: Sendable {
    public let expandedSize: Int64
    private let segment: [UInt8]
    private let tail: [UInt8]
    private let trailer: [UInt8]
    private static let segmentSize = 1 << 20
    private static let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03]
    /// An empty final block with fixed codes.
    private static let finalBlock: [UInt8] = [0x03, 0x00]

    public init(expandedSize: Int64) {
        self.expandedSize = max(0, expandedSize)
        let zeros = [UInt8](repeating: 0, count: Self.segmentSize)
        segment = Zlib.independentSegment(zeros)
        let remainder = Int(self.expandedSize % Int64(Self.segmentSize))
        tail = remainder > 0 ? Zlib.independentSegment([UInt8](repeating: 0, count: remainder)) : []
        // CRC-32 of the whole expansion, combined segment by segment.
        let segmentCRC = Zlib.crc32(zeros)
        var crc: uLong = 0
        for _ in 0..<(self.expandedSize / Int64(Self.segmentSize)) {
            crc = crc32_combine(crc, uLong(segmentCRC), Int(Self.segmentSize))
        }
        if remainder > 0 {
            crc = crc32_combine(crc, uLong(Zlib.crc32([UInt8](repeating: 0, count: remainder))), remainder)
        }
        let size = UInt32(truncatingIfNeeded: self.expandedSize)
        trailer = Self.finalBlock + Self.littleEndian(UInt32(truncatingIfNeeded: crc)) + Self.littleEndian(size)
    }

    /// The compressed length (for `Content-Length`).
    public var compressedSize: Int {
        Self.header.count + segment.count * Int(expandedSize / Int64(Self.segmentSize)) + tail.count + trailer.count
    }

    /// Hands the stream to `sink` in pieces of about `pieceSize` bytes; stops when `sink` throws.
    public func stream<E: Error>(pieceSize: Int = 64 * 1024, _ sink: ([UInt8]) throws(E) -> Void) throws(E) {
        var buffer = Self.header
        for _ in 0..<(expandedSize / Int64(Self.segmentSize)) {
            buffer += segment
            if buffer.count >= pieceSize {
                try sink(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer += tail + trailer
        try sink(buffer)
    }

    /// The whole stream in memory (fine up to a few GB of expansion: about 1/1000 of it).
    public var bytes: [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(compressedSize)
        stream { (piece: [UInt8]) throws(Never) in all += piece }
        return all
    }

    private static func littleEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }
}

/// Brotli (RFC 7932) streams made only of uncompressed meta-blocks.
public enum Brotli {
    public static func stored(_ input: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.write(0, bits: 1) // WBITS = 16
        var offset = 0
        while offset < input.count {
            let n = min(1 << 16, input.count - offset)
            w.write(0, bits: 1)               // ISLAST = 0
            w.write(0, bits: 2)               // MNIBBLES = 4
            w.write(UInt64(n - 1), bits: 16)  // MLEN - 1
            w.write(1, bits: 1)               // ISUNCOMPRESSED
            w.alignToByte()
            w.bytes += input[offset..<(offset + n)]
            offset += n
        }
        w.write(1, bits: 1) // ISLAST
        w.write(1, bits: 1) // ISLASTEMPTY
        w.alignToByte()
        return w.bytes
    }

    private struct BitWriter {
        var bytes: [UInt8] = []
        private var bitCount = 0

        mutating func write(_ value: UInt64, bits: Int) {
            for i in 0..<bits {
                if bitCount == 0 { bytes.append(0) }
                if (value >> UInt64(i)) & 1 == 1 { bytes[bytes.count - 1] |= UInt8(1 << bitCount) }
                bitCount = (bitCount + 1) % 8
            }
        }

        mutating func alignToByte() { bitCount = 0 }
    }
}

/// Zstandard (RFC 8878) frames made of raw and run-length blocks.
public enum Zstd {
    private static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    /// No content size, no checksum; window 128 KiB (exponent 7).
    private static let frameHeader: [UInt8] = [0x00, 0x38]
    private static let maxBlock = 128 * 1024

    public static func raw(_ input: [UInt8]) -> [UInt8] {
        var out = magic + frameHeader
        var offset = 0
        repeat {
            let n = min(maxBlock, input.count - offset)
            let last = offset + n == input.count
            out += blockHeader(size: n, type: 0, last: last)
            out += input[offset..<(offset + n)]
            offset += n
        } while offset < input.count
        return out
    }

    /// A frame expanding to `expandedSize` copies of `byte`: 4 bytes per 128 KiB.
    public static func bomb(expandedSize: Int64, byte: UInt8 = 0) -> [UInt8] {
        var out = magic + frameHeader
        var left = max(0, expandedSize)
        repeat {
            let n = Int(min(Int64(maxBlock), left))
            left -= Int64(n)
            out += blockHeader(size: n, type: 1, last: left == 0)
            out.append(byte)
        } while left > 0
        return out
    }

    private static func blockHeader(size: Int, type: Int, last: Bool) -> [UInt8] {
        let v = UInt32(size) << 3 | UInt32(type) << 1 | (last ? 1 : 0)
        return [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF)]
    }
}
