import DeepSearchCore
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// One company a query can turn up, with the facts the funnel needs.
struct Candidate: Sendable {
    /// Position in discovery order.
    var index: Int
    var name: String
    /// The registered domain, under `.example`.
    var domain: String
    /// Whether it passes the relevance pre-filter and gets enriched.
    var passesPrefilter: Bool
    /// Whether, once evaluated, at least 75 % of criteria grade it 4 or 5.
    var isHighFit: Bool
    /// 0…1: how strongly it fits; drives relevance and grades.
    var strength: Double
    var description: String
    var fullDescription: String
    var place: (country: String, state: String?, city: String)
    var size: EmployeeCount?
    var foundingYear: Int?
    var profileID: String?
    /// 0…1, picks the result's `source`.
    var sourceRoll: Double

    /// 0…100, the sort key of results.
    var relevance: Int { 55 + Int((strength * 45).rounded()) }
}

/// The finite set of candidates a query can ever find under one seed.
///
/// Pool sizes spread from a few dozen to about twelve hundred, log-uniformly, so some tasks run
/// dry well before the 250 cap and some never do.
final class CandidatePool: Sendable {
    let query: String
    let candidates: [Candidate]

    /// The share of discovered candidates that pass the pre-filter.
    static let prefilterRate = 0.72
    /// The share of enriched candidates that turn out high-fit.
    static let highFitRate = 0.5

    init(query: String, seed: UInt64) {
        self.query = query
        let key = CandidatePool.key(for: query)
        let size = CandidatePool.size(forKey: key, seed: seed)
        let topic = CompanyCatalog.topic(of: query)
        var used: Set<String> = []
        var candidates: [Candidate] = []
        candidates.reserveCapacity(size)
        for index in 0..<size {
            var r = SeededRandom(seed: seed, "candidate", key, String(index))
            var name = ""
            var slug = ""
            var domain = ""
            for _ in 0..<8 {
                if r.unit() < 0.09 {
                    let entry = r.pick(CompanyCatalog.internationalNames)
                    (name, slug) = (entry.name, entry.slug)
                } else {
                    let first = r.pick(CompanyCatalog.firstWords)
                    let second = r.pick(CompanyCatalog.secondWords)
                    name = "\(first) \(second)"
                    slug = "\(first)-\(second)".lowercased()
                }
                domain = "\(slug).example"
                if !used.contains(domain) { break }
            }
            var n = 2
            while used.contains(domain) {
                domain = "\(slug)-\(n).example"
                if !used.contains(domain) { name += " \(n)" }
                n += 1
            }
            used.insert(domain)
            let passes = r.unit() < CandidatePool.prefilterRate
            let highFit = passes && r.unit() < CandidatePool.highFitRate
            let strength = highFit ? 0.35 + 0.65 * r.unit() : 0.4 * r.unit()
            let place = r.pick(CompanyCatalog.places)
            var roll = r.int(in: 0...99)
            var size: EmployeeCount? = nil
            for (bucket, weight) in CompanyCatalog.sizeWeights {
                if roll < weight {
                    size = bucket
                    break
                }
                roll -= weight
            }
            if r.unit() < 0.04 { size = nil }
            let year: Int? = r.unit() < 0.05 ? nil : 1950 + Int(pow4(r.unit()) * 74)
            let description = CompanyCatalog.format(r.pick(CompanyCatalog.descriptionTemplates), name, topic)
            let origin = year.map { "Founded in \($0) and based in" } ?? "Based in"
            let customers = r.pick(["mid-sized", "enterprise", "fast-growing", "regional"])
            let full =
                "\(origin) \(place.city), \(place.country), \(name) works with \(customers) customers.\n"
                + "Its customers cite its focus on \(topic) and a small, senior team."
            candidates.append(
                Candidate(
                    index: index, name: name, domain: domain, passesPrefilter: passes, isHighFit: highFit,
                    strength: strength, description: description, fullDescription: full, place: place, size: size,
                    foundingYear: year, profileID: r.unit() < 0.85 ? SeededRandom.uuid(seed: seed, "profile", domain) : nil,
                    sourceRoll: r.unit()))
        }
        self.candidates = candidates
    }

    /// The pool key of a query: lower-cased, whitespace collapsed.
    static func key(for query: String) -> String {
        query.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// How many candidates `query` has under `seed` (30…1200).
    static func size(for query: String, seed: UInt64) -> Int {
        size(forKey: key(for: query), seed: seed)
    }

    private static func size(forKey key: String, seed: UInt64) -> Int {
        var r = SeededRandom(seed: seed, "pool-size", key)
        let low = 30.0
        let high = 1200.0
        return Int((low * pow(high / low, r.unit())).rounded())
    }
}

private func pow4(_ x: Double) -> Double { 1 - (1 - x) * (1 - x) }
