import CCurl

/// libcurl as linked into this process.
public enum Curl {
    /// `curl_version()`, e.g. `libcurl/7.88.1 OpenSSL/3.0.19 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 …`.
    public static var version: String { String(cString: curl_version()) }
}
