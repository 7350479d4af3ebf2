import DeepSearch
import DeepSearchSimulator
import Foundation
import TestSupport
import Testing

/// Random line shapes that set or mention a token — prefixes, spacing, quoting and escapes,
/// `try`, `source`, variables — played from files and typed at a pseudo-terminal, under
/// `--echo`, `--cast`, `record`, `--record-http` and debug logging: no token is in any output
/// or any file. Seeded: the same lines on every run.
@Suite struct SecretsPropertyTests {
    /// The environment's token, the ones lines set, and one only a variable holds.
    static let environmentToken = "xtk_env_4c0ffee5a1b2c3d4"
    static let setTokens = ["xtk_set_9e8d7c6b5a4f3e2d", "xtk-set.7Q2W3E4R5T6Y7U8I"]
    static let variableToken = "xtk_var_1a2b3c4d5e6f7a8b"
    static var all: [String] { [environmentToken, variableToken] + setTokens }

    /// SplitMix64: the same shapes from the same seed.
    struct Choices {
        var state: UInt64
        mutating func pick(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
        mutating func one<T>(_ items: [T]) -> T { items[pick(items.count)] }
    }

    /// A token written as a line may write it.
    static func spelled(_ token: String, _ c: inout Choices) -> String {
        switch c.pick(6) {
        case 0: "\"\(token)\""
        case 1: "'\(token)'"
        case 2: "\\" + token
        case 3: "\"" + token.prefix(4) + "\"" + token.dropFirst(4)
        default: token
        }
    }

    static func gap(_ c: inout Choices) -> String { c.one([" ", " ", "  ", "\t", " \t  "]) }

    /// Lines that set the token (the set tokens, the variable's, the environment's) or mention
    /// one, in an order a session could have them; `interactive` lines may set a variable to a
    /// token before it becomes one (the files are scrubbed when it does).
    static func lines(seed: UInt64, count: Int, interactive: Bool) -> [String] {
        var c = Choices(state: seed)
        var out = ["set debug on"]
        var known = [environmentToken]
        for _ in 0..<count {
            let lead = c.pick(5) == 0 ? c.one(["try", "try "]) + gap(&c) : ""
            switch c.pick(9) {
            case 0, 1:
                let token = c.one(setTokens)
                out.append(lead + "token" + gap(&c) + spelled(token, &c) + (c.pick(4) == 0 ? " # set" : ""))
                known.append(token)
            case 2:
                let variable = c.one(["$MY_TOKEN", "\"$MY_TOKEN\"", "${MY_TOKEN}", "$EXTRUCT_API_TOKEN"])
                out.append(lead + "token" + gap(&c) + variable)
                known.append(variable.contains("MY_TOKEN") ? variableToken : environmentToken)
            case 3 where interactive:
                // A variable holds a token before the line that makes it the token.
                let token = c.one(setTokens)
                out.append("set held" + gap(&c) + spelled(token, &c))
                out.append(lead + "token" + gap(&c) + "$held")
                known.append(token)
            case 4:
                out.append(lead + c.one(["echo $EXTRUCT_API_TOKEN", "echo \"[${EXTRUCT_API_TOKEN}]\"", "set copy $EXTRUCT_API_TOKEN", "echo $copy"]))
            case 5:
                out.append(lead + "raw GET /v1/discovery_tasks?t=" + c.one(known))
            case 6:
                out.append("try" + gap(&c) + c.one(["use", "status"]) + gap(&c) + c.one(known))
            case 7:
                out.append(lead + "echo" + gap(&c) + spelled(c.one(known), &c))
            default:
                out.append(c.one(["tasks", "token", "echo plain", "history 3"]))
            }
        }
        // Back to a token the simulator knows, for the last requests.
        out.append("token $EXTRUCT_API_TOKEN")
        out.append("tasks")
        return out
    }

    /// Every secret the test used, searched in `text`.
    static func leaks(in text: String) -> [String] { all.filter { text.contains($0) } }

