/// The body of `POST /v1/discovery_tasks`.
public struct CreateTaskRequest: Sendable, Hashable {
    public var query: String
    /// Target number of results, 1…250; nil lets the server use its default (100).
    public var desiredNumResults: Int?
    /// The target the API gives a task created without one.
    public static let defaultTarget = 100
    /// Explicit criteria; empty lets the server generate them from the query.
    public var criteria: [Criterion]
    /// Chosen sources; when non-empty, `auto_data_sources` is sent as false.
    public var dataSources: [DataSource]
    /// Domains or URLs to leave out.
    public var excludeDomains: [String]
    /// Finished tasks whose results to leave out.
    public var excludeTaskIDs: [String]

    /// A request with these parts.
    public init(
        query: String, desiredNumResults: Int? = nil, criteria: [Criterion] = [], dataSources: [DataSource] = [],
        excludeDomains: [String] = [], excludeTaskIDs: [String] = []
    ) {
        self.query = query
        self.desiredNumResults = desiredNumResults
        self.criteria = criteria
        self.dataSources = dataSources
        self.excludeDomains = excludeDomains
        self.excludeTaskIDs = excludeTaskIDs
    }

    /// The pattern a criterion key must match.
    public static let keyPattern = "^[a-zA-Z][a-zA-Z0-9_]*$"

    /// Checks every rule the API states, so a bad request is refused before it spends anything.
    public func validate() throws(DeepSearchError) {
        if query.allSatisfy({ $0.isWhitespace }) {
            throw .invalidArgument("the query must not be empty")
        }
        if let n = desiredNumResults, !(1...DiscoveryTask.resultCap).contains(n) {
            throw .invalidArgument("desired_num_results must be between 1 and 250 (got \(n))")
        }
        var seen: Set<String> = []
        for c in criteria {
            if !Self.isValidKey(c.key) {
                throw .invalidArgument("criterion key '\(c.key)' must start with a letter and hold only letters, digits and _ (\(Self.keyPattern))")
            }
            if !seen.insert(c.key).inserted {
                throw .invalidArgument("criterion key '\(c.key)' is used twice; keys must be unique")
            }
            if !(1...100).contains(c.name.count) {
                throw .invalidArgument("criterion '\(c.key)': name must be 1 to 100 characters (got \(c.name.count))")
            }
            if !(10...500).contains(c.criterion.count) {
                throw .invalidArgument("criterion '\(c.key)': text must be 10 to 500 characters (got \(c.criterion.count))")
            }
        }
        for s in dataSources where !DataSource.selectable.contains(s) {
            throw .invalidArgument("unknown data source '\(s.rawValue)'; use web_search, linkedin or maps")
        }
        if excludeDomains.count > 1000 {
            throw .invalidArgument("at most 1000 excluded domains (got \(excludeDomains.count))")
        }
        if excludeTaskIDs.count > 100 {
            throw .invalidArgument("at most 100 excluded tasks (got \(excludeTaskIDs.count))")
        }
    }

    /// Whether `key` matches ``keyPattern``.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// The request body.
    public var json: JSONValue {
        var object: JSONObject = ["query": .string(query)]
        if let n = desiredNumResults { object["desired_num_results"] = .int(n) }
        if !criteria.isEmpty { object["criteria"] = .array(criteria.map(\.json)) }
        if !dataSources.isEmpty {
            object["auto_data_sources"] = .bool(false)
            object["data_sources"] = .array(dataSources.map { .string($0.rawValue) })
        }
        if !excludeDomains.isEmpty { object["exclude_domains"] = .array(excludeDomains.map(JSONValue.string)) }
        if !excludeTaskIDs.isEmpty { object["exclude_task_ids"] = .array(excludeTaskIDs.map(JSONValue.string)) }
        return .object(object)
    }
}

/// A page request: `offset` rows skipped, at most `limit` rows.
public struct PageRequest: Sendable, Hashable {
    public var offset: Int
    public var limit: Int

    /// A page from `offset`, at most `limit` long.
    public init(offset: Int = 0, limit: Int) {
        self.offset = offset
        self.limit = limit
    }

    /// Checks offset ≥ 0 and limit ≥ 1.
    public func validate() throws(DeepSearchError) {
        if offset < 0 { throw .invalidArgument("offset must be 0 or more (got \(offset))") }
        if limit < 1 { throw .invalidArgument("limit must be 1 or more (got \(limit))") }
    }

    /// The query items of this page.
    package var query: [(String, String)] { [("offset", String(offset)), ("limit", String(limit))] }
}
