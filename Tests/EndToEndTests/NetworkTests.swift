import DeepSearch
import DeepSearchSimulator
import Foundation
import SimulatorTLS
import TestSupport
import Testing

/// The real network as users configure it, through the binary: CA bundles from every place they
/// are named, proxies from the environment with NO_PROXY, credentials that never show, and the
/// failures of each in one line. Nothing leaves 127.0.0.0/8: the API's name is resolved by the
/// test proxy.
@Suite struct NetworkTests {
    func shell(_ arguments: [String], _ home: TemporaryDirectory, _ environment: [String: String]) async throws -> ProcessResult {
        try await runShell(arguments, home: home.path, extraEnvironment: environment, directory: home.path)
    }

    @Test func anUntrustedServerIsOneErrorLineWithTheWayOutAndOneTry() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            var environment = sim.shellEnvironment
            environment["EXTRUCT_CA_FILE"] = nil
            let run = try await shell(["--debug", "-c", "tasks"], home, environment)
            #expect(run.status == 1)
            let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
            #expect(
                errors == [
                    "error: -c: tasks: cannot reach \(sim.url): its certificate is not trusted here (issued by an authority this machine does not know); if a proxy or gateway inspects TLS, give its CA with --ca-file or SSL_CERT_FILE"
                ], "\(run.stderr)")
            #expect(run.stderr.components(separatedBy: "→ GET").count == 2, "one attempt: a certificate failure is not retried")
            #expect(sim.count("GET") == 0)
        }
    }

    @Test func aCABundleIsTrustedFromEveryPlaceItIsNamed() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let ca = try #require(sim.caFile)
            let base = ["EXTRUCT_API_URL": sim.url, "EXTRUCT_API_TOKEN": SimulatorFixture.token]
            for (arguments, extra) in [
                (["--ca-file", ca], [String: String]()), ([], ["EXTRUCT_CA_FILE": ca]), ([], ["SSL_CERT_FILE": ca]),
            ] {
                let run = try await shell(arguments + ["-c", "tasks"], home, base.merging(extra) { $1 })
                #expect(run.status == 0, "\(arguments) \(extra): \(run.stderr)")
            }
            let config = home.file("config/extruct-shell")
            try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
            try home.write("config/extruct-shell/config.toml", "[profiles.sim]\napi_url = \"\(sim.url)\"\nca_file = \"\(ca)\"\n")
            let profiled = try await shell(["--profile", "sim", "-c", "tasks"], home, ["EXTRUCT_API_TOKEN": SimulatorFixture.token])
            #expect(profiled.status == 0, "\(profiled.stderr)")
            let missing = try await shell(["--ca-file", home.file("none.pem"), "-c", "tasks"], home, base)
            #expect(missing.status == 2)
            #expect(missing.stderr == "error: cannot read the CA file \(home.file("none.pem")) (from --ca-file): no such file\n")
            // Checked at start without parsing (a system bundle would cost every start 3.5 ms): a
            // file with no certificate at all is refused then; one whose certificate TLS cannot
            // read is named when the first TLS request needs it.
            try home.write("empty.pem", "not a certificate\n")
            let empty = try await shell(["--ca-file", home.file("empty.pem"), "-c", "tasks"], home, base)
            #expect(empty.status == 2)
            #expect(empty.stderr == "error: the CA file \(home.file("empty.pem")) (from --ca-file) holds no PEM certificate\n")
            try home.write("broken.pem", "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n")
            let broken = try await shell(["--ca-file", home.file("broken.pem"), "-c", "tasks"], home, base)
            #expect(broken.status == 1)
            #expect(
                broken.stderr
                    == "error: -c: tasks: cannot reach \(sim.url): the CA file \(home.file("broken.pem")) (from --ca-file) holds a certificate TLS cannot read; point --ca-file at a PEM bundle of CA certificates, or remove it\n"
            )
            #expect(sim.count("GET") == 4, "the three trusted runs and the profile's; nothing was sent with the broken file")
        }
    }

    /// A CA file is read when a TLS connection needs it: a stale SSL_CERT_FILE (common after an
    /// upgrade) is one warning at the first TLS request and never stops --demo or plain http;
    /// a stale EXTRUCT_CA_FILE stops only what needs TLS; --ca-file is checked at start.
    @Test func aStaleCAFileInTheEnvironmentGetsInTheWayOnlyOfTLS() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let gone = home.file("gone.pem")
            let stale = ["SSL_CERT_FILE": gone]
            let demo = try await shell(["--demo", "-q", "-c", "tasks"], home, stale)
            #expect(demo.status == 0 && demo.stderr.isEmpty, "\(demo.stderr)")
            try await SimulatorFixture.with { plain in
                let run = try await shell(["-q", "-c", "tasks"], home, plain.shellEnvironment.merging(stale) { $1 })
                #expect(run.status == 0 && run.stderr.isEmpty, "plain http reads no CA file: \(run.stderr)")
                let insecure = try await shell(["-q", "-c", "tasks"], home, plain.shellEnvironment.merging(["EXTRUCT_CA_FILE": gone]) { $1 })
                #expect(insecure.status == 0 && insecure.stderr.isEmpty, "\(insecure.stderr)")
            }
            let secure = try await shell(["-q", "-c", "tasks", "-c", "tasks"], home, sim.shellEnvironment.merging(stale) { $1 })
            #expect(secure.status == 0, "\(secure.stderr)")
            #expect(
                secure.stderr == "warning: cannot read the CA file \(gone) (from SSL_CERT_FILE): no such file; TLS goes on without it\n",
                "one warning, at the first TLS request")
            #expect(sim.count("GET", "/v1/discovery_tasks") == 2)
            var required = sim.shellEnvironment
            required["EXTRUCT_CA_FILE"] = gone
            let stopped = try await shell(["-q", "-c", "tasks"], home, required)
            #expect(stopped.status == 1)
            #expect(
                stopped.stderr
                    == "error: -c: tasks: cannot reach \(sim.url): cannot read the CA file \(gone) (from EXTRUCT_CA_FILE): no such file; point EXTRUCT_CA_FILE at a PEM bundle of CA certificates, or remove it\n"
            )
            let flag = try await shell(["--demo", "--ca-file", gone, "-c", "tasks"], home, [:])
            #expect(flag.status == 2, "--ca-file, given for this run, is checked at start")
        }
    }

    /// A simulator behind the name api.extruct.test, which only the proxy resolves.
    func behindProxy(_ sim: SimulatorFixture) -> [String: String] { sim.shellEnvironment(host: "api.extruct.test") }

    @Test func httpsProxyCarriesEveryRequestThroughOneTunnelAndItsPasswordNeverShows() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let password = "pr0xy-s3cret-pw"
            let proxy = try ConnectProxy(hosts: ["api.extruct.test": "127.0.0.1"], mode: .requireCredentials(user: "alice", password: password))
            defer { proxy.stop() }
            var environment = behindProxy(sim)
            environment["HTTPS_PROXY"] = "http://alice:\(password)@127.0.0.1:\(proxy.port)"
            let run = try await shell(
                [
                    "--debug", "--record-http", "c.jsonl", "-c", "create \"through a proxy\" --results 3", "-c", "tasks", "-c", "status", "-c",
                    "use 00000000-0000-4000-8000-000000000000",
                ],
                home, environment)
            #expect(run.status == 1, "the last command fails on purpose: \(run.stderr)")
            #expect(run.stderr.contains("task 00000000") && run.stderr.contains("not found"))
            #expect(
                proxy.connects == Array(repeating: "api.extruct.test:\(sim.running.port)", count: DefaultTransport.connectionsAhead),
                "the tunnels opened at the first request carry the four requests; the proxy resolved the name")
            #expect(sim.count("GET") == 4 && sim.count("POST") == 1 && sim.count("GET", "/v1/user") == 1)
            #expect(proxy.authorizations.allSatisfy { $0 == "Basic " + Data("alice:\(password)".utf8).base64EncodedString() })
            #expect(!(run.stdout + run.stderr).contains(password), "the proxy password is never printed")
            for file in home.allFiles() {
                #expect(!String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self).contains(password), "\(file)")
            }
        }
    }

    @Test func aProxyThatRefusesOrIsDownIsNamedInOneLine() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let proxy = try ConnectProxy(hosts: ["api.extruct.test": "127.0.0.1"], mode: .forbid)
            var environment = behindProxy(sim)
            environment["https_proxy"] = proxy.url
            let forbidden = try await shell(["-c", "tasks"], home, environment)
            #expect(forbidden.status == 1)
            #expect(
                forbidden.stderr
                    == "error: -c: tasks: the proxy \(proxy.url) (from https_proxy) refused to connect to api.extruct.test:\(sim.running.port) (403 Forbidden); ask for api.extruct.test:\(sim.running.port) to be allowed, or leave it out of the proxy with NO_PROXY\n"
            )
            proxy.set(.requireCredentials(user: "u", password: "p"))
            let unauthorized = try await shell(["-c", "tasks"], home, environment)
            #expect(
                unauthorized.stderr.hasPrefix("error: -c: tasks: the proxy \(proxy.url) (from https_proxy) asks for credentials (407"),
                "\(unauthorized.stderr)")
            proxy.stop()
            let down = try await shell(["-c", "tasks"], home, environment)
            #expect(
                down.stderr.hasPrefix("error: -c: tasks: cannot reach the proxy \(proxy.url) (from https_proxy): connection refused"),
                "\(down.stderr)")
            #expect(sim.count("GET") == 0)
        }
    }

    @Test func theLocalSimulatorAndTheDemoGoDirectWhateverTheProxy() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            let proxy = try ConnectProxy(mode: .forbid)
            defer { proxy.stop() }
            let environment = sim.shellEnvironment.merging(["HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url, "ALL_PROXY": proxy.url]) { $1 }
            let local = try await shell(["-c", "tasks"], home, environment)
            #expect(local.status == 0, "\(local.stderr)")
            let demo = try await shell(["--demo", "-q", "-c", "tasks"], home, ["HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url])
            #expect(demo.status == 0, "\(demo.stderr)")
            #expect(proxy.connects.isEmpty)
        }
    }

    /// A name this machine resolves to itself through /etc/hosts, other than `localhost` (which
    /// goes direct anyway): `vm`, say.
    static let hostsName: String? = {
        let hosts = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? ""
        return hosts.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0].hasPrefix("127."), !line.hasPrefix("#") else { return nil }
            return fields.dropFirst().map(String.init).first { !$0.contains("localhost") && !$0.hasPrefix("#") }
        }.first
    }()

    /// NO_PROXY sends a host around the proxy. Seen with a name /etc/hosts gives this machine
    /// (no DNS query leaves it); where there is none, NetworkConfigurationTests covers the rules.
    @Test(.enabled(if: hostsName != nil, "needs a name other than localhost for 127.x in /etc/hosts"))
    func noProxySendsTheHostAroundTheProxy() async throws {
        let name = try #require(Self.hostsName)
        let authority = try ThrowawayCertificateAuthority(names: [name, "api.extruct.test"])
        try await SimulatorFixture.with(configure: { c in
            c.tls = SimulatorTLSIdentity(certificateChainPEM: authority.serverCertificateChainPEM, privateKeyPEM: authority.serverPrivateKeyPEM)
        }) { sim in
            let home = try TemporaryDirectory()
            defer { home.remove() }
            try authority.writeCACertificate(to: home.file("ca.pem"))
            let proxy = try ConnectProxy(hosts: ["api.extruct.test": "127.0.0.1", name: "127.0.0.1"])
            defer { proxy.stop() }
            let environment = [
                "EXTRUCT_API_URL": "https://\(name):\(sim.running.port)", "EXTRUCT_API_TOKEN": SimulatorFixture.token,
                "EXTRUCT_CA_FILE": home.file("ca.pem"), "HTTPS_PROXY": proxy.url,
            ]
            let proxied = try await shell(["-c", "tasks"], home, environment)
            #expect(proxied.status == 0, "\(proxied.stderr)")
            #expect(Set(proxy.connects) == ["\(name):\(sim.running.port)"])
            let tunnels = proxy.connects.count
            let around = try await shell(["-c", "tasks"], home, environment.merging(["NO_PROXY": "example.com,\(name)"]) { $1 })
            #expect(around.status == 0, "\(around.stderr)")
            #expect(proxy.connects.count == tunnels, "NO_PROXY went around the proxy")
            #expect(sim.count("GET") == 2)
        }
    }
}
