import DeepSearch

/// `raw METHOD PATH [JSON]`: any request, the answer as JSON.
struct RawCommand: ShellCommand {
    static let spec = CommandSpec(
        "raw", synopsis: "raw METHOD PATH [JSON]",
        abstract: "Send any request to the API and print the answer as JSON, for exploring.",
        examples: ["raw GET /v1/discovery_tasks?limit=2", #"raw POST /v1/discovery_tasks/$task/resume '{"desired_new_results": 5}'"#],
        positionals: 2...3, positionalCompletion: .values(["GET", "POST"]), talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let method = arguments.positionals[0].text
        let path = arguments.positionals[1].text
        var body: JSONValue?
        if arguments.positionals.count > 2 {
            do {
                body = try JSONParser.parse(arguments.positionals[2].text)
            } catch {
                throw CommandFailure.usage("raw: the body is not valid JSON: \(error)")
            }
        }
        let send = { try await context.client().raw(method: method, target: path, body: body) }
        // A request that spends goes through the guard as create and resume do.
        let bare = String(path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        let response =
            if let endpoint = APIEndpoint.matching(method: method.uppercased(), path: bare), endpoint.spendsCredits {
                try await context.spending.spend(upTo: Spending.most(endpoint, body: body), for: "raw \(method.uppercased()) \(bare)", send)
            } else {
                try await send()
            }
        context.remember(response.raw, status: response.status)
        if let task = try? DiscoveryTask(json: response.raw), !task.id.isEmpty { context.note(task) }
        context.printJSON(response.raw)
    }
}
