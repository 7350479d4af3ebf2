import DeepSearch
import Foundation

/// Fixed data for renderer tests: wide, combining and hostile text included.
enum Fixtures {
    static let created = Timestamp(text: "2026-11-29T06:00:00Z")
    static let now = Date(timeIntervalSince1970: Timestamp(text: "2026-11-29T06:14:00Z").date!.timeIntervalSince1970)

    static let criteria = [
        Criterion(key: "logistics_focus", name: "Logistics focus", criterion: "Serves freight forwarding or logistics."),
        Criterion(key: "b2b_fit", name: "B2B fit", criterion: "Sells mainly to businesses."),
        Criterion(key: "active", name: "Active business", criterion: "Operating today with recent activity."),
    ]

    static let task = DiscoveryTask(
        id: "3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e", createdAt: created, status: .inProgress,
        query: "vertical SaaS companies serving freight forwarding and customs brokerage across Europe and North America",
        desiredNumResults: 100, isExhausted: false, numResultsDiscovered: 412, numResultsEnriched: 288,
        numResultsEvaluated: 201, numResults: 64, autoDataSources: true, dataSources: [.webSearch, .linkedin],
        criteria: criteria, excludeDomains: ["acme.com", "beta.io"])

    static func result(
        _ i: Int, name: String, site: String, relevance: Int, grades: [Int?], city: String?, country: String?, size: String?
    ) -> DiscoveryResult {
        DiscoveryResult(
            id: "r\(i)", taskID: task.id, companyName: name, companyDescription: "\(name) builds software for freight forwarders.",
            companyWebsite: site, relevance: relevance, createdAt: created, companyProfileID: "p-\(i)", source: .webSearch,
            scores: zip(criteria, grades).map {
                ($0.key, CriterionScore(grade: $1, explanation: "Evidence for \($0.name).", sources: ["https://\(site)/about"]))
            },
            foundingYear: 2000 + i, employeeCount: size.map(EmployeeCount.init(rawValue:)), hqCountry: country,
            hqStateProvince: nil, hqCity: city,
            companyFullDescription: "\(name) was founded to fix customs paperwork.\nIt now serves 400 forwarders.")
    }

    static let results: [DiscoveryResult] = [
        result(
            1, name: "Nordic Freight Labs", site: "nordic-freight-labs.example", relevance: 98, grades: [5, 5, 4], city: "Stockholm",
            country: "Sweden", size: "51-200"),
        result(2, name: "光電子株式会社", site: "hikari-denshi.example", relevance: 95, grades: [5, 4, 4], city: "東京", country: "Japan", size: "1001-5000"),
        result(
            3, name: "Cafe\u{301} Logi\u{301}stica Internacional de Cargas y Aduanas S.A.", site: "cafe-logistica-internacional-de-cargas.example",
            relevance: 91, grades: [4, 4, 3], city: "São Paulo", country: "Brazil", size: "11-50"),
        result(
            4, name: "\u{1B}[31mEvil\u{1B}[0m Corp\u{07}", site: "evil.example", relevance: 80, grades: [4, nil, 5], city: nil, country: nil,
            size: nil),
    ]
}
