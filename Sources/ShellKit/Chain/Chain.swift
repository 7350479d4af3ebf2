import DeepSearch

/// A search of several tasks (`collect`): the first task, then follow-ups that each leave out what
/// the earlier ones found, toward `goal` distinct companies. A value of the session, kept in the
/// state folder (``ChainStore``) and rebuilt by a recording's `chain use` line.
///
/// Companies are told apart by their registered domain (``DomainNormalizer``, as the API resolves
/// exclusions); one without a website by its name.
public struct Chain: Sendable, Equatable {
    /// One task of the chain, as last counted.
    public struct Member: Sendable, Equatable {
        public var id: String
        public var status: TaskStatus
        public var isExhausted = false
        /// Its results when they were last read.
        public var results = 0
        /// Results that an earlier task (or itself) had already found.
        public var duplicates = 0
        /// The companies it found first (their keys, in its order).
        public var found: [String] = []
        /// Whether the chain is done with it (exhausted, at the cap, stalled): the next step is a
        /// new task, not more of this one.
        public var isSettled = false

        /// Companies it added.
        public var new: Int { found.count }

        public init(id: String, status: TaskStatus) {
            self.id = id
            self.status = status
        }
    }

    /// The distinct companies asked for.
    public var goal: Int
    /// How each new task is made: the query, the target of each (nil: 100), the criteria and
    /// sources, the domains every task leaves out. Before the first task is read, as the user
    /// gave it (with the tasks it leaves out); then with what the first task resolved, so each
    /// follow-up is graded alike.
    public var recipe: CreateTaskRequest
    public var tasks: [Member] = []

    public init(goal: Int, recipe: CreateTaskRequest) {
        self.goal = goal
        self.recipe = recipe
    }

    /// The distinct companies found so far.
    public var companies: Int { tasks.reduce(0) { $0 + $1.new } }
    /// Every result read, duplicates included.
    public var results: Int { tasks.reduce(0) { $0 + $1.results } }
    public var duplicates: Int { tasks.reduce(0) { $0 + $1.duplicates } }

    /// The key a result is told apart by: its registered domain, else `name:` and its name.
    public static func key(of result: DiscoveryResult) -> String {
        if let website = result.companyWebsite, let domain = DomainNormalizer.registeredDomain(website) { return domain }
        return "name:" + result.companyName.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Whether `key` is a domain (one that an exclusion can name).
    static func isDomain(_ key: String) -> Bool { !key.hasPrefix("name:") }

    /// Counts `page` (every result of the task at `index`) against the tasks before it.
    mutating func count(_ page: TaskResultsPage, at index: Int) {
        var earlier = Set(tasks[..<index].flatMap(\.found))
        var member = tasks[index]
        member.found = []
        member.duplicates = 0
        for result in page.results {
            let key = Self.key(of: result)
            if earlier.insert(key).inserted { member.found.append(key) } else { member.duplicates += 1 }
        }
        member.results = page.results.count
        member.status = page.task.status
        member.isExhausted = page.task.isExhausted
        tasks[index] = member
        if index == 0 { resolveRecipe(from: page.task) }
    }

    /// Follow-ups are made as the first task was resolved: its criteria (generated ones too), its
    /// sources, the domains it left out (those of the tasks it left out among them).
    mutating func resolveRecipe(from first: DiscoveryTask) {
        if recipe.criteria.isEmpty { recipe.criteria = first.criteria }
        if recipe.dataSources.isEmpty, !first.autoDataSources { recipe.dataSources = first.dataSources }
        recipe.excludeDomains = first.excludeDomains
        recipe.excludeTaskIDs = []
    }

    /// The domains a new task would have to leave out: the recipe's and every one found.
    var domainsToExclude: Set<String> {
        Set(recipe.excludeDomains).union(tasks.flatMap(\.found).filter(Self.isDomain))
    }

    /// The tasks a new task would leave out by id: the finished ones (the API takes no other).
    var tasksToExclude: [String] { tasks.filter { $0.status == .done }.map(\.id) }

    /// The request for the next task, asking for at most `target` results.
    func nextRequest(target: Int) -> CreateTaskRequest {
        var request = recipe
        request.desiredNumResults = target
        guard !tasks.isEmpty else { return request }
        // What an unfinished task found is left out by its domains.
        var domains = recipe.excludeDomains
        var seen = Set(domains)
        for member in tasks where member.status != .done {
            for key in member.found where Self.isDomain(key) && seen.insert(key).inserted { domains.append(key) }
        }
        request.excludeDomains = domains
        request.excludeTaskIDs = tasksToExclude
        return request
    }
}

// MARK: JSON

extension Chain {
    /// The chain as the state file and `chain --json` write it; `found` (each task's companies)
    /// only for the file.
    func json(withFound: Bool) -> JSONValue {
        var object: JSONObject = [
            "goal": .int(goal), "query": .string(recipe.query), "companies": .int(companies), "results": .int(results),
            "duplicates": .int(duplicates),
        ]
        object["recipe"] = recipe.json
        object["tasks"] = .array(
            tasks.map { member in
                var task: JSONObject = [
                    "id": .string(member.id), "status": .string(member.status.rawValue), "is_exhausted": .bool(member.isExhausted),
                    "num_results": .int(member.results), "new": .int(member.new), "duplicates": .int(member.duplicates),
                    "settled": .bool(member.isSettled),
                ]
                if withFound { task["found"] = .array(member.found.map(JSONValue.string)) }
                return .object(task)
            })
        return .object(object)
    }

    /// Reads what ``json(withFound:)`` wrote; nil when it is not a chain.
    init?(json: JSONValue) {
        guard let goal = json["goal"]?.intValue, let recipe = json["recipe"], let query = recipe["query"]?.stringValue,
            let tasks = json["tasks"]?.arrayValue
        else { return nil }
        func strings(_ value: JSONValue?) -> [String] { (value?.arrayValue ?? []).compactMap(\.stringValue) }
        let criteria = (recipe["criteria"]?.arrayValue ?? []).compactMap { c -> Criterion? in
            guard let key = c["key"]?.stringValue else { return nil }
            return Criterion(key: key, name: c["name"]?.stringValue ?? key, criterion: c["criterion"]?.stringValue ?? "")
        }
        self.init(
            goal: max(1, goal),
            recipe: CreateTaskRequest(
                query: query, desiredNumResults: recipe["desired_num_results"]?.intValue, criteria: criteria,
                dataSources: strings(recipe["data_sources"]).map(DataSource.init(rawValue:)), excludeDomains: strings(recipe["exclude_domains"]),
                excludeTaskIDs: strings(recipe["exclude_task_ids"])))
        for task in tasks {
            guard let id = task["id"]?.stringValue else { return nil }
            var member = Member(id: id, status: TaskStatus(rawValue: task["status"]?.stringValue ?? "created"))
            member.isExhausted = task["is_exhausted"]?.boolValue ?? false
            member.results = max(0, task["num_results"]?.intValue ?? 0)
            member.duplicates = max(0, task["duplicates"]?.intValue ?? 0)
            member.found = strings(task["found"])
            member.isSettled = task["settled"]?.boolValue ?? false
            self.tasks.append(member)
        }
    }
}
