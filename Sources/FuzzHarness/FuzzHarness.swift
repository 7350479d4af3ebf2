import DeepSearch
import ShellKit

/// One entry point for the fuzzer and for the regression tests that replay what it found.
///
/// The first byte picks the target; the rest is its input: 0xF0 and above, command lines built
/// from the commands' specs and run through the real shell against a simulator (``CommandFuzzer``,
/// asynchronous: ``runCommands(_:)``); below it, by its value modulo 4, 0 the word splitter with
/// variable expansion, 1 the script reader, 2 JSON reading and the decoding of every response
/// model, 3 JSON paths and `expect` comparisons.
/// A finding is a crash or a broken property (the harness traps on it).
public enum FuzzHarness {
    /// Whether `bytes` are for the command fuzzer (``runCommands(_:)``).
    public static func isCommandInput(_ bytes: [UInt8]) -> Bool { (bytes.first ?? 0) >= 0xF0 }

    /// The command fuzzer of this process, made on first use.
    @MainActor private static var commands: CommandFuzzer?

    /// Runs the command lines `bytes` (after the first) choose through a new shell; traps on a
    /// broken property, so the fuzzer keeps the input.
    @MainActor public static func runCommands(_ bytes: [UInt8]) async {
        if commands == nil {
            do { commands = try await CommandFuzzer() } catch { fatalError("the command fuzzer could not start: \(error)") }
        }
        let problems = await commands!.run(Array(bytes.dropFirst()))
        if !problems.isEmpty { fatalError(problems.joined(separator: "\n")) }
    }

    /// Stops the command fuzzer, if one was made, and removes its folder.
    @MainActor public static func finish() async {
        await commands?.close()
        commands = nil
    }

    /// Runs one input of the synchronous targets (a command input is left to ``runCommands(_:)``).
    public static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first, !isCommandInput(bytes) else { return }
        let input = Array(bytes.dropFirst())
        switch selector % 4 {
        case 0: words(input)
        case 1: script(input)
        case 2: json(input)
        default: paths(input)
        }
    }

    static func words(_ input: [UInt8]) {
        let line = String(decoding: input, as: UTF8.self)
        let variables = ["q": "ai startups", "task": "t-1", "last.results[0].company_name": "Acme", "empty": ""]
        let expanded = try? WordSplitter.split(line) { variables[$0] }
        let checked = try? WordSplitter.split(line, resolve: nil)
        // Expansion never changes how many words there are.
        if let expanded, let checked, expanded.count != checked.count { fatalError("expansion re-split \(line.debugDescription)") }
    }

    static func script(_ input: [UInt8]) {
        guard let lines = try? ScriptSource.lines(input) else { return }
        for line in lines where line.number < 1 || line.text.contains("\n") {
            fatalError("bad script line \(line)")
        }
    }

    static func json(_ input: [UInt8]) {
        guard let value = try? JSONParser.parse(input) else { return }
        // What is written reads back the same.
        let again = try? JSONParser.parse(JSONWriter.compactBytes(value))
        if again != value { fatalError("JSON round trip changed \(JSONWriter.compact(value))") }
        if (try? JSONParser.parse(JSONWriter.pretty(value))) != value { fatalError("pretty JSON round trip changed") }
        _ = try? DiscoveryTask(json: value)
        _ = try? TaskResultsPage(json: value)
        _ = try? DiscoveryResult(json: value, at: "")
        for element in value.arrayValue ?? [] { _ = try? DiscoveryTask(json: element) }
        _ = try? CassetteExchange(json: value)
    }

    static func paths(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let parts = text.split(separator: "\u{0}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let document: JSONValue = .object(["status": "done", "num_results": 40, "results": [.object(["company_name": "Acme"])]])
        if let path = JSONPath(parts[0]) {
            _ = path.lookup(in: document)
            if JSONPath(path.description)?.description != path.description { fatalError("path \(parts[0].debugDescription) does not round trip") }
        }
        if parts.count == 3 {
            _ = try? ExpectCheck.holds(parts[0], parts[1], parts[2])
        }
    }
}
