import CCurl
import Glibc

/// What one transfer (one hop, one attempt) needs to know. Plain values: the engine turns them
/// into easy-handle options on its own thread.
struct TransferSpec: Sendable {
    var url: String
    var kind: RequestKind
    /// Extra request header lines (`If-None-Match: "x"`).
    var headerLines: [String]
    var userAgent: String
    var timeout: Duration
    var connectTimeout: Duration
    var lowSpeedLimit: Int
    var lowSpeedTime: Duration
    /// The decoded body limit.
    var maxBytes: Int64
    /// Keep the first `maxBytes` and finish instead of failing (robots.txt).
    var truncateAtLimit: Bool
    /// Refuse connections to non-public addresses (the host is not trusted, private addresses are not allowed).
    var checkAddresses: Bool
    var http2: Bool
    var caBundlePath: String?
}

/// What a transfer ended in, before retry and redirect policy look at it.
enum TransferOutcome: Sendable {
    case completed(TransferResponse)
    case failed(FetchFailure)
}

/// A complete answer of any status.
struct TransferResponse: Sendable {
    var status: Int
    /// The header lines of the final response as received (`Name: value\r\n` …), parsed by the
    /// caller's task rather than on the loop thread.
    var rawHeaders: [UInt8]
    /// Only kept for 2xx answers; error pages are read (up to a bound, so the connection survives) and dropped.
    var body: [UInt8]
    /// Where a 3xx points, resolved against the request URL by libcurl.
    var redirectURL: String?
    var wireBytes: Int64
    var httpVersion: String
    var remoteAddress: String?
    var truncated: Bool
}

/// One easy handle's life: options, callbacks, and the bytes and headers they collect.
///
/// Thread-safety: everything but `cancelRequested` is touched only by the engine's loop thread
/// (callbacks run inside `curl_multi_perform` there); the continuation is handed over through the
/// engine's locked inbox, which orders the accesses.
final class Transfer: @unchecked Sendable {
    let spec: TransferSpec
    let cancelRequested = Protected(false)
    var continuation: CheckedContinuation<TransferOutcome, Never>?

    // Loop-thread state.
    var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var body: [UInt8] = []
    private var rawHeaders: [UInt8] = []
    private var status = 0
    private var headersComplete = false
    /// A failure decided inside a callback (size, media type, address); it wins over libcurl's code.
    private var abort: FetchFailure?
    private var truncated = false
    /// Bytes of a non-2xx body read and dropped.
    private var discarded = 0
    private var stoppedReadingErrorBody = false
    private var blocked: String?

    /// A non-2xx body is read up to this and then dropped, so small error pages keep the connection
    /// alive while an endless one cannot hold the transfer.
    private static let errorBodyAllowance = 64 * 1024

