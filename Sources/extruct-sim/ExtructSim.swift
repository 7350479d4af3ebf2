import ArgumentParser
import DeepSearchCore
import DeepSearchSimulator
import FoundationEssentials
import Hummingbird
import Logging
import Manual
import SimulatorTLS

#if canImport(Glibc)
import Glibc
#endif

/// `extruct-sim`: serves the simulated Deep Search API until Ctrl-C.
@main
struct ExtructSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extruct-sim",
        abstract: "A faithful, deterministic simulator of Extruct's Deep Search API, on loopback.",
        discussion: """
            Serves GET/POST /v1/discovery_tasks, GET /v1/discovery_tasks/{id}, …/results and POST …/resume.
            Control endpoints for tests: GET /_sim/health, GET|DELETE /_sim/requests,
            GET|POST|DELETE /_sim/faults, GET /_sim/clock, POST /_sim/clock/advance {"seconds": N}.

            Fault specs (--fault, repeatable): latency=MS, 500, 502, 503, 504, html, 429[=RETRY_AFTER],
            402[=plan_required|insufficient_credits|payment_failed], reset, truncated, invalid_json,
            empty_body, huge_body[=BYTES], hostile[=huge|past|negative|fractional|empty|long];
            then ,method=GET ,path=/results ,count=N ,skip=N.
            """,
        version: ProductVersion.current)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8080

    @Option(name: .customLong("token"), help: ArgumentHelp("A token to accept (repeatable; default demo).", valueName: "TOKEN"))
    var tokens: [String] = []

    @Option(help: "Seed: the same seed gives the same companies, grades and timing.")
    var seed: UInt64 = 1

    @Option(help: "Multiplies the pace of every task (10 = ten times faster), 0.001 to 1000000.")
    var speed = 1.0

    @Option(help: "Candidates discovered per minute at speed 1, 0.001 to 1000000.")
    var rate = 100.0

    @Option(help: "Credits the account starts with; one is spent per high-fit result a task delivers (POST /_sim/account changes them).")
    var credits = SimulatorConfiguration.defaultCredits

    @Option(name: .customLong("fail-rate"), help: ArgumentHelp("Share of tasks that fail part way, 0 to 1.", valueName: "SHARE"))
    var failRate = 0.0

    @Option(name: .customLong("fault"), help: ArgumentHelp("A fault to inject (repeatable); see the fault specs above.", valueName: "SPEC"))
    var faults: [String] = []

    @Flag(name: .customLong("manual-clock"), help: "Time stands still until POST /_sim/clock/advance moves it.")
    var manualClock = false

    @Flag(name: .customLong("demo-tasks"), help: "Start with a done, an exhausted and a running task.")
    var demoTasks = false

    @Flag(help: "Log every request to standard error.")
    var log = false

    @Flag(help: "Serve HTTPS with a throwaway CA made at start, for localhost, 127.0.0.1 and each --tls-name; the CA is written to a file.")
    var tls = false

    @Option(name: .customLong("tls-name"), help: ArgumentHelp("With --tls, another name the certificate is for (repeatable).", valueName: "NAME"))
    var tlsNames: [String] = []

    @Option(
        name: .customLong("tls-ca-file"),
        help: ArgumentHelp("With --tls, where to write the CA certificate (default: a file in the temporary folder).", valueName: "FILE"))
    var tlsCAFile: String?

    @Option(
        name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "FILE"),
        completion: .file())
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "FILE"), completion: .file())
    var tlsKey: String?

    // Writes this program's manual page (roff or markdown) to standard output.
    @Option(name: .customLong("generate-manual"), help: .hidden)
    var generateManual: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        // inf, 1e309 and nan parse as numbers: the funnel would compute infinities and NaN.
        if case .failure(let problem) = SimulatorConfiguration.speed(String(speed)) { throw ValidationError("--speed \(problem)") }
        guard rate.isFinite, SimulatorConfiguration.rates.contains(rate) else {
            throw ValidationError("--rate takes a number from 0.001 to 1000000, not '\(rate)'")
        }
        guard credits >= 0 else { throw ValidationError("--credits must be 0 or more") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard !(tls && tlsCertificate != nil) else { throw ValidationError("--tls makes its own certificate; leave out --tls-cert and --tls-key") }
        guard tls || (tlsNames.isEmpty && tlsCAFile == nil) else { throw ValidationError("--tls-name and --tls-ca-file go with --tls") }
    }

    func run() async throws {
        if let format = generateManual {
            guard let format = ManualPage.Format(rawValue: format) else { throw ValidationError("--generate-manual takes roff or markdown") }
            let options = try CommandLineOptions.items(of: Self.self)
            print(SimulatorManual.page(options: options).rendered(as: format), terminator: "")
            return
        }
        var rules: [FaultRule] = []
        for spec in faults {
            do { rules.append(try FaultRule(spec: spec)) } catch { throw ValidationError("--fault \(spec): \(error)") }
        }
        let tokens = self.tokens.isEmpty ? ["demo"] : self.tokens
        var configuration = SimulatorConfiguration(
            host: host, port: port, tokens: tokens, seed: seed, speed: speed, companiesPerMinute: rate,
            failureRate: failRate, faults: rules, clock: manualClock ? ManualClock() : WallClock(), logRequests: log,
            credits: credits)
        let authority = tls ? try ThrowawayCertificateAuthority(names: ["localhost", "127.0.0.1", "::1"] + tlsNames) : nil
        if let authority {
            configuration.tls = SimulatorTLSIdentity(
                certificateChainPEM: authority.serverCertificateChainPEM, privateKeyPEM: authority.serverPrivateKeyPEM)
        } else if let tlsCertificate, let tlsKey {
            do {
                configuration.tls = try SimulatorTLSIdentity(certificateFile: tlsCertificate, keyFile: tlsKey)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let simulator = Simulator(configuration: configuration)
        if demoTasks { await simulator.seedDemoTasks() }
        let host = self.host
        let manualClock = self.manualClock
        let (seed, speed) = (configuration.seed, configuration.speed)
        let isSecure = configuration.tls != nil
        let caFile = tlsCAFile
        // A certificate or key the simulator cannot use is a usage error, said in one line.
        func usable<T>(_ make: () throws -> T) throws -> T {
            do { return try make() } catch { throw ValidationError("\(error)") }
        }
        let app = try usable {
            try buildApplication(simulator) { port in
                let url = Simulator.url(host: host, port: port, isSecure: isSecure)
                // The CA file is written before the URL is printed: whoever waits for the URL
                // can use it at once.
                var caLine: String?
                if let authority {
                    let temporary = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
                    let path = caFile ?? "\(temporary)/extruct-sim-\(port)-ca.pem"
                    do {
                        try authority.writeCACertificate(to: path)
                        caLine = path
                    } catch {
                        Simulator.writeToStandardError("error: cannot write the CA certificate to \(path): \(error)\n")
                    }
                }
                print("extruct-sim listening on \(url)")
                if let caLine { print("extruct-sim CA certificate: \(caLine)") }
                let curlCA = caLine.map { "--cacert \($0) " } ?? ""
                fflush(nil)
                let token = tokens == ["demo"] ? "demo" : "YOUR_TOKEN"
                Simulator.writeToStandardError(
                    """
                    seed \(seed), speed \(speed)×, \(tokens.count) token\(tokens.count == 1 ? "" : "s")\(manualClock ? ", manual clock" : ""); Ctrl-C stops it
                    try: curl \(curlCA)-H 'Authorization: Bearer \(token)' \(url)/v1/discovery_tasks

                    """)
            }
        }
        try await app.runService()
    }
}
