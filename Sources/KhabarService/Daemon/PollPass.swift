import Foundation

/// What `khabar poll` did for one source.
public struct SourcePollResult: Sendable {
    public var source: String
    public var discovery: DiscoveryReport
    /// Outcomes of the URLs fetched, by outcome.
    public var counts: [EventOutcome: Int]

    /// The source failed: none of its channels answered.
    public var failed: Bool { discovery.failed }
    public var fetched: Int { counts.values.reduce(0, +) }
}

extension Harvester {
    /// One pass over `contexts`, all at once: poll each source's channels, then fetch every URL of
    /// it that is due (new ones, revisits and retries whose time has come). Results in the order given.
    public func pollOnce(_ contexts: [SourceContext]) async -> [SourcePollResult] {
        let results = await withTaskGroup(of: (Int, SourcePollResult).self) { group in
            for (index, context) in contexts.enumerated() {
                group.addTask {
                    let report = await self.poll(context)
                    await self.drain(context)
                    let name = context.name ?? ""
                    return (index, SourcePollResult(source: name, discovery: report, counts: self.progress.counts(source: name)))
                }
            }
            var out: [(Int, SourcePollResult)] = []
            for await r in group { out.append(r) }
            return out
        }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// The text `khabar poll` prints: a live progress line (terminals only) and the summary table.
public enum PollSummary {
    /// The outcome columns, in DESIGN.md's order.
    static let outcomes = EventOutcome.allCases

    /// `polling 3 sources: 120 fetched — added 100, duplicate 5, failed 2`
    public static func progressLine(sources: Int, totals: [EventOutcome: Int]) -> String {
        let fetched = totals.values.reduce(0, +)
        var line = "polling \(sources) source\(sources == 1 ? "" : "s"): \(IngestOutcome.grouped(fetched)) fetched"
        let parts = outcomes.compactMap { o in totals[o].flatMap { $0 > 0 ? "\(o.rawValue) \(IngestOutcome.grouped($0))" : nil } }
        if !parts.isEmpty { line += " — " + parts.joined(separator: ", ") }
        return line
    }

    /// An aligned table: one row per source (channels answered, new URLs, URLs fetched, then a
    /// column per outcome that occurred, `added` and `failed` always), a total row when there are
    /// several sources, then one line per failed source with its first error.
    public static func table(_ results: [SourcePollResult]) -> String {
        let shown = outcomes.filter { o in o == .added || o == .failed || results.contains { ($0.counts[o] ?? 0) > 0 } }
        var header = ["source", "channels", "new urls", "fetched"] + shown.map(\.rawValue)
        header[0] = "source"
        var rows: [[String]] = results.map { r in
            let answered = r.discovery.channels.filter(\.answered).count
            return [r.source, "\(answered)/\(r.discovery.channels.count)", IngestOutcome.grouped(r.discovery.newURLs),
                    IngestOutcome.grouped(r.fetched)] + shown.map { IngestOutcome.grouped(r.counts[$0] ?? 0) }
        }
        if results.count > 1 {
            var totals: [EventOutcome: Int] = [:]
            for r in results { totals.merge(r.counts, uniquingKeysWith: +) }
            let answered = results.reduce(0) { $0 + $1.discovery.channels.filter(\.answered).count }
            let channels = results.reduce(0) { $0 + $1.discovery.channels.count }
            rows.append(["total", "\(answered)/\(channels)", IngestOutcome.grouped(results.reduce(0) { $0 + $1.discovery.newURLs }),
                         IngestOutcome.grouped(results.reduce(0) { $0 + $1.fetched })]
                        + shown.map { IngestOutcome.grouped(totals[$0] ?? 0) })
        }
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        var out = ""
        for row in all {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                line += i == 0 ? cell + pad : "  " + pad + cell
            }
            out += line + "\n"
        }
        for r in results where r.failed {
            out += "\(r.source): failed: \(r.discovery.firstError ?? "no channel answered")\n"
        }
        return out
    }
}
