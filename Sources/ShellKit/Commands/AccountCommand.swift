import DeepSearch

/// `account` (`whoami`): the user, the organisation, the plan and the credits left.
struct AccountCommand: ShellCommand {
    static let spec = CommandSpec(
        "account", aliases: ["whoami"], synopsis: "account",
        abstract: "Show who the token belongs to: the user, the organisation, the plan and the credits left.",
        discussion:
            "Asks GET /v1/user and GET /v1/billing. With output json, prints both answers as the API sent them: {\"user\": …, \"billing\": …}.",
        examples: ["account"], talksToAPI: true)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let client = context.client()
        let user = try await client.send(.user)
        // The plan is the second thing asked: an API that refuses it (an account without one)
        // still gets the user and the credits shown, the plan as unknown.
        var billing: DeepSearchClient.Response<Billing>?
        do {
            billing = try await client.send(.billing)
        } catch let error as DeepSearchError where error.status != nil {
            billing = nil
        }
        let raw = JSONValue.object(["user": user.raw, "billing": billing?.raw ?? .null])
        context.remember(raw, status: billing?.status ?? user.status)
        if context.wantsJSON {
            context.printJSON(raw)
        } else {
            context.console.out(AccountCard.render(user.value, billing: billing?.value, width: context.width, style: context.style))
        }
    }
}
