import DeepSearch
import FoundationEssentials
import LineEditing
import POSIXSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Standard output for results, standard error for prompts, progress and `error:` lines.
///
/// Output is buffered and written when a command ends (or the buffer grows large); standard
/// error is written at once, after flushing output, so the two interleave in order on a terminal.
/// A closed output pipe (`| head`) is noticed, not fatal: SIGPIPE is ignored.
public final class Console: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var outputClosed = false
        var liveLine = false
        /// What the live line shows, for a given width: drawn again when the window changes.
        var liveRender: (@Sendable (Int) -> String)?
        var muted = false
        /// Sees every write after it reached its descriptor (the asciicast recorder).
        var tap: (@Sendable ([UInt8]) -> Void)?
    }

    private let state = Mutex(State())
    private let secrets = Mutex<[String]>([])
    private let outFD: Int32
    private let errFD: Int32
    /// Where an in-memory console writes instead of the descriptors, and the size it reports.
    private let transcript: ConsoleTranscript?
    private let fixedSize: (columns: Int, rows: Int)?
    /// Whether standard output is a terminal.
    public let outputIsTerminal: Bool
    /// Whether standard error is a terminal.
    public let errorIsTerminal: Bool
    /// Whether standard input is a terminal (a person can type a secret or a lesson's steps).
    public let inputIsTerminal: Bool
    /// Whether the environment asks for no colour (`NO_COLOR` set) or `--no-color` was given.
    public let colorForbidden: Bool
    /// Whether the terminal takes plain text only (`TERM=dumb`, or a terminal terminfo does not
    /// know): no colour, no cursor movement, one line per update, as on a pipe.
    public let isPlainTerminal: Bool

    public init(outFD: Int32 = 1, errFD: Int32 = 2, colorForbidden: Bool) {
        self.outFD = outFD
        self.errFD = errFD
        transcript = nil
        fixedSize = nil
        outputIsTerminal = isatty(outFD) == 1
        errorIsTerminal = isatty(errFD) == 1
        inputIsTerminal = isatty(0) == 1
        self.colorForbidden = colorForbidden
        isPlainTerminal = (outputIsTerminal || errorIsTerminal || inputIsTerminal) && TerminalType.isPlain()
    }

    /// A console that writes into `transcript` and touches no descriptor: what a shell built in
    /// the test process prints. It reports `columns` × `rows`, and standard output and error as
    /// terminals (`terminal`, drawing live lines) or as pipes; standard input is never a terminal.
    public init(transcript: ConsoleTranscript, columns: Int = 80, rows: Int = 24, terminal: Bool = false, colorForbidden: Bool = true) {
        outFD = 1
        errFD = 2
        self.transcript = transcript
        fixedSize = (columns, rows)
        outputIsTerminal = terminal
        errorIsTerminal = terminal
        inputIsTerminal = false
        self.colorForbidden = colorForbidden
        isPlainTerminal = false
    }

    /// Whether a line can be redrawn in place on standard error (a terminal that moves its cursor).
    public var supportsLiveLines: Bool { errorIsTerminal && !isPlainTerminal }

    /// Words never to be written: each is shown as `…` wherever it appears (the tokens in use).
    public func setSecrets(_ words: Set<String>) {
        secrets.withLock { $0 = words.filter { $0.count >= Secrets.minimumLength }.sorted { $0.count > $1.count } }
    }

    private func redact(_ text: String) -> String {
        let words = secrets.withLock { $0 }
        guard !words.isEmpty else { return text }
        return words.reduce(text) { Secrets.redact($0, $1) }
    }

    /// Shows every later write, as written (tokens already left out), to `observer`.
    public func setTap(_ observer: (@Sendable ([UInt8]) -> Void)?) {
        state.withLock { $0.tap = observer }
    }

    /// Runs `body` with nothing written (a lesson's set-up, a check it makes quietly); what it
    /// printed is dropped.
    public func muted<T>(_ body: () async -> T) async -> T {
        flush()
        state.withLock { $0.muted = true }
        let value = await body()
        state.withLock { state in
            state.buffer.removeAll(keepingCapacity: true)
            state.liveLine = false
            state.liveRender = nil
            state.muted = false
        }
        return value
    }

    /// Whether output can still be written (false once the reader of a pipe went away).
    public var isOutputOpen: Bool { state.withLock { !$0.outputClosed } }

    /// Appends `text` and a newline to standard output.
    public func out(_ text: String) {
        let flushNow = state.withLock { state -> Bool in
            state.buffer.append(contentsOf: redact(text).utf8)
            state.buffer.append(UInt8(ascii: "\n"))
            return state.buffer.count > 1 << 16
        }
        if flushNow { flush() }
    }

    /// Writes `text` and a newline to standard error at once.
    public func err(_ text: String) {
        flush()
        endLiveLine()
        write(errFD, Array((redact(text) + "\n").utf8))
    }

    /// Writes `text` and a newline to standard error at once, for the person at the terminal
    /// only: a `--cast` recording leaves it out (the presenter's own lines under `--step`).
    public func note(_ text: String) {
        flush()
        endLiveLine()
        write(errFD, Array((redact(text) + "\n").utf8), recorded: false)
    }

    /// Writes `text` to standard error as is (no newline).
    public func errRaw(_ text: String) {
        flush()
        write(errFD, Array(redact(text).utf8))
    }

    /// Writes `text` at once, to standard output or standard error (typing out a demo).
    public func type(_ text: String, toStandardError: Bool) {
        flush()
        write(toStandardError ? errFD : outFD, Array(redact(text).utf8))
    }

    /// Shows the live line on standard error, replacing the previous one: `render` lays it out
    /// for a width (it is called again when the window changes), and what it gives is cut to one
    /// row less a column, so the line never wraps and the redraw always covers it.
    public func live(_ render: @escaping @Sendable (Int) -> String) {
        flush()
        state.withLock {
            $0.liveLine = true
            $0.liveRender = render
        }
        drawLive(render)
    }

    /// Draws the live line again for the window as it is now (after SIGWINCH).
    public func redrawLiveLine() {
        guard let render = state.withLock({ $0.liveLine ? $0.liveRender : nil }) else { return }
        drawLive(render)
    }

    private func drawLive(_ render: @Sendable (Int) -> String) {
        let columns = max(10, terminalWidth - 1)
        let text = TextLayout.first(fitting: columns, [redact(render(columns))])
        write(errFD, Array(("\r\u{1B}[2K" + text).utf8))
    }

    /// Erases a live line, if one is showing, leaving the cursor at the start of the line.
    public func clearLiveLine() {
        if takeLiveLine() { write(errFD, Array("\r\u{1B}[2K".utf8)) }
    }

    /// Ends a live line, if one is showing, with a newline.
    public func endLiveLine() {
        if takeLiveLine() { write(errFD, Array("\n".utf8)) }
    }

    /// Whether a live line is showing; it is not any more.
    private func takeLiveLine() -> Bool {
        state.withLock { state in
            defer {
                state.liveLine = false
                state.liveRender = nil
            }
            return state.liveLine
        }
    }

    /// Writes buffered output.
    public func flush() {
        let bytes = state.withLock { state -> [UInt8] in
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.outputClosed ? [] : state.buffer
        }
        guard !bytes.isEmpty else { return }
        if !write(outFD, bytes) { state.withLock { $0.outputClosed = true } }
    }

    /// Columns a line of text may fill without the terminal wrapping it: a row less a column.
    public var lineColumns: Int { max(20, terminalWidth - 1) }

    /// `text` as the lines to write: on a terminal (`onTerminal`) and wider than
    /// ``lineColumns``, broken at spaces, so the terminal never cuts a word (or an option to
    /// copy) in two; elsewhere whole.
    public func lines(_ text: String, onTerminal: Bool) -> [String] {
        onTerminal && TextLayout.width(text) > lineColumns ? TextLayout.wrap(text, to: lineColumns) : [text]
    }

    /// Columns of the terminal (standard output's, else standard error's, else `COLUMNS`, else 100).
    public var terminalWidth: Int {
        if let fixedSize { return fixedSize.columns }
        if !outputIsTerminal && !errorIsTerminal { return Self.environmentNumber("COLUMNS") ?? 100 }
        return windowSize([outFD, errFD])?.columns ?? Self.environmentNumber("COLUMNS") ?? 100
    }

    /// Whether colour is used for `settings` on standard output.
    public func colorOnOutput(_ settings: Settings) -> Bool {
        switch settings.color {
        case .on: true
        case .off: false
        case .auto: outputIsTerminal && !colorForbidden && !isPlainTerminal && settings.output == .text
        }
    }

    /// Whether colour is used for `settings` on standard error.
    public func colorOnError(_ settings: Settings) -> Bool {
        switch settings.color {
        case .on: true
        case .off: false
        case .auto: errorIsTerminal && !colorForbidden && !isPlainTerminal
        }
    }

    @discardableResult
    private func write(_ fd: Int32, _ bytes: [UInt8], recorded: Bool = true) -> Bool {
        let (muted, tap) = state.withLock { ($0.muted, $0.tap) }
        if muted { return true }
        if let transcript {
            transcript.append(bytes, toStandardError: fd == errFD)
            if recorded { tap?(bytes) }
            return true
        }
        let written = FileContents.writeAll(fd, bytes) == nil
        if recorded { tap?(bytes) }
        return written
    }

    /// Columns and rows of the terminal (standard output's, standard error's or standard
    /// input's), else `COLUMNS` and `LINES`, else 80 × 24.
    public var terminalSize: (columns: Int, rows: Int) {
        if let fixedSize { return fixedSize }
        return windowSize([outFD, errFD, 0]) ?? (Self.environmentNumber("COLUMNS") ?? 80, Self.environmentNumber("LINES") ?? 24)
    }

    /// The window size of the first of `descriptors` that is a terminal and says.
    private func windowSize(_ descriptors: [Int32]) -> (columns: Int, rows: Int)? {
        for fd in descriptors {
            var size = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return (Int(size.ws_col), Int(size.ws_row)) }
        }
        return nil
    }

    /// A positive number from the environment (`COLUMNS`, `LINES`).
    private static func environmentNumber(_ name: String) -> Int? {
        Environment.value(name).flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }
}

/// What an in-memory console (``Console/init(transcript:columns:rows:terminal:colorForbidden:)``)
/// was given to write, standard output and standard error apart.
public final class ConsoleTranscript: Sendable {
    private let written = Mutex<(output: [UInt8], errors: [UInt8])>(([], []))

    public init() {}

    func append(_ bytes: [UInt8], toStandardError: Bool) {
        written.withLock { if toStandardError { $0.errors += bytes } else { $0.output += bytes } }
    }

    /// What was written since the last call; the transcript starts again empty.
    public func take() -> (output: String, errors: String) {
        written.withLock { written in
            defer { written = ([], []) }
            return (String(decoding: written.output, as: UTF8.self), String(decoding: written.errors, as: UTF8.self))
        }
    }
}
