/// How GET requests are retried after transient failures. Create and resume are never retried:
/// they are not idempotent and spend credits.
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included; 1 means no retries.
    public var maxAttempts: Int
    /// The first backoff; each later one doubles, up to ``maxDelay``.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The most time spent waiting between tries for one request.
    public var maxTotalWait: Duration
    /// The wait after a 429 that carries no `Retry-After` (Extruct reads 429 as a quota answer,
    /// not a signal for tight retries).
    public var rateLimitWait: Duration
    /// Whether backoffs get random jitter (half the delay, uniformly).
    public var jitter: Bool

    /// A policy with these bounds.
    public init(
        maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
        maxTotalWait: Duration = .seconds(30), rateLimitWait: Duration = .seconds(10), jitter: Bool = true
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalWait = maxTotalWait
        self.rateLimitWait = rateLimitWait
        self.jitter = jitter
    }

    /// Three tries within 30 s of waiting.
    public static let standard = RetryPolicy()

    /// One try only.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before try `attempt + 1` (attempt counts from 1).
    func backoff(afterAttempt attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) { delay = min(maxDelay, delay * 2) }
        guard jitter else { return delay }
        let half = delay / 2
        let nanos = half.components.seconds * 1_000_000_000 + half.components.attoseconds / 1_000_000_000
        return half + .nanoseconds(Int64.random(in: 0...max(0, nanos)))
    }

    /// Whether `status` is worth another try of a GET.
    static func isTransient(status: Int) -> Bool {
        status == 429 || status == 502 || status == 503 || status == 504
    }
}
