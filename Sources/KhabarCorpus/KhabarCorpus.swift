import KhabarText

/// The corpus folder: naming, hashing, SimHash, atomic append, change log, verification.
public enum KhabarCorpus {}
