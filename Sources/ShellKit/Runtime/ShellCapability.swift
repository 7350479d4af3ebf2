/// A capability the shell hands lines to (``Playback``, ``Presenting``, ``Tutoring``): it
/// works on the shell's environment and session and runs each line through
/// ``Shell/execute(_:place:session:)``, the one path.
@MainActor
protocol ShellCapability: AnyObject {
    var shell: Shell { get }
}

extension ShellCapability {
    var environment: ShellEnvironment { shell.environment }
    var interrupts: Interrupts { shell.interrupts }
    /// The shell's session, which the lines this capability runs change as any line does.
    var session: Session {
        get { shell.session }
        set { shell.session = newValue }
    }
}
