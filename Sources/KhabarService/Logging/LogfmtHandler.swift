import Foundation
import Logging

/// A swift-log handler that writes one logfmt line per event to stderr:
/// `ts=2026-11-23T10:04:05.123Z level=info msg="added" source=roayah url=https://…`.
///
/// Three styles, chosen from where stderr goes:
/// - **journal** (stderr is the journald stream named by `$JOURNAL_STREAM`): each line starts with a
///   syslog priority `<N>` so `journalctl -p err` works, and carries no timestamp (journald adds one);
/// - **terminal**: timestamp, and the level in colour;
/// - **plain** (a file or a pipe): timestamp, no colour.
///
/// One `write(2)` per line, so lines from several threads never interleave.
public struct LogfmtHandler: LogHandler {
    public enum Style: Sendable, Equatable { case journal, terminal, plain }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let style: Style

    public init(label: String, level: Logger.Level, style: Style = .plain) {
        self.label = label
        self.logLevel = level
        self.style = style
    }

    /// The style for stderr in this process: journal when `$JOURNAL_STREAM` names stderr's
    /// device and inode, terminal when stderr is a TTY, else plain.
    public static func detectStyle(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        if let stream = environment["JOURNAL_STREAM"] {
            let parts = stream.split(separator: ":")
            var st = stat()
            if parts.count == 2, let dev = UInt64(parts[0]), let ino = UInt64(parts[1]), fstat(2, &st) == 0,
               UInt64(st.st_dev) == dev, UInt64(st.st_ino) == ino {
                return .journal
            }
        }
        return isatty(2) == 1 ? .terminal : .plain
    }

    /// The syslog priority journald files a line under.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Formats one event as a line (with its newline) in this handler's style.
    func format(level: Logger.Level, message: String, metadata extra: Logger.Metadata?) -> String {
        var line: String
        switch style {
        case .journal:
            line = "<\(Self.syslogPriority(level))>level=\(level.rawValue)"
        case .terminal:
            let colour: String
            switch level {
            case .error, .critical: colour = "\u{1B}[31m"
            case .warning: colour = "\u{1B}[33m"
            case .notice: colour = "\u{1B}[36m"
            case .trace, .debug: colour = "\u{1B}[2m"
            case .info: colour = ""
            }
            let reset = colour.isEmpty ? "" : "\u{1B}[0m"
            line = "ts=\(Self.timestamp()) level=\(colour)\(level.rawValue)\(reset)"
        case .plain:
            line = "ts=\(Self.timestamp()) level=\(level.rawValue)"
        }
        line += " msg=\(Self.value(message))"
        var merged = metadata
        if let extra { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " \(Self.key(key))=\(Self.value(merged[key]!.description))"
        }
        return line + "\n"
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = format(level: event.level, message: event.message.description, metadata: event.metadata)
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

    /// Bootstraps swift-log once per process with this handler at `level`, in the style stderr calls for.
    public static func bootstrap(level: Logger.Level) {
        let style = detectStyle()
        LoggingSystem.bootstrap { label in LogfmtHandler(label: label, level: level, style: style) }
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
