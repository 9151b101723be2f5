import Glibc
import KhabarText

/// Everything that can go wrong with the corpus folder, each with the path involved, so a log
/// line or the CLI can say what and where in one line.
public enum CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed: `operation` is what was attempted ("write", "fsync", "rename to
    /// 005_….txt"), `errno` the C error number (EROFS, EFBIG, ENOSPC, …).
    case system(operation: String, path: String, errno: Int32)
    /// The corpus path exists but is not a directory.
    case notADirectory(path: String)
    /// A text offered for appending breaks the corpus text rules (DESIGN.md "Text file format").
    case invalidText(violations: [CorpusText.Violation])
    /// A change-log line that cannot be read.
    case malformedChangeLog(path: String, line: Int, reason: String)
    /// The text was written as `file`, but finishing the append failed; the start-up
    /// reconciliation (or the next append) writes its change-log line.
    case appendIncomplete(file: String, underlying: String)
    /// Appending needs a corpus opened for writing.
    case readOnly(path: String)

    public var description: String {
        switch self {
        case let .system(operation, path, code):
            return "cannot \(operation) \(path): \(CorpusError.errnoText(code))"
        case let .notADirectory(path):
            return "\(path) is not a directory"
        case let .invalidText(violations):
            let first = violations.prefix(3).map(\.description).joined(separator: "; ")
            let more = violations.count > 3 ? " (and \(violations.count - 3) more)" : ""
            return "the text breaks the corpus text rules: \(first)\(more)"
        case let .malformedChangeLog(path, line, reason):
            return "\(path):\(line): unreadable change-log line: \(reason)"
        case let .appendIncomplete(file, underlying):
            return "\(file) was written but its change-log line is pending (\(underlying)); it is completed at the next start"
        case let .readOnly(path):
            return "the corpus \(path) was opened read-only"
        }
    }

    /// The errno number, when the failure was a system call.
    public var errno: Int32? {
        if case let .system(_, _, code) = self { return code }
        return nil
    }

    /// `strerror` text plus the symbolic name, e.g. `File too large (EFBIG)`.
    public static func errnoText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        if let name = errnoNames[code] { return "\(text) (\(name))" }
        return "\(text) (errno \(code))"
    }

    private static let errnoNames: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EBADF: "EBADF", EACCES: "EACCES",
        EEXIST: "EEXIST", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL", EMFILE: "EMFILE",
        EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS", EDQUOT: "EDQUOT", ENAMETOOLONG: "ENAMETOOLONG",
        EWOULDBLOCK: "EWOULDBLOCK", EINTR: "EINTR", ENOLCK: "ENOLCK",
    ]
}
