import Foundation
import Logging

/// A swift-log handler that writes one logfmt line per event to stderr:
/// `ts=2026-11-23T10:04:05.123Z level=info msg="added" source=roayah url=https://…`.
///
/// One `write(2)` per line, so lines from several threads never interleave.
public struct LogfmtHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "ts=\(Self.timestamp()) level=\(event.level.rawValue) msg=\(Self.value(event.message.description))"
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " \(Self.key(key))=\(Self.value(merged[key]!.description))"
        }
        line += "\n"
        line.withCString { ptr in
            var remaining = strlen(ptr)
            var p = ptr
            while remaining > 0 {
                let n = Foundation.write(2, p, remaining)
                if n <= 0 { break }
                remaining -= n
                p += n
            }
        }
    }

    /// Bootstraps swift-log once per process with this handler at `level`.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in LogfmtHandler(label: label, level: level) }
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var tm = tm()
        var seconds = ts.tv_sec
        gmtime_r(&seconds, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
                      Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(ts.tv_nsec / 1_000_000))
    }

    static func key(_ k: String) -> String {
        String(k.unicodeScalars.map { s -> Character in
            (s.value > 0x20 && s.value < 0x7F && s != "=" && s != "\"") ? Character(s) : "_"
        })
    }

    /// A logfmt value: bare when it has no space, quote or `=`, else quoted with escapes.
    static func value(_ v: String) -> String {
        if !v.isEmpty && !v.unicodeScalars.contains(where: { $0.value <= 0x20 || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value == 0x7F }) {
            return v
        }
        var out = "\""
        for s in v.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where s.value < 0x20 || s.value == 0x7F: out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(s)
            }
        }
        return out + "\""
    }
}
