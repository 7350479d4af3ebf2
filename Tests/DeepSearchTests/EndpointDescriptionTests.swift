import DeepSearch
import DeepSearchSimulator
import TestSupport
import Testing

/// The descriptions of the endpoints (`APIEndpoint`): paths made and read back, routing, and the
/// client's behaviour that follows from them.
@Suite struct EndpointDescriptionTests {
    static let hostileIDs = ["3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e", "a/b", "x y+z", "é東", "%2F", "..", "?q=1#f"]

    @Test(arguments: APIEndpoint.all)
    func aPathMadeFromTheTemplateReadsBackToItsParametersAndRoutesToItsEndpoint(_ endpoint: APIEndpoint) {
        for id in Self.hostileIDs {
            let parameters = endpoint.parameterNames.map { _ in id }
            let path = endpoint.path(parameters)
            #expect(!path.contains("{"), "\(path)")
            #expect(endpoint.parameters(in: path) == parameters, "\(path)")
            #expect(APIEndpoint.route(method: endpoint.method, path: path) == .endpoint(endpoint, parameters: parameters), "\(path)")
        }
    }

    @Test(arguments: APIEndpoint.all)
    func anotherMethodOnItsPathIs405WithTheMethodsThePathTakes(_ endpoint: APIEndpoint) {
        let path = endpoint.path(endpoint.parameterNames.map { _ in "3f2a8c1e" })
        let allowed = APIEndpoint.all.filter { $0.parameters(in: path) != nil }.map(\.method)
        #expect(allowed.contains(endpoint.method))
        for method in ["PUT", "DELETE", "PATCH", "GET", "POST"] where !allowed.contains(method) {
            #expect(APIEndpoint.route(method: method, path: path) == .methodNotAllowed(allowed: allowed))
        }
    }

    @Test func pathsThatAreNoEndpointAreNotFound() {
        for path in [
            "/", "", "/v1", "/v1/", "/v1/discovery_tasks/", "/v1/discovery_tasks//results", "/v1/discovery_tasks/x/results/",
            "/v1/discovery_tasks/x/other", "/v2/discovery_tasks", "/v1/users", "/v1/user/", "/V1/user", "/v1/healthcheck/x",
        ] {
            #expect(APIEndpoint.route(method: "GET", path: path) == .notFound, "\(path)")
        }
        #expect(APIEndpoint.route(method: "POST", path: "/v1/discovery_tasks") == .endpoint(.createTask, parameters: []))
        #expect(APIEndpoint.route(method: "GET", path: "/v1/discovery_tasks") == .endpoint(.listTasks, parameters: []))
    }

    @Test func everyEndpointHasOneNameAndOneMethodAndPath() {
        #expect(Set(APIEndpoint.all.map(\.name)) == Set(APIEndpoint.Name.allCases))
        #expect(APIEndpoint.all.count == APIEndpoint.Name.allCases.count)
        #expect(Set(APIEndpoint.all.map(\.description)).count == APIEndpoint.all.count)
        for endpoint in APIEndpoint.all { #expect(APIEndpoint.named(endpoint.name) == endpoint) }
    }

    @Test func whatSpendsIsWhatIsNeverRetriedAndSaysWhatToCheck() {
        for endpoint in APIEndpoint.all {
            #expect(endpoint.spendsCredits == !endpoint.isIdempotent, "\(endpoint)")
            #expect((endpoint.whenUnsure != nil) == endpoint.spendsCredits, "\(endpoint)")
        }
        #expect(APIEndpoint.all.filter(\.spendsCredits).map(\.name) == [.createTask, .resume])
        #expect(APIEndpoint.all.filter { !$0.needsToken }.map(\.name) == [.healthcheck])
    }

    /// The description and the simulator's router agree on every endpoint: the right method
    /// reaches it (401 without a token where one is needed), every other method is a 405 whose
    /// `Allow` is the description's, over real HTTP.
    @Test(arguments: Scheme.allCases)
    func theSimulatorRoutesEveryEndpointAsItIsDescribed(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let anonymous = RawHTTP(sim.url, token: nil, caFile: sim.caFile)
            for endpoint in APIEndpoint.all {
                let path = endpoint.path(endpoint.parameterNames.map { _ in "3f2a8c1e" })
                let reached = try await anonymous.send(endpoint.method, path, body: endpoint.method == "POST" ? "{}" : nil)
                #expect(reached.status == (endpoint.needsToken ? 401 : 200), "\(endpoint): \(reached.text)")
                let allowed = APIEndpoint.all.filter { $0.parameters(in: path) != nil }.map(\.method)
                for method in ["GET", "POST", "PUT", "DELETE"] where !allowed.contains(method) {
                    let refused = try await RawHTTP(sim).send(method, path)
                    #expect(refused.status == 405, "\(method) \(path)")
                    #expect(refused.headers["allow"] == allowed.joined(separator: ", "), "\(method) \(path)")
                }
            }
            #expect(try await RawHTTP(sim).get("/v1/accounts").status == 404)
        }
    }

    /// The token goes only where the description says it is needed.
    @Test(arguments: TransportKind.allCases)
    func theHealthcheckIsSentWithoutTheTokenAndTheAccountWithIt(_ transport: TransportKind) async throws {
        try await ClientFixture.with(transport: transport) { f in
            let health = try await f.client.send(.healthcheck)
            #expect(health.raw["status"] == "ok")
            _ = try await f.client.send(.user)
            let sent = f.spy.requests
            #expect(sent.map(\.path) == ["/v1/healthcheck", "/v1/user"])
            #expect(sent[0].header("Authorization") == nil)
            #expect(sent[1].header("Authorization") == "Bearer \(SimulatorFixture.token)")
        }
    }

    @Test func anEndpointSentWithoutItsParametersIsRefusedBeforeSending() async throws {
        let client = DeepSearchClient(configuration: .init(baseURL: "https://api.extruct.test", token: nil), transport: DryRunRecorder())
        for parameters in [[], [""], ["a", "b"]] {
            let error = await expectError { _ = try await client.send(.getTask, parameters) }
            #expect(error?.code == .invalidArgument, "\(parameters)")
        }
        #expect(await expectError { _ = try await client.send(.getTask, ["a"]) }?.code == .notSent)
    }

    /// A health check needs no token, so it may go to another host over plain http; the
    /// account, which carries the token, may not.
    @Test func theClearTextRefusalFollowsTheToken() async throws {
        let client = DeepSearchClient(
            configuration: .init(baseURL: "http://127.0.0.2.example:9", token: SimulatorFixture.token, retryPolicy: .none),
            transport: DryRunRecorder())
        let refused = await expectError { _ = try await client.send(.user) }
        #expect(refused?.code == .insecureTransport)
        let sent = await expectError { _ = try await client.send(.healthcheck) }
        #expect(sent?.code == .notSent, "the health check went to the transport")
    }
}

/// A transport that sends nothing and says so.
final class DryRunRecorder: HTTPTransport {
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        throw DeepSearchError(.notSent, "not sent")
    }
    func shutdown() async {}
}
