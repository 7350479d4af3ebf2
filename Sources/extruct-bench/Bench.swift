import AsyncHTTPClient
import DeepSearch
import Foundation
import LoopbackNetwork
import NIOCore
import NIOHTTP1
import ShellKit

/// `extruct-bench`: measurements for scripts/bench.
///
///     extruct-bench client URL TOKEN TASK_ID N   sequential GETs through DeepSearchClient over AsyncHTTPClient
///     extruct-bench ahc URL TOKEN TASK_ID N      the same with AsyncHTTPClient alone
///     extruct-bench render N                     render a 250-row results table N times
///     extruct-bench config N                     read a three-profile config.toml N times
///     extruct-bench relay PORT RTT_MS [--log]    a path like the internet to 127.0.0.1:PORT (DelayRelay),
///                                                until stopped; prints `relay listening on RELAY_PORT`,
///                                                and with --log what it sees on the wire (ms, connection, event)
@main
enum Bench {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "client" where arguments.count == 5:
            await client(url: arguments[1], token: arguments[2], task: arguments[3], count: Int(arguments[4]) ?? 1000)
        case "ahc" where arguments.count == 5:
            await asyncHTTPClient(url: arguments[1], token: arguments[2], task: arguments[3], count: Int(arguments[4]) ?? 1000)
        case "render" where arguments.count == 2:
            render(count: Int(arguments[1]) ?? 100)
        case "config" where arguments.count == 2:
            config(count: Int(arguments[1]) ?? 1000)
        case "relay" where arguments.count == 3 || (arguments.count == 4 && arguments[3] == "--log"):
            relay(to: UInt16(arguments[1]) ?? 0, roundTrip: .milliseconds(Int(arguments[2]) ?? 100), log: arguments.count == 4)
        default:
            FileHandle.standardError.write(
                Data("usage: extruct-bench client|ahc URL TOKEN TASK_ID N | render N | config N | relay PORT RTT_MS\n".utf8))
            exit(2)
        }
    }

    /// Relays 127.0.0.1:`port` with `roundTrip` until the process is stopped; with `log`, prints
    /// each event as it happens, in milliseconds since the first connection.
    static func relay(to port: UInt16, roundTrip: Duration, log: Bool) {
        do {
            let relay = try DelayRelay(to: port, roundTrip: roundTrip)
            FileHandle.standardOutput.write(Data("relay listening on \(relay.port)\n".utf8))
            var shown = 0
            while true {
                guard log else {
                    pause()
                    continue
                }
                usleep(5_000)
                let events = relay.events
                for event in events.dropFirst(shown) {
                    let ms = Double(event.at - events[0].at) / 1e6
                    FileHandle.standardOutput.write(Data(String(format: "%9.1f  %3d  %@\n", ms, event.connection, "\(event.kind)").utf8))
                }
                shown = events.count
            }
        } catch {
            FileHandle.standardError.write(Data("extruct-bench relay: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Requests per second of `count` sequential `GET /v1/discovery_tasks/{id}` over one keep-alive
    /// connection, from the concurrency pool (`@concurrent`; from the main actor, AsyncHTTPClient's
    /// answers wait for the main queue's thread to wake: about 30 % fewer requests a second).
    @concurrent static func client(
        url: String, token: String, task: String, count: Int, transport: any HTTPTransport = AsyncHTTPClientTransport()
    ) async {
        let client = DeepSearchClient(configuration: .init(baseURL: url, token: token, retryPolicy: .none), transport: transport)
        do {
            for _ in 0..<100 { _ = try await client.task(id: task) }
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<count { _ = try await client.task(id: task) }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(String(format: "%.0f", Double(count) / seconds))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            await transport.shutdown()
            exit(1)
        }
        await transport.shutdown()
    }

    /// The same loop with AsyncHTTPClient alone (no decoding, no checks), also from the pool.
    @concurrent static func asyncHTTPClient(url: String, token: String, task: String, count: Int) async {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func once() async throws {
            var request = HTTPClientRequest(url: "\(url)/v1/discovery_tasks/\(task)")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
        }
        do {
            for _ in 0..<100 { try await once() }
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<count { try await once() }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(String(format: "%.0f", Double(count) / seconds))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        }
        try? await client.shutdown()
    }

    /// Milliseconds per rendering of a 250-row results table at 120 columns, with colour.
    static func render(count: Int) {
        let criteria = (1...4).map { Criterion(key: "c\($0)", name: "Criterion \($0)", criterion: "A criterion of the benchmark.") }
        let names = ["Nordic Freight Labs", "光電子株式会社", "Café Logística S.A.", "Atlas Data", "Helix Robotics International"]
        let results = (0..<250).map { i in
            DiscoveryResult(
                id: "r\(i)", taskID: "t", companyName: names[i % names.count] + " \(i)", companyDescription: "A company.",
                companyWebsite: "company-\(i).example", relevance: 100 - i / 3, source: .webSearch,
                scores: criteria.map { ($0.key, CriterionScore(grade: 1 + (i + $0.key.count) % 5)) }, foundingYear: 2000,
                employeeCount: EmployeeCount(rawValue: "51-200"), hqCountry: "Germany", hqStateProvince: "Bavaria", hqCity: "München")
        }
        let style = Style(enabled: true)
        var bytes = 0
        for _ in 0..<10 { bytes += ResultsTable.render(results, criteria: criteria, firstRank: 1, width: 120, style: style).utf8.count }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<count { bytes += ResultsTable.render(results, criteria: criteria, firstRank: 1, width: 120, style: style).utf8.count }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "%.3f", seconds * 1000 / Double(count)))
        if bytes == 0 { print("nothing rendered") }
    }

    /// Microseconds to read a three-profile config.toml (TOMLKit's parse and the profile checks),
    /// the mean of `count` reads; the file is read on every start that needs a profile.
    static func config(count: Int) {
        let text = """
            # profiles
            default_profile = "work"

            [profiles.work]
            api_url = "https://api.extruct.ai"
            token = "tok-work-1234567890abcdef"

            [profiles.local]
            api_url = "http://127.0.0.1:8080"
            token = "demo"

            [profiles.staging]
            url = "https://staging.example"
            """
        var profiles = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<count { profiles += (try? ConfigFile.parse(text, path: "config.toml"))?.profiles.count ?? 0 }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "%.1f", seconds * 1e6 / Double(count)))
        if profiles != 3 * count { print("the config was not read") }
    }
}
