import DeepSearchCore
import Synchronization

/// What the simulator was asked, so tests can count requests (a retried GET, a create that must
/// not be sent twice). Keeps totals for ever and the last 10,000 requests in detail.
public final class RequestJournal: Sendable {
    /// One API request.
    public struct Entry: Sendable, Hashable {
        public var method: String
        public var path: String
        public var query: String
        /// The answer's status; 0 when the connection was reset instead.
        public var status: Int
    }

    private struct State {
        var entries: [Entry] = []
        var total = 0
        var connections = 0
    }

    private let state = Mutex(State())
    private static let kept = 10_000

    /// An empty journal.
    public init() {}

    func record(_ entry: Entry) {
        state.withLock { state in
            state.total += 1
            state.entries.append(entry)
            if state.entries.count > RequestJournal.kept { state.entries.removeFirst(state.entries.count - RequestJournal.kept) }
        }
    }

    /// The recorded requests, oldest first.
    public var entries: [Entry] { state.withLock { $0.entries } }

    /// How many API requests arrived since the last ``clear()``.
    public var total: Int { state.withLock { $0.total } }

    /// How many connections were opened since the last ``clear()`` (TLS or not).
    public var connections: Int { state.withLock { $0.connections } }

    func connectionOpened() {
        state.withLock { $0.connections += 1 }
    }

    /// Forgets everything.
    public func clear() {
        state.withLock { $0 = State() }
    }

    /// The journal as JSON, for `GET /_sim/requests`.
    public var json: JSONValue {
        let (entries, total, connections) = state.withLock { ($0.entries, $0.total, $0.connections) }
        return .object([
            "total": .int(total),
            "connections": .int(connections),
            "requests": .array(
                entries.map {
                    .object(["method": .string($0.method), "path": .string($0.path), "query": .string($0.query), "status": .int($0.status)])
                }),
        ])
    }
}
