import DeepSearch
import Testing

@testable import ShellKit

@MainActor @Suite struct SmokeTests {
    @Test func echo() async throws {
        try await InProcessShell.with { shell in
            let outcome = await shell.run("echo hi")
            #expect(outcome.output == "hi\n")
            let status = await shell.run("status \(shell.done.id)")
            #expect(status.status == 0, "\(status.errors)")
            print(status.output)
        }
    }
}
