/// One criterion's grade of one company.
public struct CriterionScore: Sendable, Hashable {
    /// 1–5, when the server sent one.
    public var grade: Int?
    public var explanation: String?
    /// URLs that support the grade.
    public var sources: [String]

    /// A score with these parts.
    public init(grade: Int?, explanation: String? = nil, sources: [String] = []) {
        self.grade = grade
        self.explanation = explanation
        self.sources = sources
    }

    /// The score as the API writes it.
    public var json: JSONValue {
        var object: JSONObject = [:]
        object["grade"] = grade.map(JSONValue.int) ?? .null
        object["explanation"] = explanation.map(JSONValue.string) ?? .null
        object["sources"] = .array(sources.map(JSONValue.string))
        return .object(object)
    }
}

/// One company found by a task.
public struct DiscoveryResult: Sendable, Hashable, Identifiable {
    public var id: String
    public var taskID: String
    public var companyName: String
    public var companyDescription: String?
    public var companyWebsite: String?
    /// 0–100; results come ordered by it, highest first.
    public var relevance: Int?
    public var createdAt: Timestamp?
    public var companyProfileID: String?
    public var source: DataSource?
    /// Grades keyed by criterion key, in the order the server sent them.
    public var scores: [(key: String, score: CriterionScore)]
    public var foundingYear: Int?
    public var employeeCount: EmployeeCount?
    public var hqCountry: String?
    public var hqStateProvince: String?
    public var hqCity: String?
    public var companyFullDescription: String?
    /// The free-text reason older API generations sent instead of `scores`.
    public var justification: String?

    /// A result with every field given.
    public init(
        id: String, taskID: String, companyName: String, companyDescription: String? = nil,
        companyWebsite: String? = nil, relevance: Int? = nil, createdAt: Timestamp? = nil,
        companyProfileID: String? = nil, source: DataSource? = nil, scores: [(key: String, score: CriterionScore)] = [],
        foundingYear: Int? = nil, employeeCount: EmployeeCount? = nil, hqCountry: String? = nil,
        hqStateProvince: String? = nil, hqCity: String? = nil, companyFullDescription: String? = nil,
        justification: String? = nil
    ) {
        self.id = id
        self.taskID = taskID
        self.companyName = companyName
        self.companyDescription = companyDescription
        self.companyWebsite = companyWebsite
        self.relevance = relevance
        self.createdAt = createdAt
        self.companyProfileID = companyProfileID
        self.source = source
        self.scores = scores
        self.foundingYear = foundingYear
        self.employeeCount = employeeCount
        self.hqCountry = hqCountry
        self.hqStateProvince = hqStateProvince
        self.hqCity = hqCity
        self.companyFullDescription = companyFullDescription
        self.justification = justification
    }

    /// The grade for criterion `key`, if there is one.
    public func score(for key: String) -> CriterionScore? {
        scores.first { $0.key == key }?.score
    }

    /// "City, State, Country" from the parts that are present.
    public var headquarters: String? {
        let parts = [hqCity, hqStateProvince, hqCountry].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Decodes a result leniently (unknown fields ignored, nulls accepted, legacy fields read).
    public init(json value: JSONValue, at path: String) throws(ResponseShapeError) {
        try self.init(readingMembersOf: value, at: path)
    }

    /// The result as the API writes it.
    public var json: JSONValue { .object(JSONObject(writtenMembers)) }

    /// The keys of the result's members, in the API's order.
    public static var memberKeys: [String] { writtenKeys }

    /// `scores`: an object of grades by criterion key, each an object, a bare grade or null.
    fileprivate static func readScores(_ fields: FieldReader) throws(ResponseShapeError) -> [(key: String, score: CriterionScore)] {
        var scores: [(key: String, score: CriterionScore)] = []
        guard let object = fields.value("scores")?.objectValue else { return scores }
        for member in object.members {
            switch member.value {
            case .object:
                let s = try FieldReader(member.value, at: "")
                scores.append(
                    (
                        member.key,
                        CriterionScore(
                            grade: s.int("grade", "score"), explanation: s.string("explanation", "justification"),
                            sources: s.strings("sources") ?? [])
                    ))
            case .number, .string:
                // A bare grade.
                scores.append((member.key, CriterionScore(grade: FieldReader.integer(member.value))))
            case .null:
                scores.append((member.key, CriterionScore(grade: nil)))
            default:
                throw ResponseShapeError(
                    path: fields.fieldPath("scores.\(member.key)"), expectation: "expected an object, got \(member.value.kindName)")
            }
        }
        return scores
    }

    public static func == (lhs: DiscoveryResult, rhs: DiscoveryResult) -> Bool {
        lhs.json == rhs.json && lhs.justification == rhs.justification
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(json)
    }
}

extension DiscoveryResult: TabledModel {
    static let blank = DiscoveryResult(id: "", taskID: "", companyName: "")

    /// Every member, read and written from this one list.
    static let members: [ModelMember<DiscoveryResult>] = [
        .value("id", \.id, .string),
        .value("task_id", \.taskID, .string),
        .value("company_name", or: "src_result_title", \.companyName, .string),
        .optional("company_description", or: "src_result_snippet", \.companyDescription, .string),
        .optional("company_website", or: "src_result_link", \.companyWebsite, .string),
        .optional("relevance", \.relevance, .int),
        .optional("created_at", \.createdAt, .timestamp),
        .optional("company_profile_id", \.companyProfileID, .string),
        .optional("source", \.source, .open),
        ModelMember(
            "scores", read: { result, fields throws(ResponseShapeError) in result.scores = try DiscoveryResult.readScores(fields) },
            write: { .object(JSONObject($0.scores.map { JSONMember($0.key, $0.score.json) })) }),
        .optional("founding_year", \.foundingYear, .int),
        .optional("employee_count", \.employeeCount, .open),
        .optional("hq_country", \.hqCountry, .string),
        .optional("hq_state_province", \.hqStateProvince, .string),
        .optional("hq_city", \.hqCity, .string),
        .optional("company_full_description", \.companyFullDescription, .string),
        // Older API generations sent a free-text reason instead of scores; it is read, not written.
        .readOnly("justification", \.justification, .string),
    ]
}

/// A task with one page of its results.
public struct TaskResultsPage: Sendable, Hashable {
    public var task: DiscoveryTask
    public var results: [DiscoveryResult]

    /// A page of `results` of `task`.
    public init(task: DiscoveryTask, results: [DiscoveryResult]) {
        self.task = task
        self.results = results
    }

    /// Decodes the results response: the task's fields plus `results`.
    public init(json value: JSONValue) throws(ResponseShapeError) {
        task = try DiscoveryTask(json: value)
        let fields = try FieldReader(value, at: "")
        var results: [DiscoveryResult] = []
        for (i, element) in (fields.array("results") ?? []).enumerated() {
            results.append(try DiscoveryResult(json: element, at: "results[\(i)]"))
        }
        self.results = results
    }
}
