/// The state of one Deep Search task, as create, get, list, results and resume return it.
public struct DiscoveryTask: Sendable, Hashable, Identifiable {
    /// The task id (a UUID in practice).
    public var id: String
    /// When the task was created, as the server wrote it.
    public var createdAt: Timestamp?
    public var status: TaskStatus
    public var query: String
    /// The current target; resume raises it, never past ``DiscoveryTask/resultCap``.
    public var desiredNumResults: Int
    /// The candidate pool is used up; scoring may still go on, so this is not the end of the task.
    public var isExhausted: Bool
    public var numResultsDiscovered: Int
    public var numResultsEnriched: Int
    public var numResultsEvaluated: Int
    /// High-fit results so far.
    public var numResults: Int
    public var tableID: String?
    public var autoDataSources: Bool
    public var dataSources: [DataSource]
    public var criteria: [Criterion]
    /// The resolved, sorted registered domains excluded from this run.
    public var excludeDomains: [String]

    /// The most results one task can hold.
    public static let resultCap = 250

    /// A task with every field given.
    public init(
        id: String, createdAt: Timestamp?, status: TaskStatus, query: String, desiredNumResults: Int,
        isExhausted: Bool = false, numResultsDiscovered: Int = 0, numResultsEnriched: Int = 0,
        numResultsEvaluated: Int = 0, numResults: Int = 0, tableID: String? = nil, autoDataSources: Bool = true,
        dataSources: [DataSource] = [], criteria: [Criterion] = [], excludeDomains: [String] = []
    ) {
        self.id = id
        self.createdAt = createdAt
        self.status = status
        self.query = query
        self.desiredNumResults = desiredNumResults
        self.isExhausted = isExhausted
        self.numResultsDiscovered = numResultsDiscovered
        self.numResultsEnriched = numResultsEnriched
        self.numResultsEvaluated = numResultsEvaluated
        self.numResults = numResults
        self.tableID = tableID
        self.autoDataSources = autoDataSources
        self.dataSources = dataSources
        self.criteria = criteria
        self.excludeDomains = excludeDomains
    }

    /// Room left under the 250-result cap.
    public var roomUnderCap: Int { max(0, Self.resultCap.saturatingSubtract(desiredNumResults)) }

    /// Decodes a task leniently: unknown fields ignored, nulls and missing counters read as
    /// defaults, legacy field names accepted, a missing `status` read as `created`.
    public init(json value: JSONValue, at path: String = "") throws(ResponseShapeError) {
        try self.init(readingMembersOf: value, at: path)
    }

    /// The members of the task as the API writes them, in the API's order.
    public var jsonMembers: [JSONMember] { writtenMembers }

    /// The keys of the task's members, in the API's order.
    public static var memberKeys: [String] { writtenKeys }

    /// The task as the API writes it.
    public var json: JSONValue { .object(JSONObject(jsonMembers)) }
}

extension DiscoveryTask: TabledModel {
    static let blank = DiscoveryTask(id: "", createdAt: nil, status: .created, query: "", desiredNumResults: 0)

    /// Every member, read and written from this one list.
    static let members: [ModelMember<DiscoveryTask>] = [
        ModelMember("id", read: { task, fields throws(ResponseShapeError) in task.id = try fields.requiredString("id") }, write: { .string($0.id) }),
        .optional("created_at", \.createdAt, .timestamp),
        .value("status", \.status, .open),
        .value("query", \.query, .string),
        // Missing, the target is what the task holds.
        ModelMember(
            "desired_num_results",
            read: { task, fields in task.desiredNumResults = fields.int("desired_num_results") ?? fields.int("num_results") ?? 0 },
            write: { .int($0.desiredNumResults) }),
        .value("is_exhausted", \.isExhausted, .bool),
        .value("num_results_discovered", or: "discovered_num_results", \.numResultsDiscovered, .int),
        .value("num_results_enriched", \.numResultsEnriched, .int),
        .value("num_results_evaluated", \.numResultsEvaluated, .int),
        .value("num_results", \.numResults, .int),
        .optional("table_id", \.tableID, .string),
        .value("auto_data_sources", \.autoDataSources, .bool),
        .value("data_sources", \.dataSources, .openList()),
        ModelMember(
            "criteria",
            read: { task, fields throws(ResponseShapeError) in
                var criteria: [Criterion] = []
                for (i, element) in (fields.array("criteria") ?? []).enumerated() {
                    criteria.append(try Criterion(decoding: element, at: fields.fieldPath("criteria[\(i)]")))
                }
                task.criteria = criteria
            }, write: { .array($0.criteria.map(\.json)) }),
        .value("exclude_domains", \.excludeDomains, .strings),
    ]
}
