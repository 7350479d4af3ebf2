/// A task's state: `created` → `in_progress` → `done` | `failed`. Unknown values are kept.
public struct TaskStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let created = TaskStatus(rawValue: "created")
    public static let inProgress = TaskStatus(rawValue: "in_progress")
    public static let done = TaskStatus(rawValue: "done")
    public static let failed = TaskStatus(rawValue: "failed")

    /// Whether the task has stopped working: `done` or `failed`. `is_exhausted` alone is not an end.
    public var isTerminal: Bool { self == .done || self == .failed }

    public var description: String { rawValue }
}

/// Where candidates come from. Requests may name `web_search`, `linkedin` or `maps`; results may
/// also carry `extruct_db` or values this client has never seen, which are kept as they are.
public struct DataSource: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let webSearch = DataSource(rawValue: "web_search")
    public static let linkedin = DataSource(rawValue: "linkedin")
    public static let maps = DataSource(rawValue: "maps")
    public static let extructDB = DataSource(rawValue: "extruct_db")

    /// The sources a create request may name.
    public static let selectable: [DataSource] = [.webSearch, .linkedin, .maps]

    public var description: String { rawValue }
}

/// A company-size bucket such as `11-50`; unknown buckets are kept as they are.
public struct EmployeeCount: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The buckets Extruct's size filters use, smallest first.
    public static let buckets: [EmployeeCount] = [
        "1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001-10000", "10001+",
    ].map(EmployeeCount.init(rawValue:))

    public var description: String { rawValue }
}
