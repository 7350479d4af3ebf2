import DeepSearch
import DeepSearchSimulator
import Foundation
import LoopbackNetwork
import TestSupport
import Testing

/// `doctor` as people meet it: the built binary against the simulator over http and https, on
/// `--demo`, through squid and through a proxy nothing listens on, with a CA this machine does
/// not know, a refused token, no token, no credits, an API that is not there, a cassette, and on
/// a pseudo-terminal of 80 columns read through a terminal emulator.
@Suite(.serialized) struct DoctorTests {
    func doctor(_ environment: [String: String], _ arguments: [String] = [], home: TemporaryDirectory) async throws -> ProcessResult {
        try await runShell(arguments + ["-c", "doctor"], home: home.path, extraEnvironment: environment, directory: home.path)
    }

    /// The checks of a report, one a line however it was wrapped (what to do after `→`), with the
    /// runs of spaces made one: read without the layout.
    func lines(_ output: String) -> [String] {
        var checks: [String] = []
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            if line.hasPrefix(" "), !checks.isEmpty { checks[checks.count - 1] += " " + words } else { checks.append(words) }
        }
        return checks
    }

    /// A port of this machine nothing listens on.
    func closedPort() throws -> Int {
        let listener = try LoopbackListener()
        defer { listener.stop() }
        return Int(listener.port)
    }

    @Test(arguments: Scheme.allCases)
    func everyCheckPassesOverBothTransports(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 1_234 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let run = try await doctor(sim.shellEnvironment, home: home)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.isEmpty, "\(run.stderr)")
            let shown = lines(run.stdout)
            #expect(shown.first == "✓ API URL \(sim.url) (from EXTRUCT_API_URL), this machine", "\(run.stdout)")
            #expect(shown.contains("✓ DNS 127.0.0.1 is an address: nothing to look up"), "\(run.stdout)")
            #expect(shown.contains("✓ Healthcheck GET /v1/healthcheck answered 200: ok"), "\(run.stdout)")
            #expect(shown.contains("✓ Plan pro · active"), "\(run.stdout)")
            #expect(shown.contains("✓ Credits 1,234 left"), "\(run.stdout)")
            #expect(shown.contains { $0.hasPrefix("✓ Token …") && $0.contains("(from EXTRUCT_API_TOKEN) is demo@extruct.example") }, "\(run.stdout)")
            #expect(!run.stdout.contains(SimulatorFixture.token))
            if scheme == .https {
                let tls = try #require(shown.first { $0.hasPrefix("✓ TLS") }, "\(run.stdout)")
                #expect(tls.contains("issued by extruct-sim throwaway CA, valid until "), "\(run.stdout)")
                #expect(tls.contains("trusting the system's CAs and \(sim.caFile!) (from EXTRUCT_CA_FILE)"), "the CA file in use: \(run.stdout)")
            } else {
                #expect(shown.contains("– TLS plain http: no TLS"), "\(run.stdout)")
            }
            #expect(sim.count("GET", "/v1/healthcheck") == 1 && sim.count("GET", "/v1/user") == 1 && sim.count("GET", "/v1/billing") == 1)

            // A name is looked up as a connection looks it up.
            let named = try await doctor(sim.shellEnvironment(host: "localhost"), home: home)
            #expect(named.status == 0, "\(named.stdout)\(named.stderr)")
            let dns = try #require(lines(named.stdout).first { $0.hasPrefix("✓ DNS") }, "\(named.stdout)")
            #expect(dns.hasPrefix("✓ DNS localhost → ") && dns.contains("127.0.0.1"), "\(named.stdout)")

            let json = try await doctor(sim.shellEnvironment, ["--json"], home: home)
            #expect(json.status == 0, "\(json.stderr)")
            let report = try JSONParser.parse(json.stdout)
            #expect(report["ok"] == true)
            let checks = try #require(report["checks"]?.arrayValue)
            #expect(checks.compactMap { $0["check"]?.stringValue } == ["api_url", "dns", "proxy", "tls", "healthcheck", "token", "plan", "credits"])
            #expect(
                checks.compactMap { $0["status"]?.stringValue } == ["ok", "ok", "ok", scheme == .https ? "ok" : "skipped", "ok", "ok", "ok", "ok"])
        }
    }

    @Test func onTheDemoEveryCheckPasses() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let run = try await doctor([:], ["--demo"], home: home)
        #expect(run.status == 0, "\(run.stderr)")
        let shown = lines(run.stdout)
        #expect(shown.count == 8, "\(run.stdout)")
        #expect(shown.first?.hasSuffix("(from --demo), this machine") == true, "\(run.stdout)")
        #expect(shown.filter { $0.hasPrefix("✓ ") }.count == 7 && shown.contains("– TLS plain http: no TLS"), "\(run.stdout)")
    }

    @Test func aCertificateAuthorityThisMachineDoesNotKnowIsNamedWithWhatToDo() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment
            environment["EXTRUCT_CA_FILE"] = nil
            let run = try await doctor(environment, home: home)
            #expect(run.status == 1)
            #expect(run.stderr == "error: -c: doctor: 1 of 8 checks failed: TLS\n")
            let report = try JSONParser.parse(try await doctor(environment, ["--json"], home: home).stdout)
            let tls = try #require(report["checks"]?.arrayValue?.first { $0["check"] == "tls" })
            #expect(tls["status"] == "failed")
            #expect(
                tls["detail"]?.stringValue?.hasPrefix(
                    "the certificate of 127.0.0.1:\(sim.running.port) (for localhost, valid until ") == true, "\(tls)")
            #expect(
                tls["detail"]?.stringValue?.contains(") is issued by extruct-sim throwaway CA, an authority this machine does not trust") == true,
                "\(tls)")
            #expect(tls["advice"]?.stringValue?.hasPrefix("if you trust it, give its CA certificate with --ca-file FILE") == true, "\(tls)")
            // Nothing reached the API, and what needs TLS is skipped with why.
            #expect(sim.simulator.journal.total == 0)
            #expect(lines(run.stdout).contains("– Healthcheck skipped: no TLS connection"), "\(run.stdout)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aRefusedTokenAndNoTokenAreToldWithWhatToDo(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment
            environment["EXTRUCT_API_TOKEN"] = "not-the-token-0000wxyz"
            let refused = try await doctor(environment, home: home)
            #expect(refused.status == 1)
            #expect(refused.stderr == "error: -c: doctor: 1 of 8 checks failed: Token\n")
            #expect(!refused.stdout.contains("not-the-token-0000wxyz"), "never the token whole")
            let shown = lines(refused.stdout)
            #expect(
                shown.contains { $0.hasPrefix("✗ Token …wxyz (from EXTRUCT_API_TOKEN): the API refused the token (401") }, "\(refused.stdout)")
            #expect(refused.stdout.contains("set another with token --prompt"), "\(refused.stdout)")
            #expect(shown.suffix(2) == ["– Plan skipped: the token was refused", "– Credits skipped: the token was refused"], "\(refused.stdout)")

            environment["EXTRUCT_API_TOKEN"] = nil
            let none = try await doctor(environment, home: home)
            #expect(none.status == 1)
            #expect(none.stderr == "error: -c: doctor: 1 of 8 checks failed: Token\n", "doctor runs without a token")
            #expect(lines(none.stdout).contains { $0.hasPrefix("✗ Token no token given") }, "\(none.stdout)")
            #expect(none.stdout.contains("run token --prompt or set EXTRUCT_API_TOKEN"), "\(none.stdout)")
        }
    }

    @Test func noCreditsLeftFails() async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 0 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let run = try await doctor(sim.shellEnvironment, home: home)
            #expect(run.status == 1)
            #expect(run.stderr == "error: -c: doctor: 1 of 8 checks failed: Credits\n")
            #expect(
                lines(run.stdout).last == "✗ Credits none left: create and resume are refused → add credits at https://app.extruct.ai",
                "\(run.stdout)")
        }
    }

    @Test(arguments: Scheme.allCases)
    func aPlanTheAPIRefusesIsToldWithWhatToDo(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            sim.simulator.faults.add(FaultRule(.paymentRequired, path: "/v1/billing", count: 1))
            let run = try await doctor(sim.shellEnvironment, home: home)
            #expect(run.status == 1)
            #expect(run.stderr == "error: -c: doctor: 1 of 8 checks failed: Plan\n")
            #expect(
                lines(run.stdout).contains {
                    $0.hasPrefix("✗ Plan Deep Search needs a Pro plan (402 plan_required")
                        && $0.hasSuffix("→ upgrade at https://app.extruct.ai, or ask your organisation for access")
                }, "\(run.stdout)")
            #expect(lines(run.stdout).last == "✓ Credits 100,000 left", "the credits are still read: \(run.stdout)")
        }
    }

    @Test func anAPIThatIsNotThereAndAHostThatDoesNotResolve() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let port = try closedPort()
        let down = try await doctor(["EXTRUCT_API_URL": "http://127.0.0.1:\(port)", "EXTRUCT_API_TOKEN": SimulatorFixture.token], home: home)
        #expect(down.status == 1)
        #expect(down.stderr == "error: -c: doctor: 1 of 8 checks failed: Healthcheck\n")
        let shown = lines(down.stdout)
        #expect(
            shown.contains(
                "✗ Healthcheck cannot reach http://127.0.0.1:\(port): connection refused → is the API URL right? (--api-url or EXTRUCT_API_URL)"),
            "\(down.stdout)")
        #expect(shown.suffix(3).allSatisfy { $0.hasSuffix("skipped: the API did not answer") }, "\(down.stdout)")

        let nowhere = try await doctor(["EXTRUCT_API_URL": "https://nowhere.invalid", "EXTRUCT_API_TOKEN": SimulatorFixture.token], home: home)
        #expect(nowhere.status == 1)
        #expect(nowhere.stderr == "error: -c: doctor: 1 of 8 checks failed: DNS\n")
        #expect(lines(nowhere.stdout).contains { $0.hasPrefix("✗ DNS nowhere.invalid does not resolve (") }, "\(nowhere.stdout)")

        let wrong = try await doctor(["EXTRUCT_API_URL": "api.extruct.ai", "EXTRUCT_API_TOKEN": SimulatorFixture.token], home: home)
        #expect(wrong.status == 1)
        #expect(
            lines(wrong.stdout).first
                == "✗ API URL api.extruct.ai (from EXTRUCT_API_URL) is not a URL → give one such as https://api.extruct.ai with --api-url or EXTRUCT_API_URL",
            "\(wrong.stdout)")
        #expect(lines(wrong.stdout).count(where: { $0.hasSuffix("skipped: there is no API URL to reach") }) == 7, "\(wrong.stdout)")

        // A password in a URL that cannot be used is not shown either.
        let ftp = try await doctor(
            ["EXTRUCT_API_URL": "ftp://bob:hunter2-secret@x.example", "EXTRUCT_API_TOKEN": SimulatorFixture.token], home: home)
        #expect(lines(ftp.stdout).first?.hasPrefix("✗ API URL ftp://x.example (from EXTRUCT_API_URL) is ftp://, not http:// or https://") == true)
        #expect(!(ftp.stdout + ftp.stderr).contains("hunter2"))

        // Plain http to another machine: the token is not sent, as the client has it.
        let clear = try await doctor(["EXTRUCT_API_URL": "http://192.0.2.1:\(port)", "EXTRUCT_API_TOKEN": SimulatorFixture.token], home: home)
        #expect(
            lines(clear.stdout).first?.hasPrefix("✗ API URL http://192.0.2.1:\(port) (from EXTRUCT_API_URL) is plain http to another machine") == true
        )
    }

    @Test func aProxyNothingListensOnIsNamedWithWhereItCameFrom() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let port = try closedPort()
            var environment = sim.shellEnvironment(host: "api.extruct.test")
            environment["HTTPS_PROXY"] = "http://127.0.0.1:\(port)"
            let run = try await doctor(environment, home: home)
            #expect(run.status == 1)
            #expect(run.stderr == "error: -c: doctor: 1 of 8 checks failed: Proxy\n")
            let shown = lines(run.stdout)
            #expect(
                shown.contains("✓ DNS api.extruct.test is looked up by the proxy; the proxy's host 127.0.0.1 is an address: nothing to look up"),
                "\(run.stdout)")
            #expect(
                shown.contains(
                    "✗ Proxy cannot reach the proxy http://127.0.0.1:\(port) (from HTTPS_PROXY): connection refused → check the proxy, or go direct for this host with NO_PROXY"
                ), "\(run.stdout)")
            #expect(sim.simulator.journal.total == 0)

            // On this machine the proxy is not used, and doctor says which one it leaves out.
            var local = sim.shellEnvironment
            local["HTTPS_PROXY"] = "http://127.0.0.1:\(port)"
            let direct = try await doctor(local, home: home)
            #expect(direct.status == 0, "\(direct.stdout)")
            #expect(
                lines(direct.stdout).contains(
                    "✓ Proxy none: 127.0.0.1 is this machine, always reached directly (http://127.0.0.1:\(port) from HTTPS_PROXY is not used)"),
                "\(direct.stdout)")
        }
    }

    @Test(.enabled(if: Squid.isInstalled, "squid is not installed (Debian: apt-get install squid); scripts/test installs it"))
    func throughSquidTheTunnelAndTheCertificateBeyondIt() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let squid = try await Squid(hosts: ["api.extruct.test": "127.0.0.1", Squid.refusedHost: "127.0.0.1"], requireCredentials: true)
            defer { squid.stop() }
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment(host: "api.extruct.test")
            environment["HTTPS_PROXY"] = squid.url()
            let run = try await doctor(environment, home: home)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(!(run.stdout + run.stderr).contains(Squid.password))
            let shown = lines(run.stdout)
            #expect(shown.contains("✓ Proxy \(squid.url) (from HTTPS_PROXY) opens a tunnel to api.extruct.test:\(sim.running.port)"), "\(run.stdout)")
            #expect(shown.contains { $0.hasPrefix("✓ TLS certificate for localhost, issued by extruct-sim throwaway CA") }, "\(run.stdout)")
            #expect(sim.count("GET", "/v1/healthcheck") == 1)

            // Without the credentials squid asks for, and a host its rules refuse.
            environment["HTTPS_PROXY"] = squid.url
            let refused = try await doctor(environment, home: home)
            #expect(refused.status == 1)
            #expect(
                lines(refused.stdout).contains {
                    $0.hasPrefix("✗ Proxy the proxy \(squid.url) (from HTTPS_PROXY) asks for credentials (407 Proxy Authentication Required")
                },
                "\(refused.stdout)")
            environment["HTTPS_PROXY"] = squid.url()
            environment["EXTRUCT_API_URL"] = "https://\(Squid.refusedHost):\(sim.running.port)"
            let blocked = try await doctor(environment, home: home)
            #expect(blocked.status == 1)
            #expect(blocked.stdout.contains("(403 Forbidden, ERR_ACCESS_DENIED)"), "\(blocked.stdout)")
            #expect(sim.count("GET", "/v1/healthcheck") == 1)
        }
    }

    @Test(arguments: Scheme.allCases)
    func fromACassetteTheNetworkChecksAreSkipped(_ scheme: Scheme) async throws {
        try await SimulatorFixture.with(scheme: scheme, configure: { $0.credits = 42 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let recorded = try await doctor(sim.shellEnvironment, ["--record-http", "d.jsonl"], home: home)
            #expect(recorded.status == 0, "\(recorded.stderr)")
            #expect(!(home.read("d.jsonl") ?? SimulatorFixture.token).contains(SimulatorFixture.token))
            let offline = try await doctor(
                ["EXTRUCT_API_URL": "\(scheme)://127.0.0.1:9", "EXTRUCT_API_TOKEN": SimulatorFixture.token], ["--replay-http", "d.jsonl"], home: home)
            #expect(offline.status == 0, "\(offline.stdout)\(offline.stderr)")
            let shown = lines(offline.stdout)
            for label in ["DNS", "Proxy", "TLS"] {
                #expect(shown.contains("– \(label) skipped: replaying a cassette (--replay-http): nothing goes on the network"), "\(offline.stdout)")
            }
            #expect(shown.suffix(4) == lines(recorded.stdout).suffix(4), "the API's answers as recorded")
        }
    }

    @Test func theReportFitsATerminalOf80Columns() async throws {
        try await SimulatorFixture.with(configure: { $0.credits = 0 }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let terminal = ScreenTests.Terminal(columns: 80, colour: true)
            let screens = ScreenTests()
            let pty = try screens.start(terminal, sim: sim, home: home)
            defer { pty.terminate() }
            let mark = try await screens.run("doctor", on: pty, terminal, after: 0)
            try await pty.wait(for: "checks failed", after: mark)
            try await screens.prompt(pty, terminal, after: mark)
            let bytes = pty.bytes
            let screen = try await TerminalScreen.render(bytes, columns: terminal.columns)
            screens.expectLaidOut(screen, bytes, terminal)
            #expect(screen.rows(containing: "✓ Healthcheck  GET /v1/healthcheck answered 200: ok").count == 1, "\(screen.text)")
            #expect(screen.rows(containing: "✗ Credits      none left: create and resume are refused").count == 1, "\(screen.text)")
            #expect(screen.rows(containing: "               → add credits at https://app.extruct.ai").count == 1, "\(screen.text)")
            #expect(screen.rows(containing: "error: 1 of 8 checks failed: Credits").count == 1, "\(screen.text)")
            // The shell goes on: the next line is read.
            let next = try await screens.run("echo still here", on: pty, terminal, after: mark)
            try await screens.prompt(pty, terminal, after: next)
            #expect(try await TerminalScreen.render(pty.bytes, columns: terminal.columns).rows.contains("still here"))
        }
    }

    /// A TLS handshake that never comes (a port that takes connections and says nothing): the
    /// lines before it are on the screen, and Ctrl-C ends it at once, not its deadline.
    @Test func ctrlCEndsAStepThatHangs() async throws {
        let silent = try LoopbackListener()
        defer { silent.stop() }
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let terminal = ScreenTests.Terminal(columns: 80, colour: false)
        var environment = terminal.environment
        environment["EXTRUCT_API_URL"] = "https://127.0.0.1:\(silent.port)"
        environment["EXTRUCT_API_TOKEN"] = SimulatorFixture.token
        let pty = try PseudoTerminal(
            Binaries.shell, ["--no-history"], environment: testEnvironment(home: home.path, extra: environment), columns: 80, rows: 30)
        defer { pty.terminate() }
        let screens = ScreenTests()
        let mark = try await screens.run("doctor", on: pty, terminal, after: 0)
        try await pty.wait(for: "✓ Proxy", after: mark)
        pty.type("\u{03}")
        // The handshake's own deadline is 10 s: an interrupt not heard would end only with it.
        try await pty.wait(for: "interrupted", after: mark, timeout: 8)
        try await screens.prompt(pty, terminal, after: mark)
        let screen = try await TerminalScreen.render(pty.bytes, columns: terminal.columns)
        #expect(screen.rows(containing: "TLS").isEmpty, "stopped before its deadline: \(screen.text)")
        #expect(screen.rows(containing: "✓ DNS          127.0.0.1 is an address").count == 1, "\(screen.text)")
    }
}
