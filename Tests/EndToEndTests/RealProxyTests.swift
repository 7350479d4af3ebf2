import DeepSearch
import DeepSearchSimulator
import Foundation
import LoopbackNetwork
import TestSupport
import Testing

/// The binary through the proxies and front ends users have, the real ones from Debian: squid
/// as a forward proxy (CONNECT, basic authentication, refusals by rule, an API it cannot reach,
/// a name it cannot resolve, NO_PROXY around it) and nginx terminating TLS in front of the
/// simulator (HTTP/2 on and off). Each failure is one line that says what to do. They are
/// started on free loopback ports; scripts/test installs them, so CI never skips these.
@Suite(.enabled(if: Squid.isInstalled, "squid is not installed (Debian: apt-get install squid); scripts/test installs it"))
struct SquidTests {
    func shell(_ arguments: [String], _ home: TemporaryDirectory, _ environment: [String: String]) async throws -> ProcessResult {
        try await runShell(arguments, home: home.path, extraEnvironment: environment, directory: home.path)
    }

    /// Runs `-c tasks` with `environment` and expects it to fail with one line: `error: -c: tasks: ` and `says`.
    func expectFailure(_ environment: [String: String], _ home: TemporaryDirectory, says: String) async throws {
        let run = try await shell(["-c", "tasks"], home, environment)
        #expect(run.status == 1)
        #expect(run.stderr == "error: -c: tasks: \(says)\n")
    }

    @Test func connectWithCredentialsWithoutThemAndWithAWrongPassword() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let squid = try await Squid(hosts: ["api.extruct.test": "127.0.0.1"], requireCredentials: true)
            defer { squid.stop() }
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment(host: "api.extruct.test")
            environment["HTTPS_PROXY"] = squid.url
            try await expectFailure(
                environment, home,
                says:
                    "the proxy \(squid.url) (from HTTPS_PROXY) asks for credentials (407 Proxy Authentication Required); put them in the proxy URL: http://USER:PASSWORD@127.0.0.1:\(squid.port)"
            )
            environment["HTTPS_PROXY"] = squid.url(password: "not-the-password")
            try await expectFailure(
                environment, home,
                says:
                    "the proxy \(squid.url) (from HTTPS_PROXY) refused the credentials in its URL (407 Proxy Authentication Required); check the user and password in the proxy URL"
            )
            #expect(sim.simulator.journal.total == 0)
            environment["HTTPS_PROXY"] = squid.url()
            let task = try await shell(["-q", "-c", "create \"through squid\" --results 3", "-c", "tasks", "-c", "status"], home, environment)
            #expect(task.status == 0, "\(task.stderr)")
            #expect(sim.count("POST") == 1 && sim.count("GET") == 3 && sim.count("GET", "/v1/user") == 1)
            #expect(!(task.stdout + task.stderr).contains(Squid.password))
            // squid logs a tunnel when it closes, which can be just after the shell ended.
            try await waitUntil("squid logged a tunnel with the user") {
                squid.accessLog.contains {
                    $0.contains("TCP_TUNNEL/200") && $0.contains("api.extruct.test:\(sim.running.port)") && $0.contains(Squid.user)
                }
            }
        }
    }

    @Test func theAPIBehindItDownARuleAgainstItAndANameItCannotResolve() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let squid = try await Squid(hosts: ["api.extruct.test": "127.0.0.1", Squid.refusedHost: "127.0.0.1"])
            defer { squid.stop() }
            let home = try TemporaryDirectory()
            defer { home.remove() }
            // Nothing listens there: squid cannot connect.
            let listener = try LoopbackListener()
            let closed = Int(listener.port)
            listener.stop()
            var environment = sim.shellEnvironment(host: "api.extruct.test", port: closed)
            environment["HTTPS_PROXY"] = squid.url
            try await expectFailure(
                environment, home,
                says:
                    "the proxy \(squid.url) (from HTTPS_PROXY) could not reach api.extruct.test:\(closed) (503 Service Unavailable, ERR_CONNECT_FAIL); check the API URL, and that the proxy can reach it; or try again later"
            )
            environment["EXTRUCT_API_URL"] = "https://\(Squid.refusedHost):\(sim.running.port)"
            try await expectFailure(
                environment, home,
                says:
                    "the proxy \(squid.url) (from HTTPS_PROXY) refused to connect to \(Squid.refusedHost):\(sim.running.port) (403 Forbidden, ERR_ACCESS_DENIED); ask for \(Squid.refusedHost):\(sim.running.port) to be allowed, or leave it out of the proxy with NO_PROXY"
            )
            // A name its DNS server gives no answer for: squid answers 500, and names it.
            environment["EXTRUCT_API_URL"] = "https://nowhere.extruct.test:\(sim.running.port)"
            try await expectFailure(
                environment, home,
                says:
                    "the proxy \(squid.url) (from HTTPS_PROXY) could not reach nowhere.extruct.test:\(sim.running.port) (500 Internal Server Error, ERR_CANNOT_FORWARD); check the API URL, and that the proxy can reach it; or try again later"
            )
            #expect(sim.simulator.journal.total == 0)
        }
    }

    @Test func noProxySendsTheHostAroundSquid() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let squid = try await Squid(hosts: ["api.extruct.test": "127.0.0.1"])
            defer { squid.stop() }
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment(host: "api.extruct.test")
            environment["HTTPS_PROXY"] = squid.url
            let proxied = try await shell(["-q", "-c", "tasks"], home, environment)
            #expect(proxied.status == 0, "\(proxied.stderr)")
            // Logged as each tunnel closes, which can be just after the shell ended: all of them
            // (the first request opens the connections for what follows) before counting.
            try await waitUntil("squid logged every tunnel") {
                squid.accessLog.count { $0.contains("TCP_TUNNEL") } == DefaultTransport.connectionsAhead
            }
            let tunnels = squid.accessLog.count
            // Around the proxy, this machine must resolve the name itself, and cannot.
            environment["NO_PROXY"] = "example.com,.extruct.test"
            let around = try await shell(["-c", "tasks"], home, environment)
            #expect(around.status == 1)
            #expect(
                around.stderr.contains("cannot reach https://api.extruct.test:\(sim.running.port): the host name does not resolve"),
                "\(around.stderr)")
            #expect(squid.accessLog.count == tunnels, "nothing went through squid")
            #expect(sim.count("GET") == 1)
        }
    }
}

