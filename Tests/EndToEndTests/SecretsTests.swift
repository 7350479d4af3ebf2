import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// The token never reaches the screen or a file: a full session, interactive and scripted, with
/// every way a token could slip out, then every file and every byte of output searched.
@Suite struct SecretsTests {
    static let token = "xtk_live_5b0c9d8e7f6a5b4c3d2e1f00"

    @Test(arguments: Scheme.allCases)
    func aFullSessionLeavesTheTokenNowhere(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(
            scheme: scheme,
            configure: { c in
                c.tokens = [Self.token]
                c.clock = WallClock()
                c.speed = 300
            }
        ) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let env = sim.shellEnvironment.merging(["EXTRUCT_API_TOKEN": Self.token]) { $1 }
            var output = ""

            // Scripted: token VALUE, a recording, a cassette, an export, debug logging, errors.
            let script = """
                set debug on
                token \(Self.token)
                record rec.exsh
                token \(Self.token)
                set poll_interval 0.05
                create "secret hygiene" --results 3
                watch
                results
                export out.csv
                export out.json
                echo $EXTRUCT_API_TOKEN
                raw GET /v1/discovery_tasks?t=\(Self.token)
                try use 00000000-0000-4000-8000-000000000000
                try resume 300
                token
                record stop
                """
            try home.write("s.exsh", script)
            for arguments in [
                ["--record-http", "c.jsonl", "--echo", "s.exsh"], ["--dry-run", "--echo", "s.exsh"], ["--json", "s.exsh"],
                ["--cast", "s.cast", "--typing", "0", "s.exsh"],
            ] {
                let run = try await runShell(arguments, home: home.path, extraEnvironment: env, directory: home.path)
                #expect(run.status == 0, "\(arguments): \(run.stderr)")
                output += run.stdout + run.stderr
            }
            // A wrong token: the error says where it came from, not what it is.
            let wrong = try await runShell(
                ["-c", "tasks"], home: home.path, extraEnvironment: sim.shellEnvironment.merging(["EXTRUCT_API_TOKEN": "wrong-" + Self.token]) { $1 },
                directory: home.path)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("EXTRUCT_API_TOKEN"))
            output += wrong.stdout + wrong.stderr

            // Interactive: the token typed at a prompt that does not echo, then used.
            let pty = try PseudoTerminal(
                Binaries.shell, ["--debug", "--cast", home.file("i.cast")],
                environment: testEnvironment(home: home.path, extra: sim.shellEnvironment.filter { $0.key != "EXTRUCT_API_TOKEN" }))
            defer { pty.terminate() }
            var mark = try await pty.run("token --prompt")
            try await pty.wait(for: "token: ", after: mark)
            pty.type(Self.token + "\r")
            try await pty.waitForPrompt(after: mark)
            for line in ["tasks", "echo $EXTRUCT_API_TOKEN", "set debug on", "status", "frobnicate", "history"] {
                mark = try await pty.run(line)
                try await pty.waitForPrompt(after: mark)
            }
            pty.type("\u{04}")
            _ = try await pty.waitForExit()
            output += pty.screen

            // A token typed inline at the prompt shows on that screen as typed, but never reaches
            // the recording of it (the files are searched below).
            let inline = try PseudoTerminal(
                Binaries.shell, ["--cast", home.file("inline.cast"), "--no-history"],
                environment: testEnvironment(home: home.path, extra: sim.shellEnvironment.filter { $0.key != "EXTRUCT_API_TOKEN" }))
            defer { inline.terminate() }
            mark = try await inline.run("token \(Self.token)")
            try await inline.waitForPrompt(after: mark)
            mark = try await inline.run("tasks")
            try await inline.waitForPrompt(after: mark)
            inline.type("\u{04}")
            _ = try await inline.waitForExit()
            #expect(FileManager.default.fileExists(atPath: home.file("inline.cast")))

            #expect(!output.contains(Self.token), "no byte of output holds the token")
            #expect(output.contains("Bearer …"), "debug logging was on")
            for file in home.allFiles() where !file.hasSuffix("s.exsh") {
                let data = FileManager.default.contents(atPath: file) ?? Data()
                #expect(!String(decoding: data, as: UTF8.self).contains(Self.token), "\(file) holds the token")
            }
            #expect(home.read("rec.exsh")?.contains("token $EXTRUCT_API_TOKEN") == true)
            #expect(home.mode("c.jsonl") == 0o600)
            #expect(home.mode("s.cast") == 0o600 && home.mode("i.cast") == 0o600 && home.mode("inline.cast") == 0o600)
            #expect(home.read("inline.cast")?.contains("token …") == true)
            #expect(home.mode("state/extruct-shell/history") == 0o600)
            #expect(home.read("state/extruct-shell/history")?.contains("token --prompt") == true)
        }
    }

    @Test func aConfigReadableByOthersThatHoldsATokenIsRefused() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try FileManager.default.createDirectory(atPath: home.path + "/config/extruct-shell", withIntermediateDirectories: true)
        let path = home.path + "/config/extruct-shell/config.toml"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("[profiles.work]\ntoken = \"\(Self.token)\"\n".utf8), attributes: [.posixPermissions: 0o644])
        let run = try await runShell(["-c", "token"], home: home.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("chmod 600"))
        #expect(!run.stderr.contains(Self.token))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let ok = try await runShell(["-c", "token"], home: home.path)
        #expect(ok.status == 0)
        #expect(ok.stdout == "token …1f00 from profile work in \(path)\n")
    }

    /// Names that only look like this machine are refused as any other host is (they resolve
    /// wherever DNS says); only a loopback address or `localhost` gets the token in clear text.
    @Test(arguments: ["api.example.com", "127.evil.example:9", "localhost.evil.example:9", "127.0.0.1.evil.example:9", "evil.localhost:9"])
    func theTokenIsNotSentOverPlainHTTPToAnotherHost(_ host: String) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await runShell(
            ["-c", "tasks"], home: home.path, extraEnvironment: ["EXTRUCT_API_URL": "http://\(host)", "EXTRUCT_API_TOKEN": Self.token])
        #expect(run.status == 1)
        let name = host.split(separator: ":")[0]
        #expect(run.stderr.contains("refusing to send the token to \(name) over plain http"), "\(run.stderr)")
        #expect(!run.stderr.contains(Self.token))
    }
}
