import DeepSearch
import FoundationEssentials
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// `export FILE`: every result of the current task to a file, written whole or not at all.
struct ExportCommand: ShellCommand {
    static let spec = CommandSpec(
        "export", synopsis: "export FILE [--format csv|json|jsonl] [--chain]",
        abstract: "Write every result of the current task to FILE (format from the extension by default).",
        discussion:
            "The file is written to a temporary name and renamed, so it is never half-written. CSV cells that a spreadsheet would run as a formula are prefixed with '. --chain writes the distinct companies of every task of the chain (collect makes it), each with the task that found it first.",
        examples: ["export results.csv", "export out.data --format jsonl", "export --chain companies.csv"],
        flags: [
            FlagSpec("--format", "FORMAT", completion: .values(["csv", "json", "jsonl"]), help: "csv, json or jsonl"),
            FlagSpec("--chain", arity: 0, help: "the companies of the whole chain, not the current task's results"),
        ],
        positionals: 1...1, positionalCompletion: .file, talksToAPI: true)

    enum Format: String { case csv, json, jsonl }

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let path = arguments.positionals[0].text
        let format: Format
        if let given = arguments.value("--format") {
            guard let f = Format(rawValue: given.lowercased()) else {
                throw CommandFailure.usage("export: --format takes csv, json or jsonl, not '\(given)'")
            }
            format = f
        } else {
            switch (FilePath(path).extension ?? "").lowercased() {
            case "csv": format = .csv
            case "json": format = .json
            case "jsonl", "ndjson": format = .jsonl
            default: throw CommandFailure.usage("export: cannot tell the format of '\(path)'; end it in .csv, .json or .jsonl, or give --format")
            }
        }
        if arguments.flag("--chain") {
            try await ChainExport.run(to: path, format: format, context)
            return
        }
        let id = try context.currentTask()
        let response = try await context.client().allResults(
            id: id, pageSize: context.bulkPageSize, knownTotal: context.session.knownResultCounts[id])
        context.remember(response.raw, status: response.status)
        context.note(response.value.task)
        let data: [UInt8] =
            switch format {
            case .csv: CSVExport.render(response.value)
            case .json: Array((JSONWriter.pretty(response.raw) + "\n").utf8)
            case .jsonl: (response.raw["results"]?.arrayValue ?? []).flatMap { JSONWriter.compactBytes($0) + [UInt8(ascii: "\n")] }
            }
        try AtomicFile.write(data, to: path, mode: 0o644)
        let rows = response.value.results.count
        if context.wantsJSON {
            context.printJSON(.object(["file": .string(path), "format": .string(format.rawValue), "rows": .int(rows)]))
        } else {
            context.console.out("wrote \(rows) result\(rows == 1 ? "" : "s") of task \(DeepSearchClient.short(id)) to \(path) (\(format.rawValue))")
        }
    }
}

/// Results as RFC 4180 CSV, one column per criterion grade.
enum CSVExport {
    static func render(_ page: TaskResultsPage) -> [UInt8] {
        render(page.results, criteria: page.task.criteria)
    }

    /// `results` graded by `criteria`; with `taskIDs`, a last column says which task found each.
    static func render(_ results: [DiscoveryResult], criteria: [Criterion], taskIDs: [String]? = nil) -> [UInt8] {
        let keys = criteria.isEmpty ? Array(Set(results.flatMap { $0.scores.map(\.key) })).sorted() : criteria.map(\.key)
        var header = [
            "rank", "company_name", "company_website", "relevance", "hq_city", "hq_state_province", "hq_country",
            "employee_count", "founding_year", "source", "company_description",
        ]
        header += keys.map { "grade_\($0)" }
        if taskIDs != nil { header.append("task_id") }
        var lines = [header.map(cell).joined(separator: ",")]
        for (i, r) in results.enumerated() {
            var row = [
                String(i + 1), r.companyName, r.companyWebsite ?? "", r.relevance.map(String.init) ?? "", r.hqCity ?? "",
                r.hqStateProvince ?? "", r.hqCountry ?? "", r.employeeCount?.rawValue ?? "", r.foundingYear.map(String.init) ?? "",
                r.source?.rawValue ?? "", r.companyDescription ?? "",
            ]
            row += keys.map { key in r.score(for: key)?.grade.map(String.init) ?? "" }
            if let taskIDs { row.append(taskIDs[i]) }
            lines.append(row.map(cell).joined(separator: ","))
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// One cell: quoted when needed; a leading = + - @ is defused with '.
    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@".contains(first), Double(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + v.replacing("\"", with: "\"\"") + "\""
        }
        return v
    }
}
