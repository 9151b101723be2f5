import Foundation
import KhabarHTTP

/// Stage 1: fetch the page, conditionally when its text is in the corpus.
public enum FetchStage {
    public enum Fetched: Sendable {
        case page(HTTPResponse)
        case notModified(NotModified)
        case failed(FetchError)
    }

    public static func fetch(_ job: PageJob, client: HTTPClient) async -> Fetched {
        let validators = job.validators
        let request = job.context.request(job.url, kind: .page, etag: validators.etag,
                                          lastModified: validators.lastModified, trusting: job.trustedHosts)
        do {
            switch try await client.fetch(request) {
            case .response(let response): return .page(response)
            case .notModified(let notModified): return .notModified(notModified)
            }
        } catch {
            return .failed(error)
        }
    }

    /// `Duration` in whole milliseconds.
    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1_000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }
}
