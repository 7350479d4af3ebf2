import POSIXSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads a secret from the terminal with echo off.
enum SecretPrompt {
    /// The line typed after `prompt`, or nil when standard input is not a terminal. Ctrl-C
    /// (a cancelled task) gives up.
    @MainActor
    static func read(_ prompt: String) -> String? {
        guard isatty(0) == 1 else { return nil }
        var settings = termios()
        guard tcgetattr(0, &settings) == 0 else { return nil }
        var quiet = settings
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &settings)
            FileContents.writeToStandardError("\n")
        }
        FileContents.writeToStandardError(prompt)
        var bytes: [UInt8] = []
        while !Task.isCancelled {
            var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { continue }
            var byte: UInt8 = 0
            let n = Glibc.read(0, &byte, 1)
            if n <= 0 { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