    /// What a file holds, and for a cast the text its events show (typed keys are one event each).
    static func contents(_ path: String) -> String {
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard path.hasSuffix(".cast") else { return text }
        let shown = text.split(separator: "\n").dropFirst().compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])?.last as? String
        }
        return text + "\n" + shown.joined() + "\n" + unwrapped(strippingEscapes(shown.joined()))
    }

    /// `text` as a viewer reads it across rows: without line ends and backspaces, and without the
    /// space a line editor writes before one where a long line wraps (a token split there is whole).
    static func unwrapped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            if scalar == "\r" || scalar == "\n" || scalar == "\u{8}" { continue }
            if scalar == " ", next == "\r" || next == "\u{8}" { continue }
            out.append(scalar)
        }
        return String(out)
    }

    func run(seed: UInt64, _ body: (SimulatorFixture, TemporaryDirectory, [String: String]) async throws -> Void) async throws {
        try await SimulatorFixture.with(configure: { $0.tokens = Self.all }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var env = sim.shellEnvironment
            env["EXTRUCT_API_TOKEN"] = Self.environmentToken
            env["MY_TOKEN"] = Self.variableToken
            try await body(sim, home, env)
            for file in home.allFiles() where !file.hasSuffix(".exsh") || file.hasSuffix("rec.exsh") {
                #expect(Self.leaks(in: Self.contents(file)).isEmpty, "seed \(seed): \(file) holds \(Self.leaks(in: Self.contents(file)))")
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func playedFromFilesNoTokenIsShownOrKept(_ seed: UInt64) async throws {
        try await run(seed: seed) { sim, home, env in
            let lines = Self.lines(seed: seed, count: 40, interactive: false)
            // Half the lines in a file the main script sources.
            let split = lines.count / 2
            try home.write("sub.exsh", lines[split...].joined(separator: "\n") + "\n")
            try home.write("main.exsh", (["record rec.exsh"] + lines[..<split] + ["source sub.exsh", "record stop"]).joined(separator: "\n") + "\n")
            let run = try await runShell(
                ["--echo", "--continue-on-error", "--cast", "play.cast", "--record-http", "play.jsonl", "main.exsh"], home: home.path,
                extraEnvironment: env, directory: home.path)
            // Played to its end: the sourced file's lines, and what follows them, were shown.
            #expect(run.stdout.contains("> source sub.exsh") && run.stdout.contains("> record stop"), "seed \(seed): the script ran\n\(run.stdout)")
            #expect(Self.leaks(in: run.stdout + run.stderr).isEmpty, "seed \(seed): \(run.stdout)\n\(run.stderr)")
            #expect(run.stderr.contains("debug: → GET"), "seed \(seed): debug logging was on")
            #expect(home.read("rec.exsh")?.contains("$EXTRUCT_API_TOKEN") == true)
        }
    }

    /// A value typed before it became the token, on a terminal so narrow that the line holding it
    /// wrapped: gone from the cast (where the wrap split it with a space and a backspace) and from
    /// what Up recalls.
    @Test func aLaterTokenOnANarrowTerminalIsGoneFromTheCastAndFromUp() async throws {
        try await run(seed: 0) { sim, home, env in
            let pty = try PseudoTerminal(
                Binaries.shell, ["--cast", home.file("narrow.cast")], environment: testEnvironment(home: home.path, extra: env), columns: 40)
            defer { pty.terminate() }
            let token = Self.setTokens[0]
            for line in ["set the_value_typed_first \(token)", "token $the_value_typed_first"] {
                let mark = try await pty.run(line)
                try await pty.waitForPrompt(after: mark)
            }
            let mark = pty.mark
            pty.type("\u{1B}[A\u{1B}[A")
            let recalled = try await pty.wait(for: "set the_value_typed_first", after: mark)
            #expect(!Self.unwrapped(strippingEscapes(recalled)).contains(token), "Up recalled the token: \(recalled.debugDescription)")
            pty.type("\u{15}\u{04}")
            _ = try await pty.waitForExit()
        }
    }

    @Test(arguments: [UInt64(4), 5])
    func typedAtThePromptNoTokenIsKept(_ seed: UInt64) async throws {
        try await run(seed: seed) { sim, home, env in
            let pty = try PseudoTerminal(
                Binaries.shell, ["--cast", home.file("pty.cast"), "--record-http", home.file("pty.jsonl")],
                environment: testEnvironment(home: home.path, extra: env))
            defer { pty.terminate() }
            var mark = try await pty.run("record \(home.file("rec.exsh"))")
            try await pty.waitForPrompt(after: mark)
            for line in Self.lines(seed: seed, count: 40, interactive: true) + ["record stop"] {
                mark = try await pty.run(line)
                try await pty.waitForPrompt(after: mark, timeout: 30)
            }
            pty.type("\u{04}")
            _ = try await pty.waitForExit()
            #expect(FileManager.default.fileExists(atPath: home.file("state/extruct-shell/history")))
            #expect(home.read("rec.exsh")?.contains("$EXTRUCT_API_TOKEN") == true)
        }
    }
}
