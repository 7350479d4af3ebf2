import DeepSearch
import FoundationEssentials
import POSIXSupport
import SystemPackage

/// How far the learner got in each lesson, kept in `$XDG_STATE_HOME/extruct-shell/tutorial.json`
/// (mode 0600, in a 0700 folder): `{"last": "first-steps", "lessons": {"first-steps": {"step": 3,
/// "done": false}}}`; `last` is the lesson started last, where `tutorial continue` goes on.
/// A file that cannot be read is started afresh; one that cannot be written costs a warning.
struct TutorialProgress: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        /// Steps done (the next one to ask for).
        var step: Int
        var done: Bool
    }

    var lessons: [String: Entry] = [:]
    /// The name of the lesson started last.
    var last: String?

    static func defaultPath() -> String {
        let state = Environment.value("XDG_STATE_HOME") ?? (Environment.home + "/.local/state")
        return state + "/extruct-shell/tutorial.json"
    }

    static func load(path: String) -> TutorialProgress {
        guard let bytes = FileContents.read(path), let json = try? JSONParser.parse(bytes), let lessons = json["lessons"]?.objectValue
        else { return TutorialProgress() }
        var progress = TutorialProgress()
        progress.last = json["last"]?.stringValue
        for member in lessons.members {
            let value = member.value
            progress.lessons[member.key] = Entry(step: max(0, value["step"]?.intValue ?? 0), done: value["done"]?.boolValue ?? false)
        }
        return progress
    }

    func save(path: String) throws(CommandFailure) {
        let directory = FilePath(path).removingLastComponent().string
        if let code = FileContents.makeDirectories(directory, mode: 0o700) {
            throw .local("cannot keep the tutorial's progress in \(directory): \(FileContents.reason(code))")
        }
        var object = JSONObject()
        for name in lessons.keys.sorted() {
            let entry = lessons[name]!
            var fields = JSONObject()
            fields["step"] = .int(entry.step)
            fields["done"] = .bool(entry.done)
            object[name] = .object(fields)
        }
        var root = JSONObject()
        if let last { root["last"] = .string(last) }
        root["lessons"] = .object(object)
        try AtomicFile.write(Array((JSONWriter.pretty(.object(root)) + "\n").utf8), to: path, mode: 0o600)
    }
}
