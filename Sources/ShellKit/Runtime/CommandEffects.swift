/// What a command asks of the shell besides changes to the session: to start or stop a
/// recording, to leave, to start or leave a lesson. A command sets them on its context
/// (`context.effects`); the shell applies them with the session only when the command succeeds,
/// so a command that fails (or is stopped) leaves all of them as they were. Inside `source`, a
/// line's effects join the `source` command's, and are applied when it is.
///
/// The debug switch is no effect: it is the session's `debug` setting, which every request's
/// logger follows.
struct CommandEffects {
    enum Recording {
        /// Record from now on with this recorder (its file already written once).
        case start(ScriptRecorder)
        case stop
    }

    var recording: Recording?
    /// Leave the shell with this status (`exit`).
    var exit: Int32?
    /// Start or leave a lesson once the command is done (`tutorial`).
    var tutorial: TutorialRequest?

    /// These effects, then `later`'s: each effect `later` asks for replaces the one before it.
    mutating func merge(_ later: CommandEffects) {
        if let recording = later.recording { self.recording = recording }
        if let exit = later.exit { self.exit = exit }
        if let tutorial = later.tutorial { self.tutorial = tutorial }
    }
}
