/// The time source for polling, backoff and timeouts, injected so tests never wait for real.
public protocol PollingClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    var now: Duration { get }
    /// Waits `duration`, or throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock`.
public struct SystemPollingClock: PollingClock {
    private let origin = ContinuousClock.now

    /// The real clock.
    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
