/// Stage 5: ingest — the ingestor dedupes, revises, appends, indexes and records the event, all
/// under the corpus lock. Blocking (an append is three fsyncs): run it on a blocking pool.
public enum IngestStage {
    public static func ingest(_ article: CorpusArticle, facts: FetchFacts, ingestor: Ingestor) -> Result<IngestOutcome, IngestError> {
        do {
            return .success(try ingestor.ingest(article, facts: facts))
        } catch {
            return .failure(error)
        }
    }
}