/// nginx terminating TLS in front of the simulator, as an API's front end does, with HTTP/2 on
/// and off: the shell speaks HTTP/1.1 to both (it asks for nothing else), an export's pages go
/// out together on the connections opened while the first request ran, and nginx's own error
/// pages read as one line with the status once.
@Suite(.enabled(if: Nginx.isInstalled, "nginx is not installed (Debian: apt-get install nginx-light); scripts/test installs it"))
struct NginxTests {
    @Test(arguments: [true, false])
    func everyRequestGoesThroughNginxAndThePagesGoOutTogether(_ http2: Bool) async throws {
        try await SimulatorFixture.with { sim in
            let task = try await sim.doneTask()
            let nginx = try await Nginx(upstreamPort: UInt16(sim.running.port), http2: http2)
            defer { nginx.stop() }
            let relay = try DelayRelay(to: nginx.port, roundTrip: .milliseconds(250))
            defer { relay.stop() }
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let environment = [
                "EXTRUCT_API_URL": "https://127.0.0.1:\(relay.port)", "EXTRUCT_API_TOKEN": SimulatorFixture.token, "EXTRUCT_CA_FILE": nginx.caFile,
            ]
            let run = try await runShell(
                ["-q", "-c", "use \(task.id)", "-c", "export all.json", "-c", "tasks"], home: home.path, extraEnvironment: environment,
                directory: home.path)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(home.read("all.json")?.contains(task.id) == true)
            let log = nginx.accessLog
            #expect(log.count == 5, "use, three pages, tasks: \(log)")
            #expect(log.allSatisfy { $0.hasSuffix(" 200 HTTP/1.1") }, "HTTP/1.1, HTTP/2 on or not: \(log)")
            let pageConnections = Set(log.filter { $0.contains("/results") }.map { $0.split(separator: " ")[0] })
            #expect(pageConnections.count == 3, "the three pages on three connections at once: \(log)")
            let firstAnswer = try #require(relay.events.first { $0.kind == .firstAnswer })
            #expect(relay.events.filter { $0.kind == .opened }.allSatisfy { $0.at < firstAnswer.at }, "opened while use ran")
            #expect(relay.connectionCount == DefaultTransport.connectionsAhead)
        }
    }

    @Test func nginxsOwnErrorPagesAreOneLineWithTheStatusOnce() async throws {
        let sim = try await SimulatorFixture.start()
        let nginx = try await Nginx(upstreamPort: UInt16(sim.running.port), http2: true)
        defer { nginx.stop() }
        let home = try TemporaryDirectory()
        defer { home.remove() }
        // Plain http to its TLS port: nginx's 400 page, its title the status and the reason.
        let plain = try await runShell(
            ["-c", "tasks"], home: home.path,
            extraEnvironment: ["EXTRUCT_API_URL": "http://127.0.0.1:\(nginx.port)", "EXTRUCT_API_TOKEN": SimulatorFixture.token])
        #expect(
            plain.stderr
                == "error: -c: tasks: the API refused GET /v1/discovery_tasks?offset=0&limit=20 (400 Bad Request: The plain HTTP request was sent to HTTPS port)\n"
        )
        // The API behind it down: nginx's 502 page.
        await sim.stop()
        let down = try await runShell(
            ["-c", "set retries 0", "-c", "tasks"], home: home.path,
            extraEnvironment: ["EXTRUCT_API_URL": nginx.url, "EXTRUCT_API_TOKEN": SimulatorFixture.token, "EXTRUCT_CA_FILE": nginx.caFile])
        #expect(
            down.stderr
                == "error: -c:2: tasks: the API failed on GET /v1/discovery_tasks?offset=0&limit=20 (502 Bad Gateway); try again in a few seconds\n"
        )
    }
}
