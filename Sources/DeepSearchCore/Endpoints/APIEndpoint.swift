/// One operation of the API, stated once: its method and path, whether it may be sent twice,
/// whether it spends credits, whether it needs the token and how its failures read.
///
/// The client builds its requests, its retry policy and its error wording from these; the
/// simulator routes by them (404 and 405 with `Allow` included); ``APIEndpoint/all`` is the list
/// both walk. The answer each one decodes to is its ``Call``.
public struct APIEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Which operation: the simulator's behaviour is a `switch` over these, so an endpoint
    /// without one does not build.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case healthcheck, listTasks, createTask, getTask, results, resume, user, billing
    }

    /// What a failure of the operation is about, for its wording: a 404 of a task endpoint is
    /// that task not found, of a create one of its excluded tasks, else a wrong URL.
    public enum Subject: Sendable, Hashable {
        /// The service or the account: a 404 says the URL is wrong.
        case service
        /// The task named by the path's `{task_id}`.
        case task
        /// A new task; a 404 is about the tasks it excludes.
        case newTask
    }

    public let name: Name
    /// `GET`, `POST`.
    public let method: String
    /// The path, with `{parameter}` for each part given per request: `/v1/discovery_tasks/{task_id}`.
    public let pathTemplate: String
    /// Safe to send again after a failure (the client retries it within its policy).
    public let isIdempotent: Bool
    /// Spends credits: never retried, and a failure says whether it was sent (``SpendingOutcome``).
    public let spendsCredits: Bool
    /// Sent with the token (`Authorization: Bearer`); the simulator refuses it without one.
    public let needsToken: Bool
    public let subject: Subject
    /// What the user asked for, as errors name it: `create`, `resume`, `the account`.
    public let action: String
    /// After it was sent with no answer, what to check before sending it again (`{id}` is the
    /// task's short id); nil for an operation that changes nothing.
    public let whenUnsure: String?

    /// An endpoint; `isIdempotent` defaults to whether the method is GET.
    public init(
        _ name: Name, _ method: String, _ pathTemplate: String, idempotent: Bool? = nil, spendsCredits: Bool = false,
        needsToken: Bool = true, subject: Subject = .service, action: String, whenUnsure: String? = nil
    ) {
        self.name = name
        self.method = method
        self.pathTemplate = pathTemplate
        self.isIdempotent = idempotent ?? (method == "GET")
        self.spendsCredits = spendsCredits
        self.needsToken = needsToken
        self.subject = subject
        self.action = action
        self.whenUnsure = whenUnsure
    }

    public var description: String { "\(method) \(pathTemplate)" }

    // MARK: The API

    /// Unauthenticated liveness; Extruct's own CLI calls it without a token.
    public static let healthcheck = APIEndpoint(.healthcheck, "GET", "/v1/healthcheck", needsToken: false, action: "the health check")
    public static let listTasks = APIEndpoint(.listTasks, "GET", "/v1/discovery_tasks", action: "the task list")
    public static let createTask = APIEndpoint(
        .createTask, "POST", "/v1/discovery_tasks", spendsCredits: true, subject: .newTask, action: "create",
        whenUnsure: "the task may have been created: check with tasks before trying again")
    public static let getTask = APIEndpoint(.getTask, "GET", "/v1/discovery_tasks/{task_id}", subject: .task, action: "the task")
    public static let results = APIEndpoint(.results, "GET", "/v1/discovery_tasks/{task_id}/results", subject: .task, action: "the results")
    public static let resume = APIEndpoint(
        .resume, "POST", "/v1/discovery_tasks/{task_id}/resume", spendsCredits: true, subject: .task, action: "resume",
        whenUnsure: "the task may have been resumed: status {id} shows whether the target went up")
    /// Who the token belongs to, their organisation and the credits left.
    public static let user = APIEndpoint(.user, "GET", "/v1/user", action: "the account")
    /// The account's plan: `user` and `subscription`.
    public static let billing = APIEndpoint(.billing, "GET", "/v1/billing", action: "the plan")

    /// Every endpoint, in the order of the API's document.
    public static let all: [APIEndpoint] = [healthcheck, listTasks, createTask, getTask, results, resume, user, billing]

    /// The endpoint called `name`.
    public static func named(_ name: Name) -> APIEndpoint { all.first { $0.name == name }! }

    // MARK: Paths

    /// The path with `parameters` put in place of the template's `{…}` parts, in order,
    /// percent-encoded.
    public func path(_ parameters: [String] = []) -> String {
        var given = parameters.makeIterator()
        return Self.segments(pathTemplate).map { segment in
            Self.isParameter(segment) ? URLEncoding.encode(given.next() ?? "") : String(segment)
        }.joined(separator: "/")
    }

    /// The names of the template's parameters, in order (`task_id`).
    public var parameterNames: [String] {
        Self.segments(pathTemplate).filter(Self.isParameter).map { String($0.dropFirst().dropLast()) }
    }

    /// The parameters of `path` when it has this endpoint's shape (each parameter a non-empty
    /// segment, percent-decoded, `+` kept), else nil. The method is not looked at.
    public func parameters(in path: String) -> [String]? {
        let template = Self.segments(pathTemplate)
        let parts = Self.segments(path)
        guard template.count == parts.count else { return nil }
        var found: [String] = []
        for (expected, part) in zip(template, parts) {
            if Self.isParameter(expected) {
                guard !part.isEmpty else { return nil }
                found.append(URLEncoding.decode(String(part)) ?? String(part))
            } else if expected != part {
                return nil
            }
        }
        return found
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false)
    }

    private static func isParameter(_ segment: Substring) -> Bool {
        segment.count > 2 && segment.first == "{" && segment.last == "}"
    }

    // MARK: Routing

    /// What a request for `method` and `path` reaches.
    public enum Route: Sendable, Hashable {
        /// An endpoint, with the path's parameters.
        case endpoint(APIEndpoint, parameters: [String])
        /// The path is one of the API's, the method is not: the methods it takes (`Allow`).
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Routes `method` `path` among `endpoints`, as a server of them does.
    public static func route(method: String, path: String, among endpoints: [APIEndpoint] = all) -> Route {
        var allowed: [String] = []
        for endpoint in endpoints {
            guard let parameters = endpoint.parameters(in: path) else { continue }
            if endpoint.method == method { return .endpoint(endpoint, parameters: parameters) }
            if !allowed.contains(endpoint.method) { allowed.append(endpoint.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// The endpoint a request for `method` and `path` is, if it is one.
    public static func matching(method: String, path: String) -> APIEndpoint? {
        if case .endpoint(let endpoint, _) = route(method: method, path: path) { return endpoint }
        return nil
    }
}

/// An endpoint with the answer it decodes to: what the client sends and reads.
public struct Call<Answer: Sendable>: Sendable {
    public let endpoint: APIEndpoint
    /// Reads a successful answer's JSON.
    public let decode: @Sendable (JSONValue) throws(ResponseShapeError) -> Answer

    /// `endpoint`, whose answer `decode` reads.
    public init(_ endpoint: APIEndpoint, decode: @escaping @Sendable (JSONValue) throws(ResponseShapeError) -> Answer) {
        self.endpoint = endpoint
        self.decode = decode
    }
}

extension Call where Answer == JSONValue {
    /// `endpoint`, its answer kept as JSON.
    public init(_ endpoint: APIEndpoint) { self.init(endpoint) { $0 } }
}

extension Call where Answer == JSONValue {
    public static var healthcheck: Self { Call(.healthcheck) }
}

extension Call where Answer == [DiscoveryTask] {
    public static var listTasks: Self {
        Call(.listTasks) { json throws(ResponseShapeError) in
            guard case .array(let elements) = json else {
                throw ResponseShapeError(path: "the response", expectation: "expected an array of tasks, got \(json.kindName)")
            }
            var tasks: [DiscoveryTask] = []
            for (i, element) in elements.enumerated() { tasks.append(try DiscoveryTask(json: element, at: "[\(i)]")) }
            return tasks
        }
    }
}

extension Call where Answer == DiscoveryTask {
    public static var createTask: Self { Call(.createTask) { json throws(ResponseShapeError) in try DiscoveryTask(json: json) } }
    public static var getTask: Self { Call(.getTask) { json throws(ResponseShapeError) in try DiscoveryTask(json: json) } }
    public static var resume: Self { Call(.resume) { json throws(ResponseShapeError) in try DiscoveryTask(json: json) } }
}

extension Call where Answer == TaskResultsPage {
    public static var results: Self { Call(.results) { json throws(ResponseShapeError) in try TaskResultsPage(json: json) } }
}

extension Call where Answer == Account {
    public static var user: Self { Call(.user) { json throws(ResponseShapeError) in try Account(json: json) } }
}

extension Call where Answer == Billing {
    public static var billing: Self { Call(.billing) { json throws(ResponseShapeError) in try Billing(json: json) } }
}
