/// Waits for state another thread or process changes: checks `condition` every few
/// milliseconds until it holds, or throws ``TimedOut`` naming `what` after `timeout` seconds.
public func waitUntil(_ what: @autoclosure () -> String, timeout: Double = 10, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(waitingFor: what()) }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// A wait that ended before its condition held.
public struct TimedOut: Error, CustomStringConvertible {
    public var waitingFor: String
    public var description: String { "timed out waiting until \(waitingFor)" }
}
