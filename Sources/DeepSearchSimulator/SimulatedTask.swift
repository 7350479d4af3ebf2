import DeepSearchCore
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// One task's state and its funnel.
///
/// Progress is a single number `w`, the discovery cursor in candidates: discovery has seen
/// `w` candidates, enrichment runs ``enrichLag`` behind and evaluation ``evaluationLag`` behind
/// that. Within a run segment `w` is a pure function of time, so what a client sees does not
/// depend on how often it polls. The task stops when evaluation has found the target's worth of
/// high-fit companies (done), when evaluation reaches the end of the pool (done, exhausted), or
/// at its failure point if it is one of the tasks that fail.
struct SimulatedTask: Sendable {
    /// Candidates between discovery and enrichment.
    static let enrichLag = 15.0
    /// Candidates between enrichment and evaluation.
    static let evaluationLag = 25.0

    let id: String
    let createdAt: Double
    let query: String
    var target: Int
    let criteria: [Criterion]
    let autoDataSources: Bool
    let dataSources: [DataSource]
    let excludeDomains: [String]
    let tableID: String?
    let seed: UInt64
    /// The pool minus the excluded domains, in discovery order.
    let eligible: [Candidate]
    /// `passPrefix[k]`: candidates among the first k that pass the pre-filter.
    let passPrefix: [Int]
    /// `highPrefix[k]`: high-fit candidates among the first k.
    let highPrefix: [Int]
    /// Candidates per second of simulated time.
    let rate: Double

    /// When the current run segment starts, and `w` then.
    var segmentStart: Double
    var segmentW: Double
    /// Where this task fails, if it is one that does.
    var failAtW: Double?
    /// Before this time the task reports `in_progress` even if its work is done (a resume never
    /// answers `done` at once).
    var busyUntil: Double
    /// Where the task stopped because the account's credits ran out: its cursor, and the
    /// results it was paid for. Nil while it runs on credit.
    var stoppedForCredits: (w: Double, paid: Int)?

    init(
        id: String, createdAt: Double, query: String, target: Int, criteria: [Criterion], autoDataSources: Bool,
        dataSources: [DataSource], excludeDomains: [String], tableID: String?, seed: UInt64, pool: CandidatePool,
        rate: Double, startDelay: Double, failureRate: Double
    ) {
        self.id = id
        self.createdAt = createdAt
        self.query = query
        self.target = target
        self.criteria = criteria
        self.autoDataSources = autoDataSources
        self.dataSources = dataSources
        self.excludeDomains = excludeDomains
        self.tableID = tableID
        self.seed = seed
        let excluded = Set(excludeDomains)
        eligible = pool.candidates.filter { !excluded.contains($0.domain) }
        var pass = [0]
        var high = [0]
        pass.reserveCapacity(eligible.count + 1)
        high.reserveCapacity(eligible.count + 1)
        for c in eligible {
            pass.append(pass.last! + (c.passesPrefilter ? 1 : 0))
            high.append(high.last! + (c.isHighFit ? 1 : 0))
        }
        passPrefix = pass
        highPrefix = high
        self.rate = rate
        segmentStart = createdAt + startDelay
        segmentW = 0
        busyUntil = segmentStart
        var r = SeededRandom(seed: seed, "failure", id)
        if r.unit() < failureRate {
            let stop = SimulatedTask.stopW(target: target, highPrefix: high, poolSize: eligible.count)
            let span = max(1, stop - SimulatedTask.enrichLag - SimulatedTask.evaluationLag)
            failAtW = SimulatedTask.enrichLag + SimulatedTask.evaluationLag + span * (0.2 + 0.6 * r.unit())
        }
    }

    var poolSize: Int { eligible.count }

    /// The `w` at which the task has nothing more to do for `target`.
    static func stopW(target: Int, highPrefix: [Int], poolSize: Int) -> Double {
        let lag = enrichLag + evaluationLag
        let end = Double(poolSize) + lag
        // First k with highPrefix[k] >= target.
        var low = 0
        var high = poolSize
        guard highPrefix[poolSize] >= target else { return end }
        while low < high {
            let mid = (low + high) / 2
            if highPrefix[mid] >= target { high = mid } else { low = mid + 1 }
        }
        return min(end, Double(low) + lag)
    }

    /// What the task looks like at `now`.
    struct Snapshot: Sendable {
        var status: TaskStatus
        var w: Double
        var discovered: Int
        var enriched: Int
        var evaluated: Int
        /// High-fit among the evaluated (may exceed the target only if the target was lowered, never here).
        var highFitEvaluated: Int
        var numResults: Int
        var isExhausted: Bool
    }

    func snapshot(at now: Double) -> Snapshot {
        if let stop = stoppedForCredits {
            var s = counters(at: stop.w, status: .done)
            s.numResults = min(s.numResults, stop.paid)
            return s
        }
        let w: Double
        var status: TaskStatus
        if now < segmentStart {
            w = segmentW
            status = segmentW == 0 ? .created : .inProgress
        } else {
            let stop = SimulatedTask.stopW(target: target, highPrefix: highPrefix, poolSize: poolSize)
            let limit = min(stop, failAtW ?? .infinity)
            let reached = segmentW + rate * (now - segmentStart)
            if reached >= limit {
                w = max(segmentW, limit)
                status = (failAtW.map { $0 < stop && w >= $0 } ?? false) ? .failed : .done
            } else {
                w = reached
                status = .inProgress
            }
        }
        if status == .done, now < busyUntil { status = .inProgress }
        return counters(at: w, status: status)
    }