    init(spec: TransferSpec) {
        self.spec = spec
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    var isCancelRequested: Bool { cancelRequested.withLock { $0 } }

    // MARK: Setting up

    /// Applies every option to `handle`. False when libcurl refused one (then the handle is unusable for this spec).
    func configure(_ handle: UnsafeMutableRawPointer) -> Bool {
        easy = handle
        let me = Unmanaged.passUnretained(self).toOpaque()
        var ok = true
        func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        func long(_ o: CURLoption, _ v: Int) { check(khabar_easy_setopt_long(handle, o, v)) }
        func string(_ o: CURLoption, _ v: String) { check(v.withCString { khabar_easy_setopt_string(handle, o, $0) }) }

        string(CURLOPT_URL, spec.url)
        long(CURLOPT_NOSIGNAL, 1)
        check(khabar_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        check(khabar_easy_setopt_write(handle, CURLOPT_WRITEFUNCTION, Transfer.writeCallback))
        check(khabar_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me))
        check(khabar_easy_setopt_write(handle, CURLOPT_HEADERFUNCTION, Transfer.headerCallback))
        check(khabar_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me))
        string(CURLOPT_USERAGENT, spec.userAgent)
        // "" offers every encoding this libcurl decodes (gzip, deflate, br, zstd) and decodes it,
        // so the write callback — and the body limit — see decoded bytes.
        string(CURLOPT_ACCEPT_ENCODING, "")
        string(CURLOPT_PROTOCOLS_STR, "http,https")
        string(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Redirects are followed by the client, one checked hop at a time.
        long(CURLOPT_FOLLOWLOCATION, 0)
        long(CURLOPT_HTTP_VERSION, Int(spec.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1))
        long(CURLOPT_PIPEWAIT, 1)
        // One read per typical page instead of four (the curl tool uses 100 KiB as well). Allocated
        // once per pooled handle: handles are not reset between transfers.
        long(CURLOPT_BUFFERSIZE, 100 * 1024)
        long(CURLOPT_SSL_VERIFYPEER, 1)
        long(CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = spec.caBundlePath { string(CURLOPT_CAINFO, ca) } // the same for every transfer of a client
        // No proxy from the environment: the address check must see the peer we really talk to.
        string(CURLOPT_PROXY, "")
        long(CURLOPT_TIMEOUT_MS, Transfer.milliseconds(spec.timeout))
        long(CURLOPT_CONNECTTIMEOUT_MS, Transfer.milliseconds(spec.connectTimeout))
        long(CURLOPT_LOW_SPEED_LIMIT, spec.lowSpeedLimit)
        long(CURLOPT_LOW_SPEED_TIME, spec.lowSpeedLimit > 0 ? max(1, Transfer.milliseconds(spec.lowSpeedTime) / 1000) : 0)
        for line in spec.headerLines { headerList = curl_slist_append(headerList, line) }
        check(khabar_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        // Handles are reused without `curl_easy_reset` (which would also drop the receive buffer):
        // every option that differs between transfers is set each time, these two included.
        if spec.checkAddresses {
            check(khabar_easy_setopt_opensocket(handle, CURLOPT_OPENSOCKETFUNCTION, Transfer.openSocketCallback))
            check(khabar_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, me))
            check(khabar_easy_setopt_prereq(handle, CURLOPT_PREREQFUNCTION, Transfer.prereqCallback))
            check(khabar_easy_setopt_pointer(handle, CURLOPT_PREREQDATA, me))
        } else {
            check(khabar_easy_setopt_opensocket(handle, CURLOPT_OPENSOCKETFUNCTION, nil))
            check(khabar_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, nil))
            check(khabar_easy_setopt_prereq(handle, CURLOPT_PREREQFUNCTION, nil))
            check(khabar_easy_setopt_pointer(handle, CURLOPT_PREREQDATA, nil))
        }
        return ok
    }

    /// Frees what `configure` allocated, before the handle goes back to the pool.
    func releaseResources() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
        easy = nil
    }

    static func milliseconds(_ d: Duration) -> Int {
        let (s, atto) = d.components
        return max(1, Int(s) * 1000 + Int(atto / 1_000_000_000_000_000))
    }

    // MARK: Callbacks (loop thread)

