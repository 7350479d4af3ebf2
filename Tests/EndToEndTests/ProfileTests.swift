import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Profiles from config.toml through the binary: the token and URL of the chosen profile reach the
/// API; a mistake in the file is one error line with the file, the line and the key; a token file
/// others can read is refused.
@Suite struct ProfileTests {
    func writeConfig(_ text: String, in home: TemporaryDirectory, mode: Int = 0o600) throws -> String {
        let directory = home.file("config/extruct-shell")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/config.toml"
        try writeFile(path, text)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func theChosenProfilesURLAndTokenAreUsed() async throws {
        try await SimulatorFixture.with { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            // A dotted-key profile with an escaped quote in an unrelated one: TOML, not a subset.
            _ = try writeConfig(
                """
                default_profile = "other"
                profiles.work.api_url = "\(sim.url)"
                profiles.work.token = "\(SimulatorFixture.token)"

                [profiles.other]
                api_url = "http://127.0.0.1:1"
                token = "ab\\"cd"
                """, in: home)
            let run = try await runShell(["--profile", "work", "-c", "tasks", "-c", "token"], home: home.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("profile work"), "token says where it came from: \(run.stdout)")
            #expect(sim.count("GET", "/v1/discovery_tasks") == 1)
        }
    }

    @Test func aMistakeInTheFileIsOneLineWithTheFileTheLineAndTheKey() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = try writeConfig("[profiles.work]\napi_url = \"http://127.0.0.1:1\"\ntokn = \"x\"\n", in: home)
        let run = try await runShell(["-c", "tasks"], home: home.path)
        #expect(run.status == 2)
        #expect(run.stderr == "error: \(path):3: profiles.work.tokn: unknown key; a profile takes api_url, token, ca_file and proxy\n")
        _ = try writeConfig("[profiles.work]\ntoken = unquoted\n", in: home)
        let syntax = try await runShell(["-c", "tasks"], home: home.path)
        #expect(syntax.status == 2)
        #expect(syntax.stderr.hasPrefix("error: \(path):2:"), "\(syntax.stderr)")
        #expect(syntax.stderr.split(separator: "\n").count == 1)
    }

    @Test func aTokenFileOthersCanReadIsRefused() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = try writeConfig("token = \"tok-secret-123456789\"\n", in: home, mode: 0o644)
        let run = try await runShell(["-c", "tasks"], home: home.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("run chmod 600 \(path)"))
        #expect(!run.stderr.contains("tok-secret"))
    }
}
