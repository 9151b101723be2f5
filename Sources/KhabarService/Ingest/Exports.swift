// The corpus and state modules are part of the service layer's public face: the CLI reads
// verification reports, diffs and events through these types.
@_exported import KhabarCorpus
@_exported import KhabarState
