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
        let fields = try FieldReader(value, at: path)
        id = try fields.requiredString("id")
        createdAt = fields.string("created_at").map(Timestamp.init(text:))
        status = fields.string("status").map(TaskStatus.init(rawValue:)) ?? .created
        query = fields.string("query") ?? ""
        numResults = fields.int("num_results") ?? 0
        desiredNumResults = fields.int("desired_num_results") ?? numResults
        isExhausted = fields.bool("is_exhausted") ?? false
        numResultsDiscovered = fields.int("num_results_discovered", "discovered_num_results") ?? 0
        numResultsEnriched = fields.int("num_results_enriched") ?? 0
        numResultsEvaluated = fields.int("num_results_evaluated") ?? 0
        tableID = fields.string("table_id")
        autoDataSources = fields.bool("auto_data_sources") ?? true
        dataSources = (fields.strings("data_sources") ?? []).map(DataSource.init(rawValue:))
        var criteria: [Criterion] = []
        for (i, element) in (fields.array("criteria") ?? []).enumerated() {
            criteria.append(try Criterion(decoding: element, at: fields.fieldPath("criteria[\(i)]")))
        }
        self.criteria = criteria
        excludeDomains = fields.strings("exclude_domains") ?? []
    }

    /// The members of the task as the API writes them, in the API's order.
    public var jsonMembers: [JSONMember] {
        [
            JSONMember("id", .string(id)),
            JSONMember("created_at", createdAt.map { .string($0.text) } ?? .null),
            JSONMember("status", .string(status.rawValue)),
            JSONMember("query", .string(query)),
            JSONMember("desired_num_results", .int(desiredNumResults)),
            JSONMember("is_exhausted", .bool(isExhausted)),
            JSONMember("num_results_discovered", .int(numResultsDiscovered)),
            JSONMember("num_results_enriched", .int(numResultsEnriched)),
            JSONMember("num_results_evaluated", .int(numResultsEvaluated)),
            JSONMember("num_results", .int(numResults)),
            JSONMember("table_id", tableID.map(JSONValue.string) ?? .null),
            JSONMember("auto_data_sources", .bool(autoDataSources)),
            JSONMember("data_sources", .array(dataSources.map { .string($0.rawValue) })),
            JSONMember("criteria", .array(criteria.map(\.json))),
            JSONMember("exclude_domains", .array(excludeDomains.map(JSONValue.string))),
        ]
    }

    /// The task as the API writes it.
    public var json: JSONValue { .object(JSONObject(jsonMembers)) }
}
