import DeepSearch
import LineEditing
import POSIXSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Asks the person at the terminal a yes-or-no question before something that cannot be taken
/// back. The answer is read from the terminal on the ``InputThread`` (the main actor stays free),
/// never through the line editor, so it is not kept in history.
enum ConfirmPrompt {
    /// True only for `y` or `yes` (any case); Enter alone, anything else, end of input (Ctrl-D)
    /// and Ctrl-C (the command's task cancelled) are no.
    @MainActor
    static func ask(_ question: String, console: Console) async -> Bool {
        // Keys typed before the question never answer it.
        tcflush(0, TCIFLUSH)
        let lines = TextLayout.wrap(question + " [y/N]", to: console.lineColumns)
        for line in lines.dropLast() { console.err(line) }
        console.errRaw((lines.last ?? "") + " ")
        // While a command runs the terminal does not echo (TypeAhead); the answer is seen.
        TypeAhead.show()
        let answer = await readLine()
        TypeAhead.hide()
        // Ctrl-C and Ctrl-D leave the cursor after the question.
        if answer == nil { console.errRaw("\n") }
        return ["y", "yes"].contains(answer?.trimmingSpaces.lowercased() ?? "")
    }

    /// One line typed on standard input; nil at its end or when the calling task is cancelled.
    private static func readLine() async -> String? {
        let cancelled = CancelFlag()
        return await withTaskCancellationHandler {
            await InputThread.shared.perform { readLine(unless: cancelled) }
        } onCancel: {
            cancelled.set()
        }
    }

    /// Reads standard input byte by byte in short polls, so a cancellation ends the wait.
    private static func readLine(unless cancelled: CancelFlag) -> String? {
        var bytes: [UInt8] = []
        while !cancelled.isSet {
            var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { continue }
            var byte: UInt8 = 0
            guard Glibc.read(0, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}

/// Set once by a cancellation handler, read by the input thread.
private final class CancelFlag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
