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
        let fields = try FieldReader(value, at: path)
        id = fields.string("id") ?? ""
        taskID = fields.string("task_id") ?? ""
        companyName = fields.string("company_name", "src_result_title") ?? ""
        companyDescription = fields.string("company_description", "src_result_snippet")
        companyWebsite = fields.string("company_website", "src_result_link")
        relevance = fields.int("relevance")
        createdAt = fields.string("created_at").map(Timestamp.init(text:))
        companyProfileID = fields.string("company_profile_id")
        source = fields.string("source").map(DataSource.init(rawValue:))
        var scores: [(key: String, score: CriterionScore)] = []
        if let object = fields.value("scores")?.objectValue {
            for member in object.members {
                // The path is only for an error message: made when one is.
                func memberPath() -> String { fields.fieldPath("scores.\(member.key)") }
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
                    scores.append(
                        (member.key, CriterionScore(grade: try FieldReader(.object([member.key: member.value]), at: fields.path).int(member.key))))
                case .null:
                    scores.append((member.key, CriterionScore(grade: nil)))
                default:
                    throw ResponseShapeError(path: memberPath(), expectation: "expected an object, got \(member.value.kindName)")
                }
            }
        }
        self.scores = scores
        foundingYear = fields.int("founding_year")
        employeeCount = fields.string("employee_count").map(EmployeeCount.init(rawValue:))
        hqCountry = fields.string("hq_country")
        hqStateProvince = fields.string("hq_state_province")
        hqCity = fields.string("hq_city")
        companyFullDescription = fields.string("company_full_description")
        justification = fields.string("justification")
    }

    /// The result as the API writes it.
    public var json: JSONValue {
        .object(
            JSONObject([
                JSONMember("id", .string(id)),
                JSONMember("task_id", .string(taskID)),
                JSONMember("company_name", .string(companyName)),
                JSONMember("company_description", companyDescription.map(JSONValue.string) ?? .null),
                JSONMember("company_website", companyWebsite.map(JSONValue.string) ?? .null),
                JSONMember("relevance", relevance.map(JSONValue.int) ?? .null),
                JSONMember("created_at", createdAt.map { .string($0.text) } ?? .null),
                JSONMember("company_profile_id", companyProfileID.map(JSONValue.string) ?? .null),
                JSONMember("source", source.map { .string($0.rawValue) } ?? .null),
                JSONMember("scores", .object(JSONObject(scores.map { JSONMember($0.key, $0.score.json) }))),
                JSONMember("founding_year", foundingYear.map(JSONValue.int) ?? .null),
                JSONMember("employee_count", employeeCount.map { .string($0.rawValue) } ?? .null),
                JSONMember("hq_country", hqCountry.map(JSONValue.string) ?? .null),
                JSONMember("hq_state_province", hqStateProvince.map(JSONValue.string) ?? .null),
                JSONMember("hq_city", hqCity.map(JSONValue.string) ?? .null),
                JSONMember("company_full_description", companyFullDescription.map(JSONValue.string) ?? .null),
            ]))
    }

    public static func == (lhs: DiscoveryResult, rhs: DiscoveryResult) -> Bool {
        lhs.json == rhs.json && lhs.justification == rhs.justification
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(json)
    }
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
