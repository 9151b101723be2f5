import ArgumentParser
import KhabarService

struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the state's hash index from the corpus.",
        discussion: """
        Reads every corpus file and its change-log line and replaces the state's index (content \
        hashes, folded hashes, near-duplicate fingerprints, article identities). The corpus is the \
        truth; losing or damaging the state loses no text.
        """)
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        let corpus: Corpus
        do { corpus = try Corpus.open(directory: config.daemon.corpusDir) } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
        var out = ""
        for line in CorpusReportText.repairs(corpus.openingReport) { out += "repaired: \(line)\n" }
        let state: StateStore
        do { state = try StateStore(path: config.daemon.stateDB) } catch {
            Console.out(out)
            Console.error("\(error)")
            throw ExitCode(1)
        }
        do {
            let r = try CorpusIndexer.reindex(corpus: corpus, state: state, identity: SiteIdentity(sources: config.sources).rule)
            out += "reindexed \(r.files) file\(r.files == 1 ? "" : "s") into \(config.daemon.stateDB): "
            out += "\(r.logged) from the change log, \(r.adopted) adopted (\(r.legacyNames) with legacy names), "
            out += "\(r.withoutFingerprint) too short for a near-duplicate fingerprint\n"
            Console.out(out)
        } catch {
            Console.out(out)
            Console.error("\(error)")
            throw ExitCode(1)
        }
    }
}
