/// Everything that can go wrong talking to the Deep Search API, as a case a user can act on.
///
/// ``description`` is the user's sentence: what happened, then what to do. It never holds the
/// token: the token travels only in the `Authorization` header and no error reads headers back.
public struct DeepSearchError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable, Hashable {
        /// A value was refused before anything was sent.
        case invalidArgument
        /// Resume answered 400: the task has no more candidates.
        case exhausted
        /// Another 400 answer.
        case badRequest
        /// 401 or 403: the token was missing or refused.
        case unauthorized
        /// 402: a plan or billing gate.
        case paymentRequired
        /// 404: no such task in this workspace.
        case notFound
        /// 422: the server's validation refused the request.
        case validation
        /// 429.
        case rateLimited
        /// 5xx.
        case server
        /// A status the API does not document.
        case unexpectedStatus
        /// The connection failed: refused, reset, DNS.
        case transport
        /// TLS failed: a certificate not trusted, expired or for another host; no TLS in
        /// common. It cannot heal by itself, so it is not retried.
        case tls
        /// The proxy refused: credentials wanted or refused, the tunnel denied. Not retried.
        case proxy
        /// No complete answer within the request timeout.
        case timeout
        /// The body was not the JSON expected.
        case malformedResponse
        /// The body was larger than the client accepts.
        case responseTooLarge
        /// The token would have crossed the network in clear text.
        case insecureTransport
        /// `watch` reached its timeout before the task ended.
        case watchTimeout
        /// A replayed cassette had no answer for this request.
        case replayMismatch
        /// A dry run: the request was shown and not sent.
        case notSent
        /// A request that spends credits was interrupted (Ctrl-C, a signal) after it was sent:
        /// whether it took effect is unknown.
        case interruptedAfterSending
    }

    /// One problem reported by a 422 answer.
    public struct ValidationIssue: Sendable, Hashable {
        /// Where, e.g. `body → desired_num_results`.
        public var location: String
        public var message: String

        /// The problem `message` at `location`.
        public init(location: String, message: String) {
            self.location = location
            self.message = message
        }
    }

    public var code: Code
    /// What happened, in the API's words where it gave some.
    public var message: String
    /// What to do next, when there is something to say.
    public var advice: String?
    /// The HTTP status, when there was an answer.
    public var status: Int?
    /// Seconds the server asked to wait (429 `Retry-After`).
    public var retryAfter: Int?
    /// The 422 problems, in order.
    public var issues: [ValidationIssue]
    /// The JSON body of the error answer, when it was JSON.
    public var body: JSONValue?
    /// For a request that spends credits: whether it was sent, and whether an answer came.
    public var spending: SpendingOutcome?

    /// An error with these parts.
    public init(
        _ code: Code, _ message: String, advice: String? = nil, status: Int? = nil, retryAfter: Int? = nil,
        issues: [ValidationIssue] = [], body: JSONValue? = nil
    ) {
        self.code = code
        self.message = message
        self.advice = advice
        self.status = status
        self.retryAfter = retryAfter
        self.issues = issues
        self.body = body
    }

    /// An input refused before sending.
    public static func invalidArgument(_ message: String) -> DeepSearchError {
        DeepSearchError(.invalidArgument, message)
    }

    /// The same error with `token`, wherever it appears in the words, shown as `…`.
    public func redacting(_ token: String?) -> DeepSearchError {
        guard let token, token.count >= Secrets.minimumLength else { return self }
        var copy = self
        copy.message = message.replacing(token, with: "…")
        copy.advice = advice?.replacing(token, with: "…")
        copy.issues = issues.map {
            ValidationIssue(location: $0.location.replacing(token, with: "…"), message: $0.message.replacing(token, with: "…"))
        }
        return copy
    }

    /// "what happened; what to do".
    public var description: String {
        guard let advice, !advice.isEmpty else { return message }
        return "\(message); \(advice)"
    }
}
