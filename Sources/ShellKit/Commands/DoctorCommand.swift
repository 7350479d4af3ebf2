import DeepSearch

/// `doctor`: why the shell cannot reach the API, or cannot work once there (see ``Doctor``).
struct DoctorCommand: ShellCommand {
    static let spec = CommandSpec(
        "doctor", synopsis: "doctor [--json]",
        abstract: "Check, in order, what the shell needs: the API URL, DNS, the proxy, TLS, the API, the token, the plan and the credits.",
        discussion:
            "Each line is ✓, ✗ or – (not tried, and why) with what to do. The proxy and the CA files are those the shell uses (--proxy, --ca-file, the profile, HTTPS_PROXY, NO_PROXY, EXTRUCT_CA_FILE, SSL_CERT_FILE). Sends GET /v1/healthcheck, /v1/user and /v1/billing; the token is shown masked. Fails (exit status 1, a script stops) when any check fails. With --json (or output json), prints {\"ok\": …, \"checks\": [{\"check\", \"status\", \"detail\", \"advice\"}]}.",
        examples: ["doctor"], flags: [FlagSpec("--json", arity: 0, help: "the checks as JSON")], isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let json = context.wantsJSON || arguments.flag("--json")
        // For people each line as soon as its check is done; for programs one document at the end.
        let checks = try await Doctor.run(context) { check in
            guard !json else { return }
            context.console.out(DoctorReport.render([check], width: context.width, style: context.style))
            context.console.flush()
        }
        if json { context.printJSON(DoctorReport.json(checks)) }
        let failed = checks.filter { $0.verdict == .failed }
        guard failed.isEmpty else {
            throw CommandFailure.local(
                "\(failed.count) of \(checks.count) checks failed: \(failed.map(\.label).joined(separator: ", "))")
        }
    }
}
