import DeepSearchCore

/// Every task of one simulator, and the API's semantics over them.
actor TaskStore {
    private let configuration: SimulatorConfiguration
    private var tasks: [String: SimulatedTask] = [:]
    var ids: [String] { Array(tasks.keys) }
    /// Task ids in creation order.
    private var order: [String] = []
    private var pools: [String: CandidatePool] = [:]
    private var created = 0
    /// Encoded result objects, by task id and candidate index; a result never changes once visible.
    private var encodedResults: [String: [Int: [UInt8]]] = [:]
    /// Credits left to spend, after ``settle()``.
    private var credits: Int
    /// Credits spent so far, and on each task (one a high-fit result delivered).
    private var spent = 0
    private var charged: [String: Int] = [:]

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.credits = max(0, configuration.credits)
    }

    private var now: Double { configuration.clock.now() }

    /// Candidates per second of simulated time.
    private var rate: Double { configuration.companiesPerMinute * configuration.speed / 60 }

    // MARK: Endpoints

    func list(offset: Int, limit: Int?) -> SimulatorReply {
        settle()
        let now = self.now
        let newestFirst = order.reversed().dropFirst(offset)
        let page = limit.map { Array(newestFirst.prefix($0)) } ?? Array(newestFirst)
        return .json(200, .array(page.compactMap { tasks[$0]?.task(at: now).json }))
    }

    func get(id: String) -> SimulatorReply {
        settle()
        guard let task = tasks[id] else { return .detail(404, "Task not found") }
        return .json(200, task.task(at: now).json)
    }

    func results(id: String, offset: Int, limit: Int?) -> SimulatorReply {
        settle()
        guard let task = tasks[id] else { return .detail(404, "Task not found") }
        let now = self.now
        let visible = task.visibleCandidates(at: now)
        let page = visible.dropFirst(offset).prefix(limit ?? visible.count)
        var out: [UInt8] = []
        out.reserveCapacity(1024 + page.count * 1500)
        var members = task.task(at: now).jsonMembers
        members.append(JSONMember("results", .array([])))
        var head = JSONWriter.compactBytes(.object(JSONObject(members)))
        head.removeLast(3)  // `[]}`
        out += head
        out.append(UInt8(ascii: "["))
        var cache = encodedResults[id] ?? [:]
        for (i, candidate) in page.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            if let bytes = cache[candidate.index] {
                out += bytes
            } else {
                let bytes = JSONWriter.compactBytes(task.result(for: candidate).json)
                cache[candidate.index] = bytes
                out += bytes
            }
        }
        encodedResults[id] = cache
        out += Array("]}".utf8)
        return SimulatorReply(status: 200, body: out)
    }

    func create(body: JSONValue?) -> SimulatorReply {
        settle()
        switch validateCreate(body) {
        case .failure(let error): return error.reply
        case .success(let input):
            if credits == 0 { return Self.insufficientCredits }
            // One instant: the answer shows the task as created, however long inserting took.
            let now = self.now
            return .json(200, insert(input, createdAt: now).task(at: now).json)
        }
    }

    func resume(id: String, body: JSONValue?) -> SimulatorReply {
        settle()
        var v = Validator()
        var requested = 25
        if let body {
            if let object = v.object(body, at: ["body"]), let value = object["desired_new_results"] {
                if let n = v.int(value, at: ["body", "desired_new_results"], min: 0, max: DiscoveryTask.resultCap) { requested = n }
            }
        }
        if !v.issues.isEmpty { return .validation(v.issues) }
        guard var task = tasks[id] else { return .detail(404, "Task not found") }
        let now = self.now
        let state = task.snapshot(at: now)
        if state.isExhausted {
            return .detail(400, "Task is exhausted and cannot be resumed.")
        }
        if requested > 0, task.target >= DiscoveryTask.resultCap {
            return .detail(400, "Task has reached the 250-result cap and cannot be resumed for more results.")
        }
        if credits == 0 { return Self.insufficientCredits }
        task.resume(at: now, newTarget: min(DiscoveryTask.resultCap, task.target + requested), minimumBusy: 1 / configuration.speed)
        tasks[id] = task
        return .json(200, task.task(at: now).json)
    }

    // MARK: The account

    /// `GET /v1/user`.
    func user() -> SimulatorReply {
        settle()
        return .json(200, account.json)
    }

    /// `GET /v1/billing`.
    func billing() -> SimulatorReply {
        settle()
        return .json(200, Billing(user: account, subscription: SimulatedAccount.subscription).json)
    }

    /// The account as `GET /v1/user` shows it now.
    private var account: Account {
        var account = SimulatedAccount.account(seed: configuration.seed)
        account.availableCredits = credits
        return account
    }

    /// Credits left and spent, after what the tasks delivered until now is paid for.
    func balance() -> (available: Int, spent: Int) {
        settle()
        return (credits, spent)
    }

    /// Sets the credits left to `available`.
    func setCredits(_ available: Int) {
        settle()
        credits = max(0, available)
    }

    /// Pays for what each task delivered since the last call, one credit a high-fit result, in
    /// the order the tasks were created; a task whose results cannot all be paid stops with
    /// those that were (done, short of its target), and waits for a resume.
    private func settle() {
        let now = self.now
        for id in order {
            guard var task = tasks[id], task.stoppedForCredits == nil else { continue }
            let paid = charged[id, default: 0]
            let owed = task.snapshot(at: now).numResults - paid
            guard owed > 0 else { continue }
            let paying = min(owed, credits)
            credits -= paying
            spent = spent.saturatingAdd(paying)
            charged[id] = paid + paying
            if paying < owed {
                task.stopForCredits(at: now, paid: paid + paying)
                tasks[id] = task
            }
        }
    }

    /// The 402 of create and resume when no credits are left.
    private static let insufficientCredits = SimulatorReply.json(
        402,
        .object([
            "detail": .object(["error": "insufficient_credits", "message": "No credits left: Deep Search spends one credit a high-fit result."])
        ]))

    // MARK: Seeding and inspection

    /// Creates a task directly, as if it had been created at `createdAt`; used to seed demos.
    @discardableResult
    func seed(_ request: CreateTaskRequest, createdAt: Double) -> DiscoveryTask {
        guard case .success(let input) = validateCreate(request.json) else {
            preconditionFailure("a seeded task must be valid: \(request)")
        }
        return insert(input, createdAt: createdAt).task(at: now)
    }

    /// The current state of task `id`.
    func task(id: String) -> DiscoveryTask? {
        settle()
        return tasks[id]?.task(at: now)
    }

    // MARK: Creating

    struct CreateInput {
        var query: String
        var target: Int
        var criteria: [Criterion]?
        var autoDataSources: Bool
        var dataSources: [DataSource]
        var excludeDomains: [String]
        var tableID: String?
    }

    private func insert(_ input: CreateInput, createdAt: Double) -> SimulatedTask {
        created += 1
        let id = SeededRandom.uuid(seed: configuration.seed, "task", String(created))
        let key = CandidatePool.key(for: input.query)
        let pool = pools[key] ?? CandidatePool(query: input.query, seed: configuration.seed)
        pools[key] = pool
        let task = SimulatedTask(
            id: id, createdAt: createdAt, query: input.query, target: input.target,
            criteria: input.criteria ?? CriteriaGenerator.criteria(for: input.query, seed: configuration.seed),
            autoDataSources: input.autoDataSources, dataSources: input.dataSources,
            excludeDomains: input.excludeDomains, tableID: input.tableID, seed: configuration.seed, pool: pool, rate: rate,
            startDelay: configuration.startDelay / configuration.speed, failureRate: configuration.failureRate)
        tasks[id] = task
        order.append(id)
        return task
    }

    private func validateCreate(_ body: JSONValue?) -> Result<CreateInput, ReplyError> {
        var v = Validator()
        guard let body else {
            v.fail("missing", ["body"], "Field required", nil)
            return .failure(ReplyError(.validation(v.issues)))
        }
        guard let object = v.object(body, at: ["body"]) else { return .failure(ReplyError(.validation(v.issues))) }
        var input = CreateInput(query: "", target: 100, criteria: nil, autoDataSources: true, dataSources: [], excludeDomains: [], tableID: nil)

        if let value = object["query"] {
            if let query = v.string(value, at: ["body", "query"], minLength: 1) {
                if query.allSatisfy(\.isWhitespace) {
                    v.fail("value_error", ["body", "query"], "Value error, query must not be blank", value, ["error": "query must not be blank"])
                }
                input.query = query
            }
        } else {
            v.fail("missing", ["body", "query"], "Field required", body)
        }
        if let value = object["desired_num_results"] {
            if let n = v.int(value, at: ["body", "desired_num_results"], min: 1, max: DiscoveryTask.resultCap) { input.target = n }
        }
        if let value = object["table"], !value.isNull, let table = v.object(value, at: ["body", "table"]) {
            if let id = table["id"] {
                input.tableID = v.uuid(id, at: ["body", "table", "id"])
            } else {
                v.fail("missing", ["body", "table", "id"], "Field required", value)
            }
            for flag in ["run", "auto_import"] {
                if let f = table[flag] { _ = v.bool(f, at: ["body", "table", .string(flag)]) }
            }
            if let columns = table["columns"], !columns.isNull, let items = v.list(columns, at: ["body", "table", "columns"]) {
                for (i, item) in items.enumerated() { _ = v.uuid(item, at: ["body", "table", "columns", .int(i)]) }
            }
        }
        if let value = object["auto_data_sources"] {
            if let b = v.bool(value, at: ["body", "auto_data_sources"]) { input.autoDataSources = b }
        }
        if let value = object["data_sources"], let items = v.list(value, at: ["body", "data_sources"]) {
            for (i, item) in items.enumerated() {
                let allowed = DataSource.selectable.map(\.rawValue)
                if let s = item.stringValue, allowed.contains(s) {
                    if !input.dataSources.contains(DataSource(rawValue: s)) { input.dataSources.append(DataSource(rawValue: s)) }
                } else {
                    v.fail(
                        "enum", ["body", "data_sources", .int(i)], "Input should be 'web_search', 'linkedin' or 'maps'", item,
                        ["expected": "'web_search', 'linkedin' or 'maps'"])
                }
            }
        }
        if let value = object["criteria"], !value.isNull,
            let items = v.list(value, at: ["body", "criteria"], maxItems: configuration.maximumCriteria)
        {
            var criteria: [Criterion] = []
            for (i, item) in items.enumerated() {
                let loc: [JSONValue] = ["body", "criteria", .int(i)]
                guard let c = v.object(item, at: loc) else { continue }
                var key: String?
                var name: String?
                var text: String?
                if let k = c["key"] {
                    key = v.string(k, at: loc + ["key"])
                    if let k2 = key, !CreateTaskRequest.isValidKey(k2) {
                        v.fail(
                            "string_pattern_mismatch", loc + ["key"], "String should match pattern '\(CreateTaskRequest.keyPattern)'", k,
                            ["pattern": .string(CreateTaskRequest.keyPattern)])
                        key = nil
                    }
                } else {
                    v.fail("missing", loc + ["key"], "Field required", item)
                }
                if let n = c["name"] {
                    name = v.string(n, at: loc + ["name"], minLength: 1, maxLength: 100)
                } else {
                    v.fail("missing", loc + ["name"], "Field required", item)
                }
                if let t = c["criterion"] {
                    text = v.string(t, at: loc + ["criterion"], minLength: 10, maxLength: 500)
                } else {
                    v.fail("missing", loc + ["criterion"], "Field required", item)
                }
                if let key, let name, let text { criteria.append(Criterion(key: key, name: name, criterion: text)) }
            }
            if v.issues.isEmpty {
                if Set(criteria.map(\.key)).count != criteria.count {
                    v.fail(
                        "value_error", ["body", "criteria"], "Value error, criterion keys must be unique", value,
                        ["error": "criterion keys must be unique"])
                }
                input.criteria = criteria.isEmpty ? nil : criteria
            }
        }
        var explicitDomains: [String] = []
        if let value = object["exclude_domains"], !value.isNull, let items = v.list(value, at: ["body", "exclude_domains"], maxItems: 1000) {
            for (i, item) in items.enumerated() {
                if let s = v.string(item, at: ["body", "exclude_domains", .int(i)]), let domain = DomainNormalizer.registeredDomain(s) {
                    explicitDomains.append(domain)
                }
            }
        }
        var excludedTasks: [String] = []
        if let value = object["exclude_task_ids"], !value.isNull, let items = v.list(value, at: ["body", "exclude_task_ids"], maxItems: 100) {
            for (i, item) in items.enumerated() {
                if let id = v.uuid(item, at: ["body", "exclude_task_ids", .int(i)]) { excludedTasks.append(id) }
            }
        }
        if let value = object["notify"] { _ = v.bool(value, at: ["body", "notify"]) }
        if v.issues.isEmpty, !input.autoDataSources, input.dataSources.isEmpty {
            v.fail(
                "value_error", ["body", "data_sources"], "Value error, data_sources must not be empty when auto_data_sources is false",
                object["data_sources"] ?? .array([]), ["error": "data_sources must not be empty when auto_data_sources is false"])
        }
        if !v.issues.isEmpty { return .failure(ReplyError(.validation(v.issues))) }
        if input.autoDataSources { input.dataSources = [] }

        // Exclusions are resolved once, now: explicit domains first, then the visible results of
        // the named tasks, at most 1000 unique domains, sorted.
        var excluded: [String] = []
        var seen: Set<String> = []
        for d in explicitDomains where seen.insert(d).inserted { excluded.append(d) }
        let now = self.now
        for id in excludedTasks {
            guard let other = tasks[id] ?? tasks.first(where: { $0.key.lowercased() == id })?.value else {
                return .failure(ReplyError(.detail(404, "Task \(id) in exclude_task_ids was not found")))
            }
            guard other.snapshot(at: now).status == .done else {
                return .failure(ReplyError(.detail(400, "Task \(id) in exclude_task_ids is not done; only finished tasks can be excluded")))
            }
            for c in other.visibleCandidates(at: now) where seen.insert(c.domain).inserted { excluded.append(c.domain) }
        }
        input.excludeDomains = Array(excluded.prefix(1000)).sorted()
        return .success(input)
    }
}

/// A reply carried as an error, for `Result`.
struct ReplyError: Error {
    var reply: SimulatorReply
    init(_ reply: SimulatorReply) { self.reply = reply }
}
