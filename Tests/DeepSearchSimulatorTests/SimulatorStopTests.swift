import DeepSearchSimulator
import Foundation
import LoopbackNetwork
import TestSupport
import Testing

/// Stopping a simulator while clients connect to it: a connection accepted but not yet taken in
/// when the server was cancelled made NIO stop the whole process ("Deinited NIOAsyncWriter
/// without calling finish()"); it is now stopped gracefully first.
@Suite struct SimulatorStopTests {
    @Test(arguments: Scheme.allCases)
    func aSimulatorStopsWhileClientsAreConnecting(_ scheme: Scheme) async throws {
        for round in 0..<20 {
            let sim = try await SimulatorFixture.start(scheme: scheme)
            let connections = (0..<4).compactMap { _ in connectLoopback(port: UInt16(sim.running.port)) }
            if scheme == .http {
                for fd in connections {
                    _ = Array("GET /v1/healthcheck HTTP/1.1\r\nHost: x\r\n\r\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                }
            }
            if round.isMultiple(of: 2) { try await Task.sleep(for: .milliseconds(round % 7)) }
            // The clients go away soon after, as clients do; a handshake never finished would hold the stop.
            let leaving = Task {
                try await Task.sleep(for: .milliseconds(50))
                for fd in connections { close(fd) }
            }
            await sim.stop()
            try await leaving.value
        }
    }
}
