import FoundationEssentials
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The simulator's time source, injected so tests move tasks forward without sleeping.
public protocol SimulatorClock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Double
}

/// Real time.
public struct WallClock: SimulatorClock {
    /// Real time.
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// Time that moves only when told to (`advance(by:)`, or `POST /_sim/clock/advance`).
public final class ManualClock: SimulatorClock {
    private let current: Mutex<Double>

    /// A clock standing at `start` (by default 2026-01-05T09:00:00Z).
    public init(start: Double = 1_767_603_600) {
        current = Mutex(start)
    }

    public func now() -> Double { current.withLock { $0 } }

    /// Moves the clock forward by `seconds` (never backwards) and returns the new time.
    @discardableResult
    public func advance(by seconds: Double) -> Double {
        current.withLock { value in
            value += max(0, seconds)
            return value
        }
    }
}
