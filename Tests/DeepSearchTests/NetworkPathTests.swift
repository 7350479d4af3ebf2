import DeepSearchSimulator
import Foundation
import LoopbackNetwork
import TestSupport
import Testing

@testable import DeepSearch

/// HTTPS on a path that behaves like the internet (``DelayRelay``: every byte half a round trip
/// late, a connection's first bytes a round trip later), through the transport users get. What
/// a round trip costs is counted on the wire, in flights of bytes, not timed: under load a path
/// can only get slower.
@Suite struct NetworkPathTests {
    /// Runs `body` with a client over a relay in front of `sim`, through the transport the shell
    /// makes, its TLS context made beforehand by a request straight to `sim` (in this process,
    /// which runs other tests at once, making it can wait a while on NIO's blocking pool).
    func withClient(through relay: DelayRelay, trusting sim: SimulatorFixture, _ body: (DeepSearchClient) async throws -> Void) async throws {
        let network = NetworkConfiguration(trustedCertificateFiles: [CertificateFile(path: sim.caFile!, origin: "the test")])
        let spy = SpyTransport(DefaultTransport(network: network))
        let direct = DeepSearchClient(
            configuration: .init(baseURL: sim.url, token: SimulatorFixture.token, requestTimeout: .seconds(20)), transport: spy)
        try await spy.shuttingDown {
            _ = try await direct.listTasks()
            sim.simulator.journal.clear()
            try await body(direct.with { $0.baseURL = "https://127.0.0.1:\(relay.port)" })
        }
    }

    @Test func theRelayDelaysEveryByteAndANewConnectionsFirstBytesByARoundTrip() async throws {
        let server = try ScriptedServer { _ in .send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") }
        defer { server.stop() }
        let relay = try DelayRelay(to: server.port, roundTrip: .milliseconds(100))
        defer { relay.stop() }
        let fd = try #require(connectLoopback(port: relay.port))
        defer { close(fd) }
        let clock = ContinuousClock()
        func exchange() -> Duration {
            let started = clock.now
            let request = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while answer.suffix(2) != Array("ok".utf8)[...] {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                answer += buffer[0..<n]
            }
            return clock.now - started
        }
        // A round trip for TCP's handshake, then the request's: never less (a loaded machine is
        // slower, never faster). The reads block: on a thread of their own, not the pool's.
        let (first, second) = await ThreadExecutor.run { (exchange(), exchange()) }
        #expect(first >= .milliseconds(200))
        #expect(second >= .milliseconds(100))
        #expect(relay.connectionCount == 1)
        #expect(relay.flightsUp == [0: 2])
    }

    @Test func aFirstRequestCostsTLSAndItselfAndOpensTheConnectionsForWhatFollowsWithoutSendingOnThem() async throws {
        try await SimulatorFixture.with(scheme: .https) { sim in
            let relay = try DelayRelay(to: UInt16(sim.running.port), roundTrip: .milliseconds(250))
            defer { relay.stop() }
            try await withClient(through: relay, trusting: sim) { client in
                _ = try await client.listTasks()
                let opened = relay.events.filter { $0.kind == .opened }
                let firstAnswer = try #require(relay.events.first { $0.kind == .firstAnswer })
                #expect(opened.count == DefaultTransport.connectionsAhead)
                #expect(opened.allSatisfy { $0.at < firstAnswer.at }, "every connection was opened while the first request ran")
                // TLS 1.3's handshake, then the request with the client's Finished: nothing waits
                // for the server's HTTP/2 SETTINGS. The others: the handshake, and the client's Finished.
                #expect(relay.flightsUp.values.allSatisfy { $0 == 2 }, "\(relay.flightsUp)")
                #expect(sim.simulator.journal.total == 1, "nothing was sent to open the others")
                // The pages of an export (three, the whole task) go out together on those
                // connections: one round trip more on each, none waits for another.
                let task = try await sim.doneTask(results: 50, pool: 200)
                _ = try await client.allResults(id: task.id, pageSize: task.numResults / 3 + 1, knownTotal: task.numResults)
                #expect(relay.connectionCount == DefaultTransport.connectionsAhead, "no connection opened after the first answer")
                #expect(relay.flightsUp.values.allSatisfy { $0 <= 3 }, "\(relay.flightsUp)")
            }
        }
    }
}
