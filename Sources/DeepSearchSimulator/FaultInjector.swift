import DeepSearchCore
import Synchronization

/// The active faults. Each API request is decided once, as its head arrives: the first matching
/// rule hits it (or lets it through while the rule's `skip` lasts).
public final class FaultInjector: Sendable {
    private struct Entry {
        var id: Int
        var rule: FaultRule
    }

    private struct State {
        var entries: [Entry] = []
        var nextID = 1
    }

    private let state = Mutex(State())

    /// An injector with `rules` active.
    public init(rules: [FaultRule] = []) {
        for rule in rules { add(rule) }
    }

    /// Adds a rule after the others; returns its id.
    @discardableResult
    public func add(_ rule: FaultRule) -> Int {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.entries.append(Entry(id: id, rule: rule))
            return id
        }
    }

    /// Removes every rule.
    public func clear() {
        state.withLock { $0.entries.removeAll() }
    }

    /// The active rules, in order.
    public var rules: [FaultRule] {
        state.withLock { $0.entries.map(\.rule) }
    }

    /// The fault for one request, if any; consumes a use of the rule that decides.
    public func decide(method: String, path: String) -> FaultRule? {
        state.withLock { state in
            guard let index = state.entries.firstIndex(where: { $0.rule.matches(method: method, path: path) }) else {
                return nil
            }
            if state.entries[index].rule.skip > 0 {
                state.entries[index].rule.skip -= 1
                return nil
            }
            let rule = state.entries[index].rule
            if let count = rule.count {
                if count <= 1 { state.entries.remove(at: index) } else { state.entries[index].rule.count = count - 1 }
            }
            return rule
        }
    }
}
