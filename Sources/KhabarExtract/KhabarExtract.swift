import KhabarHTML

/// Article extraction: HTML bytes in, an `Article` out. See docs/extraction.md and `Extractor`.
public enum KhabarExtract {
    public static let htmlLibraryVersion = LibXML2.version
}
