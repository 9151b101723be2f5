import KhabarHTML

/// Discovery of article URLs: feeds, sitemaps, listing pages, URL canonicalisation.
public enum KhabarDiscover {}
