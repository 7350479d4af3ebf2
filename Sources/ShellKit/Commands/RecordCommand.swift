import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// `record FILE` … `record stop`: writes the commands that succeed as a replayable script.
struct RecordCommand: ShellCommand {
    static let spec = CommandSpec(
        "record", synopsis: "record FILE | record stop",
        abstract: "Write every command that succeeds from now on into FILE as a runnable script; record stop ends it.",
        discussion:
            "Task ids made by create become variables, so the script runs again on new tasks; ids typed in part are written whole; a token is written as $EXTRUCT_API_TOKEN. The file is rewritten whole after each command.",
        examples: ["record onboarding.exsh", "record stop"],
        positionals: 0...1, positionalCompletion: .file, isRecorded: false)

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        guard let word = arguments.positionals.first?.text else {
            if let recorder = context.recorder {
                let count = recorder.commandCount
                context.console.out("recording to \(recorder.path) (\(count) command\(count == 1 ? "" : "s") so far)")
            } else {
                context.console.out("not recording; record FILE starts")
            }
            return
        }
        if word == "stop" {
            guard let recorder = context.recorder else { throw CommandFailure.usage("record: not recording") }
            try recorder.save()
            context.effects.recording = .stop
            context.console.out("recorded \(recorder.commandCount) command\(recorder.commandCount == 1 ? "" : "s") to \(recorder.path)")
            return
        }
        if let recorder = context.recorder {
            throw CommandFailure.usage("record: already recording to \(recorder.path); record stop first")
        }
        let environment = context.environment
        let recorder = ScriptRecorder(
            path: word, apiURL: context.session.apiURL, version: environment.options.version, date: Date(),
            redact: { environment.redacted($0, replacement: "$EXTRUCT_API_TOKEN") })
        // The chain is part of the session: the script starts from it.
        if let chain = context.session.chain { recorder.record(ChainCommand.useLine(for: chain), command: "chain", createdTask: nil) }
        try recorder.save()
        context.effects.recording = .start(recorder)
        context.progress("recording to \(word); record stop ends it")
    }
}
