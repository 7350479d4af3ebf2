import DeepSearch
import DeepSearchSimulator
import TestSupport
import Testing

/// Values the API would refuse are refused before anything is sent, with the rule named.
@Suite struct ClientValidationTests {
    static let longName = String(repeating: "n", count: 101)

    static let badCreates: [(CreateTaskRequest, String)] = [
        (CreateTaskRequest(query: "  "), "query must not be empty"),
        (CreateTaskRequest(query: "q", desiredNumResults: 0), "desired_num_results must be between 1 and 250"),
        (CreateTaskRequest(query: "q", desiredNumResults: 251), "desired_num_results must be between 1 and 250"),
        (CreateTaskRequest(query: "q", criteria: [Criterion(key: "1a", name: "N", criterion: "long enough text")]), "^[a-zA-Z][a-zA-Z0-9_]*$"),
        (CreateTaskRequest(query: "q", criteria: [Criterion(key: "k", name: "", criterion: "long enough text")]), "name must be 1 to 100 characters"),
        (
            CreateTaskRequest(query: "q", criteria: [Criterion(key: "k", name: longName, criterion: "long enough text")]),
            "name must be 1 to 100 characters"
        ),
        (CreateTaskRequest(query: "q", criteria: [Criterion(key: "k", name: "N", criterion: "too short")]), "text must be 10 to 500 characters"),
        (
            CreateTaskRequest(query: "q", criteria: [Criterion(key: "k", name: "N", criterion: String(repeating: "x", count: 501))]),
            "text must be 10 to 500 characters"
        ),
        (
            CreateTaskRequest(
                query: "q",
                criteria: [
                    Criterion(key: "k", name: "A", criterion: "long enough text"), Criterion(key: "k", name: "B", criterion: "long enough text"),
                ]), "used twice"
        ),
        (CreateTaskRequest(query: "q", dataSources: [DataSource(rawValue: "extruct_db")]), "unknown data source 'extruct_db'"),
    ]

    @Test func refusedCreatesSendNothing() async throws {
        try await ClientFixture.with { f in
            for (request, rule) in Self.badCreates {
                let error = await expectError { _ = try await f.client.createTask(request) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.description.contains(rule) == true, "\(error?.description ?? "no error") names \(rule)")
            }
            for n in [-1, 251] {
                let error = await expectError { _ = try await f.client.resume(id: "x", desiredNewResults: n) }
                #expect(error?.description == "desired_new_results must be between 0 and 250 (got \(n))")
            }
            #expect(
                await expectError { _ = try await f.client.results(id: "x", page: PageRequest(offset: -1, limit: 5)) }?.description.contains(
                    "offset must be 0 or more") == true)
            #expect(
                await expectError { _ = try await f.client.results(id: "x", page: PageRequest(offset: 0, limit: 0)) }?.description.contains(
                    "limit must be 1 or more") == true)
            #expect(await expectError { _ = try await f.client.listTasks(PageRequest(offset: 0, limit: 0)) }?.code == .invalidArgument)
            #expect(f.sim.simulator.journal.total == 0)
        }
    }

    @Test func keyPatternMatchesTheAPIsRule() {
        for good in ["a", "is_ai_company", "B2b", "x_1"] { #expect(CreateTaskRequest.isValidKey(good)) }
        for bad in ["", "1a", "_a", "a-b", "a b", "é"] { #expect(!CreateTaskRequest.isValidKey(bad)) }
    }

    @Test func theBoundsThemselvesAreAccepted() throws {
        try CreateTaskRequest(query: "q", desiredNumResults: 1).validate()
        try CreateTaskRequest(query: "q", desiredNumResults: 250).validate()
        try CreateTaskRequest(
            query: "q", criteria: [Criterion(key: "k", name: String(repeating: "n", count: 100), criterion: String(repeating: "x", count: 500))]
        ).validate()
        try PageRequest(offset: 0, limit: 1).validate()
    }
}
