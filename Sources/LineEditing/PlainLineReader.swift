import POSIXSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads lines from a file descriptor that is not a terminal: no prompt, no escapes, no editing.
///
/// Bytes are split at `\n`; a `\r` before it is dropped; invalid UTF-8 becomes U+FFFD; a NUL is
/// kept as a character (the shell refuses it with a message rather than silently cutting the line).
public final class PlainLineReader: LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Whether a person types at a plain terminal (`TERM=dumb`): the prompt is shown on standard
    /// error, and the terminal's own line editing does the rest.
    private let showsPrompt: Bool

    /// A reader of `fd` (standard input by default); `showsPrompt` for a plain terminal.
    public init(fd: Int32 = 0, showsPrompt: Bool = false) {
        self.fd = fd
        self.showsPrompt = showsPrompt
    }

    public var isInteractive: Bool { showsPrompt }

    public func readLine(prompt: String) -> LineReadResult {
        if showsPrompt, !prompt.isEmpty, !buffer[start...].contains(UInt8(ascii: "\n")) {
            FileContents.writeToStandardError(prompt)
        }
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                compact()
                return .line(line)
            }
            if atEnd {
                guard start < buffer.count else {
                    // Ctrl-D at a terminal ends this read, not the terminal.
                    if showsPrompt { atEnd = false }
                    return .endOfInput
                }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = buffer.count
                return .line(line)
            }
            fill()
        }
    }

    private func compact() {
        if start > 65_536, start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
        } else if n == 0 || errno != EINTR {
            atEnd = true
        }
    }

    public func addToHistory(_ line: String) {}
    public func replaceHistory(_ lines: [String]) {}
    public func close() {}
}
