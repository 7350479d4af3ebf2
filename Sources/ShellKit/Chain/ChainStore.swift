import DeepSearch
import FoundationEssentials
import POSIXSupport
import SystemPackage

/// The current chain of each API, kept in `$XDG_STATE_HOME/extruct-shell/chain.json` (mode 0600,
/// in a 0700 folder, written whole or not at all) so a later shell goes on with it:
/// `{"apis": [{"url": "https://api.extruct.ai", "chain": {…}}]}`, the API used last first. A file
/// that cannot be read holds no chain.
struct ChainStore: Sendable {
    /// APIs kept (each `--demo` is a new one, but those are never kept).
    static let apiLimit = 8

    let path: String

    static func defaultPath() -> String {
        let state = Environment.value("XDG_STATE_HOME") ?? (Environment.home + "/.local/state")
        return state + "/extruct-shell/chain.json"
    }

    private func load() -> [(url: String, chain: JSONValue)] {
        guard let bytes = FileContents.read(path), let json = try? JSONParser.parse(bytes), let apis = json["apis"]?.arrayValue else { return [] }
        return apis.compactMap { api in
            guard let url = api["url"]?.stringValue, let chain = api["chain"] else { return nil }
            return (url, chain)
        }
    }

    /// The chain kept for `apiURL`, if there is one.
    func chain(for apiURL: String) -> Chain? {
        load().first { $0.url == apiURL }.flatMap { Chain(json: $0.chain) }
    }

    /// Keeps `chain` as that of `apiURL` (nil: forgets it), which becomes the API used last.
    func save(_ chain: Chain?, for apiURL: String) throws(CommandFailure) {
        let directory = FilePath(path).removingLastComponent().string
        if let code = FileContents.makeDirectories(directory, mode: 0o700) {
            throw .local("cannot keep the chain in \(directory): \(FileContents.reason(code))")
        }
        let others = load().filter { $0.url != apiURL }
        let apis = (chain.map { [(url: apiURL, chain: $0.json(withFound: true))] } ?? []) + others
        let json = JSONValue.object([
            "apis": .array(apis.prefix(Self.apiLimit).map { .object(["url": .string($0.url), "chain": $0.chain]) })
        ])
        try AtomicFile.write(Array((JSONWriter.pretty(json) + "\n").utf8), to: path, mode: 0o600)
    }
}

extension Shell {
    /// Whether the chain is kept between processes: not for the built-in simulator (each run has
    /// its own tasks), a dry run (no task is made) or a cassette's replay.
    func keepsChain(of session: Session) -> Bool {
        let options = environment.options
        return !options.dryRun && options.replayHTTP == nil && session.apiURL != environment.simulatorURL
    }

    /// After a line: a chain the command grew before it failed or was stopped is kept (its tasks
    /// exist and spent credits), and a recording then says so with a `chain use` line; a chain
    /// that changed is written to the state file.
    func keepChain(of context: CommandContext, succeeded: Bool, before: Session, session: inout Session) {
        if !succeeded, let kept = context.keptChain, kept != session.chain {
            session.chain = kept
            if context.parent == nil, let recorder = environment.recorder, !recordingPaused {
                recorder.record(ChainCommand.useLine(for: kept), command: "chain", createdTask: nil)
                do { try recorder.save() } catch { environment.console.err(ErrorPresenter.line(for: error)) }
            }
        }
        guard session.chain != before.chain, keepsChain(of: session) else { return }
        do {
            try environment.chainStore.save(session.chain, for: session.apiURL)
        } catch {
            environment.console.err("warning: " + ErrorPresenter.describe(error).message)
        }
    }
}
