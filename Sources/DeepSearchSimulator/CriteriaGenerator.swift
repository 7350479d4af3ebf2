import DeepSearchCore

/// Criteria made from a query when a task is created without any.
enum CriteriaGenerator {
    static let generic: [Criterion] = [
        Criterion(
            key: "active_business", name: "Active business", criterion: "The company is operating today, with a live website and recent activity."),
        Criterion(key: "clear_offering", name: "Clear offering", criterion: "The company describes a clear product or service that it sells."),
        Criterion(
            key: "b2b_focus", name: "Sells to businesses", criterion: "The company sells primarily to business customers rather than consumers."),
        Criterion(
            key: "independent", name: "Independent company", criterion: "The company is an independent business, not a subsidiary of a large group."),
    ]

    /// One criterion that restates the query, then one to three generic ones.
    static func criteria(for query: String, seed: UInt64) -> [Criterion] {
        let text = "The company matches the description: \(query.trimmingSpacesAndNewlines)"
        var first = Criterion(key: "matches_query", name: "Matches the search", criterion: String(text.prefix(500)))
        if first.criterion.count < 10 { first.criterion += " (as stated)" }
        var r = SeededRandom(seed: seed, "criteria", CandidatePool.key(for: query))
        let count = r.int(in: 1...3)
        var pool = generic
        var chosen: [Criterion] = [first]
        for _ in 0..<count {
            let i = Int(r.next() % UInt64(pool.count))
            chosen.append(pool.remove(at: i))
        }
        return chosen
    }
}

extension StringProtocol {
    var trimmingSpacesAndNewlines: String {
        var s = self[...]
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
