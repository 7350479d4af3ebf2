import DeepSearch

/// `export --chain FILE`: the distinct companies of every task of the chain, in the chain's order
/// (each task's as the API ranks them), each with the task that found it first; read whole before
/// anything is written, and written whole or not at all.
enum ChainExport {
    @MainActor
    static func run(to path: String, format: ExportCommand.Format, _ context: CommandContext) async throws {
        guard var chain = context.session.chain, !chain.tasks.isEmpty else {
            throw CommandFailure.usage("export: no chain; collect N QUERY makes one (chain shows it)")
        }
        var rows: [(result: DiscoveryResult, raw: JSONValue)] = []
        var seen: Set<String> = []
        var criteria: [Criterion] = []
        for (index, member) in chain.tasks.enumerated() {
            let response = try await context.client().allResults(id: member.id, pageSize: context.bulkPageSize, knownTotal: member.results)
            let page = response.value
            context.observe(page.task)
            context.note(page.task)
            if criteria.isEmpty { criteria = page.task.criteria }
            // Counted afresh: a task may have grown since (resumed by hand).
            chain.count(page, at: index)
            let raws = response.raw["results"]?.arrayValue ?? []
            for (i, result) in page.results.enumerated() where seen.insert(Chain.key(of: result)).inserted {
                var raw = raws.count == page.results.count ? raws[i] : result.json
                // The task that found it, whatever the API wrote there.
                if var object = raw.objectValue {
                    object["task_id"] = .string(member.id)
                    raw = .object(object)
                }
                var found = result
                found.taskID = member.id
                rows.append((found, raw))
            }
        }
        let data: [UInt8] =
            switch format {
            case .csv: CSVExport.render(rows.map(\.result), criteria: criteria, taskIDs: rows.map(\.result.taskID))
            case .json:
                Array(
                    (JSONWriter.pretty(
                        .object([
                            "query": .string(chain.recipe.query), "tasks": .array(chain.tasks.map { .string($0.id) }),
                            "results": .array(rows.map(\.raw)),
                        ])) + "\n").utf8)
            case .jsonl: rows.flatMap { JSONWriter.compactBytes($0.raw) + [UInt8(ascii: "\n")] }
            }
        try AtomicFile.write(data, to: path, mode: 0o644)
        context.session.chain = chain
        let count = rows.count
        let tasks = chain.tasks.count == 1 ? "1 task" : "\(chain.tasks.count) tasks"
        if context.wantsJSON {
            context.printJSON(
                .object([
                    "file": .string(path), "format": .string(format.rawValue), "rows": .int(count), "tasks": .int(chain.tasks.count),
                ]))
        } else {
            context.console.out("wrote \(count) compan\(count == 1 ? "y" : "ies") of a chain of \(tasks) to \(path) (\(format.rawValue))")
        }
    }
}
