import CLibXML2

/// The libxml2 this process runs with, as `2.9.14`: for `khabar --version` and bug reports.
public enum LibXML2 {
    public static var version: String {
        let v = Int(LIBXML_VERSION)
        return "\(v / 10000).\(v / 100 % 100).\(v % 100)"
    }
}