    static let writeCallback: curl_write_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
    }

    static let headerCallback: curl_write_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    }

    static let openSocketCallback: curl_opensocket_callback = { context, purpose, address in
        guard let context, let address else { return CURL_SOCKET_BAD }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let a = address.pointee
        let offset = MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr) ?? 16
        let sockaddrPointer = UnsafeRawPointer(address) + offset
        guard let ip = IPAddress(sockaddr: sockaddrPointer, length: Int(a.addrlen)) else {
            transfer.blocked = "of an unknown family"
            return CURL_SOCKET_BAD
        }
        if let why = ip.nonPublicClass {
            transfer.blocked = "\(ip) (\(why))"
            return CURL_SOCKET_BAD
        }
        return socket(a.family, a.socktype | Int32(SOCK_CLOEXEC.rawValue), a.protocol)
    }

    /// Runs for every request, on new and reused connections alike: a connection opened for a
    /// trusted request to the same name must not carry an untrusted one to a private address.
    static let prereqCallback: curl_prereq_callback = { context, primaryIP, _, _, _ in
        guard let context else { return Int32(CURL_PREREQFUNC_ABORT) }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        guard let primaryIP, let ip = IPAddress(String(cString: primaryIP)) else {
            transfer.blocked = "of an unknown kind"
            return Int32(CURL_PREREQFUNC_ABORT)
        }
        if let why = ip.nonPublicClass {
            transfer.blocked = "\(ip) (\(why))"
            return Int32(CURL_PREREQFUNC_ABORT)
        }
        return Int32(CURL_PREREQFUNC_OK)
    }

    private var isSuccessStatus: Bool { (200..<300).contains(status) }

    private func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        guard abort == nil else { return 0 }
        guard isSuccessStatus else {
            discarded += chunk.count
            if discarded > Transfer.errorBodyAllowance {
                stoppedReadingErrorBody = true
                return 0
            }
            return chunk.count
        }
        let room = spec.maxBytes - Int64(body.count)
        if Int64(chunk.count) > room {
            if spec.truncateAtLimit {
                if room > 0 { body.append(contentsOf: chunk.prefix(Int(room))) }
                truncated = true
            } else {
                abort = .tooLarge(limit: spec.maxBytes)
            }
            return 0
        }
        body.append(contentsOf: chunk)
        return chunk.count
    }

    private func receiveHeader(_ raw: UnsafeRawBufferPointer) -> Int {
        let count = raw.count
        if raw.starts(with: "HTTP/".utf8) {
            // A new response (an interim 1xx, or the next of several): start over.
            rawHeaders.removeAll(keepingCapacity: true)
            headersComplete = false
            status = Transfer.parseStatus(raw)
            return count
        }
        if raw.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            if !headersComplete {
                headersComplete = true
                if !headersAccepted() { return 0 }
            }
            return count
        }
        // Only collected here; `HTTPHeaders(raw:)` parses them on the caller's side.
        if rawHeaders.count < 256 * 1024 { rawHeaders.append(contentsOf: raw) }
        return count
    }

    /// The first moment a response can be judged: refuse a wrong media type or an announced
    /// oversized body before a byte of it is read. Reads the three fields it needs straight from
    /// the bytes: this runs on the loop thread for every response.
    private func headersAccepted() -> Bool {
        guard isSuccessStatus else { return true }
        var contentType: String?
        var contentLength: Int64?
        var encoded = false
        HTTPHeaders.scan(rawHeaders) { name, value in
            if HTTPHeaders.equalsLowercase(name, "content-type") {
                contentType = String(decoding: value, as: UTF8.self)
            } else if HTTPHeaders.equalsLowercase(name, "content-length") {
                contentLength = Int64(String(decoding: value, as: UTF8.self))
            } else if HTTPHeaders.equalsLowercase(name, "content-encoding") {
                encoded = !HTTPHeaders.equalsLowercase(value, "identity")
            }
        }
        if let contentType, let type = ContentType(contentType), !spec.kind.accepts(mediaType: type.mediaType) {
            abort = .contentType(type.mediaType, spec.kind)
            return false
        }
        if let length = contentLength, length >= 0 {
            if !encoded, length > spec.maxBytes, !spec.truncateAtLimit {
                abort = .tooLarge(limit: spec.maxBytes)
                return false
            }
            body.reserveCapacity(Int(min(length, spec.maxBytes, 8 << 20)))
        }
        return true
    }

    private static func parseStatus(_ line: UnsafeRawBufferPointer) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        var value = 0
        var digits = 0
        for b in line[(space + 1)...] {
            guard b >= 0x30 && b <= 0x39 else { break }
            value = value * 10 + Int(b - 0x30)
            digits += 1
            if digits == 3 { break }
        }
        return digits == 3 ? value : 0
    }

    // MARK: The end

    /// Reads what the handle knows and decides the outcome. Call before the handle is reset.
    func outcome(for code: CURLcode) -> TransferOutcome {
        guard let handle = easy else { return .failed(.cancelled) }
        var responseCode = 0
        _ = khabar_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        if responseCode > 0 { status = responseCode }

        if let abort { return .failed(abort) }
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && (truncated || stoppedReadingErrorBody)) {
            return .completed(response(handle))
        }
        let detail = message(for: code)
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return .failed(.dns(detail))
        case CURLE_COULDNT_CONNECT:
            if let blocked { return .failed(.blockedAddress(blocked)) }
            return .failed(.connect(detail))
        case CURLE_ABORTED_BY_CALLBACK:
            if let blocked { return .failed(.blockedAddress(blocked)) }
            return .failed(.cancelled)
        case CURLE_OPERATION_TIMEDOUT:
            return .failed(.timeout(timeoutKind(handle)))
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            return .failed(.tls(detail))
        case CURLE_URL_MALFORMAT:
            return .failed(.invalidURL(detail))
        case CURLE_FILESIZE_EXCEEDED:
            return .failed(.tooLarge(limit: spec.maxBytes))
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_TOO_MANY_REDIRECTS,
             CURLE_UNSUPPORTED_PROTOCOL: // the scheme was checked before: this is an HTTP/0.9 reply
            return .failed(.badResponse(detail))
        default:
            // Resets, truncated bodies, HTTP/2 stream errors, empty replies.
            let received = body.count + discarded
            return .failed(.connectionLost(received > 0 ? "\(detail) (after \(received) bytes)" : detail))
        }
    }

    private func response(_ handle: UnsafeMutableRawPointer) -> TransferResponse {
        var version = 0
        _ = khabar_easy_getinfo_long(handle, CURLINFO_HTTP_VERSION, &version)
        var wire: curl_off_t = 0
        _ = khabar_easy_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &wire)
        return TransferResponse(
            status: status,
            rawHeaders: rawHeaders,
            body: isSuccessStatus ? body : [],
            redirectURL: HTTPStatus.isRedirect(status) ? stringInfo(handle, CURLINFO_REDIRECT_URL) : nil,
            wireBytes: Int64(wire),
            httpVersion: Transfer.versionName(version),
            remoteAddress: stringInfo(handle, CURLINFO_PRIMARY_IP),
            truncated: truncated)
    }

    private func stringInfo(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard khabar_easy_getinfo_string(handle, info, &out) == CURLE_OK, let out else { return nil }
        let s = String(cString: out)
        return s.isEmpty ? nil : s
    }

    private func timeoutKind(_ handle: UnsafeMutableRawPointer) -> FetchFailure.TimeoutKind {
        var connectTime: curl_off_t = 0
        _ = khabar_easy_getinfo_off(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
        var totalTime: curl_off_t = 0
        _ = khabar_easy_getinfo_off(handle, CURLINFO_TOTAL_TIME_T, &totalTime)
        // libcurl stamps the connect time for reused connections too; zero means it never connected.
        if connectTime == 0 && status == 0 { return .connect(spec.connectTimeout) }
        let totalMs = Int(totalTime / 1000)
        if totalMs + 100 >= Transfer.milliseconds(spec.timeout) || spec.lowSpeedLimit == 0 { return .total(spec.timeout) }
        return .lowSpeed(bytesPerSecond: spec.lowSpeedLimit, for: spec.lowSpeedTime)
    }

    private func message(for code: CURLcode) -> String {
        let buffered = String(cString: errorBuffer)
        if !buffered.isEmpty { return buffered }
        return String(cString: curl_easy_strerror(code))
    }

    private static func versionName(_ v: Int) -> String {
        switch v {
        case CURL_HTTP_VERSION_1_0: return "1.0"
        case CURL_HTTP_VERSION_1_1: return "1.1"
        case CURL_HTTP_VERSION_2_0: return "2"
        case 30: return "3"
        default: return "?"
        }
    }
}
