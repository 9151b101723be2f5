import KhabarExtract
import KhabarHTTP

/// Stage 2: parse and extract (CPU work: run it on a blocking pool, not the cooperative one).
/// A page that cannot be parsed is a typed error, never a crash.
public enum ExtractStage {
    public static func extract(_ response: HTTPResponse, extractor: Extractor) -> Result<Article, ExtractionError> {
        do {
            return .success(try extractor.extract(html: response.body, url: response.finalURL,
                                                  contentType: response.headers["Content-Type"],
                                                  contentLanguage: response.headers["Content-Language"]))
        } catch {
            return .failure(error)
        }
    }
}
