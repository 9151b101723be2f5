import KhabarCorpus
import KhabarDiscover
import KhabarExtract
import KhabarHTTP
import KhabarState

/// Versions of Khabar and the C libraries it runs on, for `khabar --version`.
public enum Versions {
    public static let khabar = "0.1.0"

    public static var summary: String {
        "khabar \(khabar) (\(Curl.version); libxml2 \(KhabarExtract.htmlLibraryVersion); SQLite \(KhabarState.sqliteVersion))"
    }
}
