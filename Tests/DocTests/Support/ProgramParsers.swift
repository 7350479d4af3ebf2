import ArgumentParser

@testable import extruct_shell
@testable import extruct_sim

/// The programs' own command-line parsers: ArgumentParser's, as `main` runs them.
enum ProgramParsers {
    /// Why `arguments` would not start `program`, or nil when they parse (and validate).
    static func problem(_ program: String, _ arguments: [String]) -> String? {
        do {
            switch program {
            case "extruct-shell": _ = try ExtructShell.parseAsRoot(arguments)
            case "extruct-sim": _ = try ExtructSim.parseAsRoot(arguments)
            default: return "\(program) is not one of the programs"
            }
            return nil
        } catch {
            let message: String =
                switch program {
                case "extruct-shell": ExtructShell.message(for: error)
                default: ExtructSim.message(for: error)
                }
            let code: ExitCode =
                switch program {
                case "extruct-shell": ExtructShell.exitCode(for: error)
                default: ExtructSim.exitCode(for: error)
                }
            // --help and --version are fine lines to show.
            return code == .success ? nil : message
        }
    }
}
