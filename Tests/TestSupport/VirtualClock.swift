import DeepSearch
import DeepSearchSimulator
import Synchronization

/// A polling clock whose sleeps return at once and move time forward (and, when linked, the
/// simulator's clock too), so retries, backoff and polling run without real waiting.
public final class VirtualClock: PollingClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))
    private let linked: ManualClock?

    public init(linkedTo simulatorClock: ManualClock? = nil) {
        linked = simulatorClock
    }

    public var now: Duration { state.withLock { $0.now } }

    /// Every sleep asked for, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.now += duration
            $0.sleeps.append(duration)
        }
        linked?.advance(by: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        await Task.yield()
    }
}

/// Log lines, kept for checking that no token reaches a log.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    public init() {}
    public func append(_ line: String) { lines.withLock { $0.append(line) } }
    public var all: [String] { lines.withLock { $0 } }
}
