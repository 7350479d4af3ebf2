import DeepSearch
import Testing

/// The models read and written from one table of members: every member written is read back
/// from its own key, in the API's order, and nothing is written twice or left out.
@Suite struct ModelMemberTableTests {
    /// A model as JSON with every member holding a value other than its default, its keys, and
    /// how the model reads and writes.
    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var json: JSONValue
        var keys: [String]
        var roundTrip: @Sendable (JSONValue) throws -> JSONValue
        var testDescription: String { name }
    }

    static let task = DiscoveryTask(
        id: "3f2a8c1e", createdAt: Timestamp(text: "2026-03-01T10:00:00Z"), status: .inProgress, query: "cold chain",
        desiredNumResults: 40, isExhausted: true, numResultsDiscovered: 400, numResultsEnriched: 120, numResultsEvaluated: 90,
        numResults: 31, tableID: "tbl", autoDataSources: false, dataSources: [.linkedin, .maps],
        criteria: [Criterion(key: "fit", name: "Fit", criterion: "Fits the search well.")], excludeDomains: ["a.example"])

    static let result = DiscoveryResult(
        id: "r1", taskID: "3f2a8c1e", companyName: "Acme", companyDescription: "Makes things", companyWebsite: "acme.example",
        relevance: 88, createdAt: Timestamp(text: "2026-03-01T10:05:00Z"), companyProfileID: "p1", source: .extructDB,
        scores: [(key: "fit", score: CriterionScore(grade: 5, explanation: "Yes.", sources: ["https://acme.example"]))],
        foundingYear: 1999, employeeCount: EmployeeCount(rawValue: "11-50"), hqCountry: "Norway", hqStateProvince: "Oslo",
        hqCity: "Oslo", companyFullDescription: "Makes many things.")

    static let account = Account(
        userID: "u1", email: "ada@example.com", availableCredits: 312, organizationID: "o1", organizationName: "Analytical",
        organizationSlug: "analytical", organizationIsActive: false)

    static let subscription = Subscription(requiresSubscription: true, planTier: "legacy", status: "past_due")

    static let samples: [Sample] = [
        Sample(name: "DiscoveryTask", json: task.json, keys: DiscoveryTask.memberKeys) { try DiscoveryTask(json: $0).json },
        Sample(name: "DiscoveryResult", json: result.json, keys: DiscoveryResult.memberKeys) { try DiscoveryResult(json: $0, at: "").json },
        Sample(name: "Account", json: account.json, keys: Account.memberKeys) { try Account(json: $0).json },
        Sample(name: "Subscription", json: subscription.json, keys: Subscription.memberKeys) {
            try Billing(json: .object(["subscription": $0])).subscription!.json
        },
        Sample(name: "Billing", json: Billing(user: account, subscription: subscription).json, keys: ["user", "subscription"]) {
            try Billing(json: $0).json
        },
    ]

    @Test(arguments: samples)
    func everyMemberIsWrittenOnceInOrderAndReadBack(_ sample: Sample) throws {
        #expect(sample.json.objectValue?.keys == sample.keys)
        #expect(Set(sample.keys).count == sample.keys.count)
        #expect(try sample.roundTrip(sample.json) == sample.json)
    }

    /// Each member is read from its own key: without it, what is written for that key changes
    /// (to the default) and nothing else does.
    @Test(arguments: samples)
    func eachMemberIsReadFromItsOwnKey(_ sample: Sample) throws {
        let object = try #require(sample.json.objectValue)
        for key in sample.keys where key != "id" {
            var without = object
            without[key] = nil
            let written = try #require(try sample.roundTrip(.object(without)).objectValue)
            #expect(written[key] != object[key], "\(sample.name).\(key) was not read from \(key)")
            for other in sample.keys where other != key && !(sample.name == "DiscoveryTask" && key == "num_results") {
                #expect(written[other] == object[other], "\(sample.name): dropping \(key) changed \(other)")
            }
        }
    }

    @Test func legacyNamesAndNullsStillRead() throws {
        let account = try Account(json: .object(["user_id": 7, "email": nil, "available_credits": "12", "organization_is_active": "false"]))
        #expect(account.userID == "7" && account.email == nil && account.availableCredits == 12 && account.organizationIsActive == false)
        let billing = try Billing(json: .object(["user": "not an object", "subscription": nil]))
        #expect(billing.user == nil && billing.subscription == nil)
        #expect(throws: ResponseShapeError(path: "the response", expectation: "expected an object, got array")) { try Account(json: []) }
    }
}
