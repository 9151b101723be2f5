import Foundation
import KhabarHTTP

/// When an article URL is due again after a fetch — pure, clock-injected:
///
/// - **In the corpus** (added, revised; or a revisit that found the same text or a 304): at the
///   next `revisit` offset after the text was added (`RevisitPlan`), so edits are caught; never
///   again once the offsets are used up.
/// - **Judged and refused** (not an article, too short, filtered, a near-duplicate, a duplicate of
///   another URL's text): never again — unless it was a revisit of a text already in the corpus,
///   which keeps its revisit plan.
/// - **Failed for a reason that will pass** (DNS, connection, timeout, 5xx, 408, 429, an open
///   circuit, robots.txt unreachable): again after a backoff that doubles per failure
///   (`retryBase` × 2ⁿ⁻¹, at most `retryCap`, at least the server's `Retry-After`), at most
///   `maxAttempts` times.
/// - **Failed on this machine** (the corpus or the state could not be written: a read-only
///   folder, EFBIG, a full disk): again after `retryBase`, every time, without counting an
///   attempt — the page is fine, and giving it up after five tries would lose it to a disk fault
///   that lasted an hour.
/// - **Failed for a reason that will not** (404 and other 4xx, a robots.txt rule, wrong content
///   type, too large, a refused redirect or address, a page that cannot be parsed): never again.
///   Discovery listing the URL again does not revive it; a changed sitemap `lastmod` does.
public struct URLSchedule: Sendable {
    public var revisits: RevisitPlan
    public var retryBase: Duration = .seconds(15 * 60)
    public var retryCap: Duration = .seconds(24 * 3_600)
    public var maxAttempts = 5

    public init(revisits: RevisitPlan) {
        self.revisits = revisits
    }

    /// The frontier's next state for a URL.
    public struct Next: Sendable, Equatable {
        public var nextDue: Date?
        public var attempts: Int
        public var revisitStep: Int
    }

    /// - Parameters:
    ///   - addedAt: when the URL's current corpus text was added (nil when it has none).
    public func next(after result: PageResult, previousAttempts: Int, addedAt: Date?, now: Date) -> Next {
        switch result.outcome {
        case .added?, .revised?:
            return revisit(addedAt: now, now: now)
        case .duplicate?, .notModified?, .notArticle?, .tooShort?, .filtered?, .nearDuplicate?:
            if let addedAt { return revisit(addedAt: addedAt, now: now) }
            return Next(nextDue: nil, attempts: 0, revisitStep: 0)
        case .robotsDenied?, .failed?:
            if result.localFault {
                // The corpus or the state failed, not the page: again after `retryBase`, without
                // using up an attempt, for as long as the fault lasts.
                return Next(nextDue: now.addingTimeInterval(ScheduleMath.seconds(retryBase)), attempts: previousAttempts,
                            revisitStep: 0)
            }
            guard result.transient else {
                return Next(nextDue: nil, attempts: previousAttempts + 1, revisitStep: 0)
            }
            let attempts = previousAttempts + 1
            guard attempts < maxAttempts else { return Next(nextDue: nil, attempts: attempts, revisitStep: 0) }
            var delay = ScheduleMath.seconds(retryBase) * Double(1 << min(attempts - 1, 20))
            delay = min(delay, ScheduleMath.seconds(retryCap))
            var due = now.addingTimeInterval(delay)
            if let after = result.retryAfter, after > due { due = after }
            return Next(nextDue: due, attempts: attempts, revisitStep: 0)
        case nil:
            return Next(nextDue: now, attempts: previousAttempts, revisitStep: 0)
        }
    }

    private func revisit(addedAt: Date, now: Date) -> Next {
        let step = revisits.times(addedAt: addedAt).filter { $0 <= now }.count
        return Next(nextDue: revisits.nextRevisit(addedAt: addedAt, lastFetched: now), attempts: 0, revisitStep: step)
    }

    /// Whether a failure says nothing about the URL itself, so another try later makes sense.
    public static func isTransient(_ failure: FetchFailure?) -> Bool {
        guard let failure else { return false }   // extraction and corpus failures: the page itself
        switch failure {
        case .dns, .connect, .timeout, .connectionLost, .tls, .circuitOpen, .badResponse:
            return true
        case .http(let status):
            return status == 408 || status == 429 || status >= 500
        case .robotsDenied(.unreachable):
            return true
        case .robotsDenied(.rule), .invalidURL, .tooLarge, .contentType, .tooManyRedirects, .redirectRefused,
             .blockedAddress, .cancelled:
            return false
        }
    }
}
