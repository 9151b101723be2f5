import KhabarHTML
import KhabarText

/// Article extraction: HTML bytes in, an `Article` out. See docs/extraction.md.
public enum KhabarExtract {
    public static let htmlLibraryVersion = LibXML2.version
}