    private func counters(at w: Double, status: TaskStatus) -> Snapshot {
        let p = poolSize
        func cursor(_ x: Double) -> Int { max(0, min(p, Int(x.rounded(.down)))) }
        let discovered = cursor(w)
        let enrichCursor = cursor(w - SimulatedTask.enrichLag)
        let evalCursor = cursor(w - SimulatedTask.enrichLag - SimulatedTask.evaluationLag)
        let high = highPrefix[evalCursor]
        return Snapshot(
            status: status, w: w, discovered: discovered, enriched: passPrefix[enrichCursor],
            evaluated: passPrefix[evalCursor], highFitEvaluated: high, numResults: min(target, high),
            isExhausted: enrichCursor >= p)
    }

    /// Starts a new run segment at `now` toward `newTarget`.
    mutating func resume(at now: Double, newTarget: Int, minimumBusy: Double) {
        let current = snapshot(at: now)
        target = newTarget
        segmentStart = now
        segmentW = current.w
        failAtW = nil
        busyUntil = now + minimumBusy
        stoppedForCredits = nil
    }

    /// Stops the task at `now` with the `paid` results it holds: the credits ran out.
    mutating func stopForCredits(at now: Double, paid: Int) {
        stoppedForCredits = (snapshot(at: now).w, paid)
    }

    /// The task as the API returns it at `now`.
    func task(at now: Double) -> DiscoveryTask {
        let s = snapshot(at: now)
        return DiscoveryTask(
            id: id, createdAt: Timestamp(date: .init(timeIntervalSince1970: createdAt)), status: s.status, query: query,
            desiredNumResults: target, isExhausted: s.isExhausted, numResultsDiscovered: s.discovered,
            numResultsEnriched: s.enriched, numResultsEvaluated: s.evaluated, numResults: s.numResults,
            tableID: tableID, autoDataSources: autoDataSources, dataSources: dataSources,
            criteria: criteria, excludeDomains: excludeDomains)
    }

    /// The visible results at `now`: the first `num_results` high-fit candidates in evaluation
    /// order, sorted by relevance, highest first (ties by discovery order).
    func visibleCandidates(at now: Double) -> [Candidate] {
        let s = snapshot(at: now)
        var found: [Candidate] = []
        found.reserveCapacity(s.numResults)
        for c in eligible where c.isHighFit {
            if found.count == s.numResults { break }
            found.append(c)
        }
        return found.sorted { $0.relevance != $1.relevance ? $0.relevance > $1.relevance : $0.index < $1.index }
    }

    /// The API's result object for `candidate`.
    func result(for candidate: Candidate) -> DiscoveryResult {
        var r = SeededRandom(seed: seed, "result", id, candidate.domain)
        let source: DataSource
        if !autoDataSources, !dataSources.isEmpty {
            source = dataSources[Int(candidate.sourceRoll * Double(dataSources.count)) % dataSources.count]
        } else {
            let roll = candidate.sourceRoll
            source = roll < 0.6 ? .webSearch : roll < 0.8 ? .linkedin : roll < 0.9 ? .maps : .extructDB
        }
        let evaluatedAt = createdAt + (Double(candidate.index) + SimulatedTask.enrichLag + SimulatedTask.evaluationLag) / rate
        return DiscoveryResult(
            id: SeededRandom.uuid(seed: seed, "result-id", id, candidate.domain), taskID: id,
            companyName: candidate.name, companyDescription: candidate.description, companyWebsite: candidate.domain,
            relevance: candidate.relevance, createdAt: Timestamp(date: .init(timeIntervalSince1970: evaluatedAt)),
            companyProfileID: candidate.profileID, source: source, scores: grades(for: candidate, using: &r),
            foundingYear: candidate.foundingYear, employeeCount: candidate.size, hqCountry: candidate.place.country,
            hqStateProvince: candidate.place.state, hqCity: candidate.place.city,
            companyFullDescription: candidate.fullDescription)
    }

    /// Grades on every criterion; a high-fit candidate gets 4 or 5 on at least 75 % of them.
    private func grades(for candidate: Candidate, using r: inout SeededRandom) -> [(key: String, score: CriterionScore)] {
        let n = criteria.count
        guard n > 0 else { return [] }
        let required = (3 * n + 3) / 4  // ceil(0.75 n)
        let strong = candidate.isHighFit ? min(n, required + r.int(in: 0...(n - required))) : min(required - 1, r.int(in: 0...max(0, required - 1)))
        let order = criteria.indices.map { ($0, r.unit()) }.sorted { $0.1 < $1.1 }.map(\.0)
        let strongSet = Set(order.prefix(strong))
        return criteria.enumerated().map { i, criterion in
            let grade: Int
            if strongSet.contains(i) {
                grade = r.unit() < 0.35 + candidate.strength * 0.5 ? 5 : 4
            } else {
                grade = r.unit() < 0.6 ? 3 : 2
            }
            let lead =
                switch grade {
                case 5: "Strong evidence"
                case 4: "Good evidence"
                case 3: "Partial evidence"
                default: "Little evidence"
                }
            let explanation = "\(lead) that \(candidate.name) meets “\(criterion.name)”: its website and recent coverage speak to it."
            let sources = ["https://\(candidate.domain)/about", "https://news.example/\(candidate.domain.split(separator: ".").first ?? "")"]
            return (criterion.key, CriterionScore(grade: grade, explanation: explanation, sources: Array(sources.prefix(grade >= 4 ? 2 : 1))))
        }
    }
}
