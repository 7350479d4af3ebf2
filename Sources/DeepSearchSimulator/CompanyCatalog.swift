import DeepSearchCore

/// The word lists companies are made from. Every website is under `.example`, a reserved domain.
enum CompanyCatalog {
    static let firstWords = [
        "Nordic", "Blue", "Apex", "Harbor", "Atlas", "Vector", "Summit", "Pioneer", "Quantum", "Lumen", "Terra",
        "Helix", "Orbit", "Cobalt", "Maple", "Juniper", "Crescent", "Granite", "Willow", "Falcon", "Beacon",
        "Meridian", "Horizon", "Silverline", "Northwind", "Redwood", "Keystone", "Lighthouse", "Riverbend",
        "Evergreen", "Bright", "Clearpath", "Ironwood", "Open", "Swift", "Polar", "Copper", "Kite", "Nimbus",
        "Saffron", "Tidal", "Amber", "Basalt", "Cedar", "Delta", "Ember", "Fjord", "Glacier", "Indigo", "Jade",
    ]
    static let secondWords = [
        "Labs", "Systems", "Logistics", "Analytics", "Works", "Technologies", "Networks", "Solutions", "Dynamics",
        "Robotics", "Cloud", "Data", "AI", "Bio", "Energy", "Foods", "Textiles", "Partners", "Group", "Studio",
        "Freight", "Health", "Finance", "Software", "Materials", "Mobility", "Security", "Supply", "Metrics",
    ]
    /// Names that test a terminal's handling of accents, wide characters and other scripts, each
    /// with the ASCII slug its website uses.
    static let internationalNames: [(name: String, slug: String)] = [
        ("Nordlicht Müller GmbH", "nordlicht-mueller"), ("Lumière & Fils SAS", "lumiere-fils"),
        ("Fábrica Azul Ltda", "fabrica-azul"), ("Østfold Data AS", "ostfold-data"),
        ("Łódź Robotics sp. z o.o.", "lodz-robotics"), ("Çamlıca Teknoloji A.Ş.", "camlica-teknoloji"),
        ("Ñandú Software S.A.", "nandu-software"), ("光電子株式会社", "hikari-denshi"),
        ("北辰物流", "beichen-logistics"), ("서울 데이터랩", "seoul-datalab"), ("Ζεφυρος Analytics", "zefyros-analytics"),
        ("Škoda-Brno Strojírny", "brno-strojirny"),
    ]
    static let places: [(country: String, state: String?, city: String)] = [
        ("United States", "California", "San Francisco"), ("United States", "New York", "New York"),
        ("United States", "Texas", "Austin"), ("United States", "Illinois", "Chicago"),
        ("United States", "Washington", "Seattle"), ("United States", "Massachusetts", "Boston"),
        ("United Kingdom", "England", "London"), ("United Kingdom", "Scotland", "Edinburgh"),
        ("Germany", "Bavaria", "München"), ("Germany", "Berlin", "Berlin"), ("France", "Île-de-France", "Paris"),
        ("Netherlands", "North Holland", "Amsterdam"), ("Sweden", "Stockholm County", "Stockholm"),
        ("Denmark", nil, "København"), ("Poland", "Lesser Poland", "Kraków"), ("Spain", "Catalonia", "Barcelona"),
        ("Switzerland", "Zürich", "Zürich"), ("Canada", "Quebec", "Montréal"), ("Canada", "Ontario", "Toronto"),
        ("Brazil", "São Paulo", "São Paulo"), ("Japan", "Tokyo", "東京"), ("Singapore", nil, "Singapore"),
        ("India", "Karnataka", "Bengaluru"), ("Australia", "New South Wales", "Sydney"),
        ("China", "Guangdong", "Guangzhou"), ("Israel", nil, "Tel Aviv"), ("Estonia", nil, "Tallinn"),
        ("Türkiye", "Istanbul", "İstanbul"), ("South Korea", nil, "서울"), ("Mexico", "Jalisco", "Guadalajara"),
    ]
    static let sizeWeights: [(EmployeeCount, Int)] = [
        (EmployeeCount(rawValue: "1-10"), 14), (EmployeeCount(rawValue: "11-50"), 30), (EmployeeCount(rawValue: "51-200"), 26),
        (EmployeeCount(rawValue: "201-500"), 12), (EmployeeCount(rawValue: "501-1000"), 7),
        (EmployeeCount(rawValue: "1001-5000"), 6), (EmployeeCount(rawValue: "5001-10000"), 3),
        (EmployeeCount(rawValue: "10001+"), 2),
    ]
    static let descriptionTemplates = [
        "%@ builds products for %@.",
        "%@ is a growing team working on %@.",
        "%@ is a specialist provider in %@.",
        "%@ helps customers with %@ across several markets.",
        "%@ offers software and services for %@.",
    ]
    /// The query as a phrase for descriptions (its first ten words).
    static func topic(of query: String) -> String {
        let words = query.split(whereSeparator: { $0.isWhitespace }).prefix(10)
        let topic = words.joined(separator: " ").trimmingSpacesAndNewlines
        return topic.isEmpty ? "its market" : topic
    }

    /// Fills `template`'s two `%@` with `a` and `b`.
    static func format(_ template: String, _ a: String, _ b: String) -> String {
        template.replacing("%@", with: a, maxReplacements: 1).replacing("%@", with: b, maxReplacements: 1)
    }
}
