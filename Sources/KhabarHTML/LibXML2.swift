import CLibXML2

/// Process-wide libxml2 set-up and facts.
public enum LibXML2 {
    /// The libxml2 this process runs with, as `2.9.14`: for `khabar --version` and bug reports.
    public static var version: String {
        let v = Int(LIBXML_VERSION)
        return "\(v / 10000).\(v / 100 % 100).\(v % 100)"
    }

    /// `xmlInitParser()` must run once before libxml2 is used from several threads; a global
    /// `let` is initialised exactly once, thread-safely, on first use.
    static let initialized: Void = { xmlInitParser() }()

    /// Makes sure libxml2 is initialised; cheap after the first call.
    @inline(__always)
    static func ensureInitialized() { _ = initialized }
}
