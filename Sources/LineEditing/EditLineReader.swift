import CEditLine
import CLineSupport
import POSIXSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Line editing on a terminal with libedit's native wide-character API: Emacs keys, Up/Down and
/// Ctrl-R history, Tab completion, UTF-8 input, window resizes.
///
/// Signals are the shell's business, not libedit's (`EL_SIGNAL` is off, since it re-raises to the
/// whole process group): while editing, the terminal has `isig` off and Ctrl-C is a key bound to
/// "discard the line"; SIGTERM and SIGHUP wake the editor through ``ex_editor_wake`` and make
/// ``readLine(prompt:)`` return `.stopped`; SIGWINCH makes it re-read the window size.
public final class EditLineReader: LineReader {
    private let editor: OpaquePointer
    private let history: OpaquePointer
    private var promptBuffer: UnsafeMutablePointer<wchar_t>
    private var interrupted = false
    private var closed = false
    private let output: UnsafeMutablePointer<FILE>
    /// The stream on a duplicate of standard input that libedit reads; closed with the editor.
    private let input: UnsafeMutablePointer<FILE>
    /// Wide strings handed to libedit at set-up (names, key bindings), freed after `el_end`.
    private var handedOver: [UnsafeMutablePointer<wchar_t>] = []

    /// Completes the word before the cursor; gets the text before the cursor.
    public var completer: ((String) -> Completion)?
    /// Lays the prompt out for the terminal's width, again whenever the width changes.
    private var promptLayout: (@Sendable (Int) -> String)?
    /// The width the prompt was last laid out for.
    private var promptColumns = 0

    /// An editor on standard input and standard error, or nil when standard input is not a terminal.
    public init?(programName: String, historySize: Int = 2000) {
        guard isatty(0) == 1 else { return nil }
        LineEditing.ensureUTF8Locale()
        // The output is a stream that also shows each write to the cast recorder; libedit is told
        // the real descriptors, which it asks whether they are a terminal and how wide.
        // Every way out of here closes what it opened: an editor is made for each prompt (and
        // each `i` under --step), so a leak would cost a descriptor every time.
        let inputFD = dup(0)
        guard inputFD >= 0 else { return nil }
        guard let input = fdopen(inputFD, "r") else {
            Glibc.close(inputFD)
            return nil
        }
        let outputFD = dup(2)
        guard outputFD >= 0, let output = ex_output_open(outputFD) else {
            if outputFD >= 0 { Glibc.close(outputFD) }
            fclose(input)
            return nil
        }
        guard let editor = el_init_fd(programName, input, output, output, 0, 2, 2) else {
            fclose(output)
            fclose(input)
            return nil
        }
        guard let history = history_winit() else {
            el_end(editor)
            fclose(output)
            fclose(input)
            return nil
        }
        self.editor = editor
        self.output = output
        self.input = input
        self.history = history
        promptBuffer = .allocate(capacity: 1)
        promptBuffer.initialize(to: 0)

        ex_history_set_size(history, Int32(historySize))
        ex_history_set_unique(history, 1)
        ex_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        ex_el_set_signal(editor, 0)
        ex_el_set_editor(editor, keep("emacs"))
        ex_el_setty(editor, keep("-d"), keep("-isig"), nil)
        ex_el_set_getcfn(editor, ex_read_char)
        ex_el_set_prompt(
            editor,
            { editor in
                guard let editor, let reader = EditLineReader.reader(of: editor) else { return nil }
                if let changed = EditLineReader.changedPrompt.withLock({ prompt in
                    defer { prompt = nil }
                    return prompt
                }) {
                    reader.promptLayout = changed
                    reader.promptColumns = 0
                }
                if let layout = reader.promptLayout {
                    let columns = Int(ex_el_get_columns(editor))
                    if columns != reader.promptColumns {
                        reader.promptColumns = columns
                        reader.setPrompt(layout(columns))
                    }
                }
                return reader.promptBuffer
            }, 1)
        ex_el_set_history(editor, history)
        ex_el_add_function(
            editor, keep("ex-interrupt"), keep("Discard the line"),
            { editor, _ in
                guard let editor, let reader = EditLineReader.reader(of: editor) else { return UInt8(CC_ERROR) }
                reader.interrupted = true
                fputs("^C\r\n", reader.output)
                fflush(reader.output)
                return UInt8(CC_NEWLINE)
            })
        ex_el_add_function(
            editor, keep("ex-complete"), keep("Complete the word"),
            { editor, _ in
                guard let editor, let reader = EditLineReader.reader(of: editor) else { return UInt8(CC_ERROR) }
                return reader.complete()
            })
        ex_el_bind(editor, keep("^C"), keep("ex-interrupt"))
        ex_el_bind(editor, keep("^I"), keep("ex-complete"))
        ex_el_bind(editor, keep("^R"), keep("em-inc-search-prev"))
        el_source(editor, nil)
    }

    /// Shows `text` on a line of its own above the line being typed, which stays as it was
    /// (at once if the editor waits for a key, else when it next does); with `prompt`, the line
    /// is drawn again after that prompt, laid out for the width (a task's status changed). Any
    /// thread.
    public static func postNotice(_ text: String, prompt: (@Sendable (Int) -> String)? = nil) {
        if let prompt { changedPrompt.withLock { $0 = prompt } }
        ex_editor_post_notice(text)
    }

    /// The terminal's width as the editor knows it (any thread; 80 when it cannot say).
    public static var columns: Int {
        var size = winsize()
        for fd: Int32 in [2, 1, 0] where ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// A prompt to show from the next redraw on (set with a notice).
    private static let changedPrompt = Mutex<(@Sendable (Int) -> String)?>(nil)

    deinit {
        close()
        promptBuffer.deallocate()
        for pointer in handedOver { pointer.deallocate() }
    }

    private static func reader(of editor: OpaquePointer) -> EditLineReader? {
        guard let data = ex_el_get_clientdata(editor) else { return nil }
        return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue()
    }

    /// A NUL-terminated wide copy of `text` that lives as long as the editor (some libedit
    /// versions keep pointers to function names rather than copies).
    private func keep(_ text: String) -> UnsafeMutablePointer<wchar_t> {
        let scalars = Self.wideArray(text)
        let pointer = UnsafeMutablePointer<wchar_t>.allocate(capacity: scalars.count)
        pointer.initialize(from: scalars, count: scalars.count)
        handedOver.append(pointer)
        return pointer
    }

    public var isInteractive: Bool { true }

    /// Shows the prompt `layout` gives for the terminal's width (asked again when the window
    /// changes); ANSI sequences in it must be wrapped in `\u{1}` so they take no width.
    public func readLine(promptFor layout: @escaping @Sendable (Int) -> String) -> LineReadResult {
        promptLayout = layout
        promptColumns = Int(ex_el_get_columns(editor))
        defer { promptLayout = nil }
        return readLine(prompt: layout(promptColumns))
    }

    /// Shows `prompt`; ANSI sequences in it must be wrapped in `\u{1}` so they take no width.
    public func readLine(prompt: String) -> LineReadResult {
        guard !closed else { return .endOfInput }
        Self.changedPrompt.withLock { $0 = nil }
        setPrompt(prompt)
        interrupted = false
        var count: Int32 = 0
        guard let line = el_wgets(editor, &count) else {
            // libedit returns NULL for an empty line as for the end of input: Ctrl-C on an empty
            // prompt is told apart by the flag its binding set.
            if interrupted { return .interrupted }
            return ex_editor_stop_requested() != 0 ? .stopped : .endOfInput
        }
        if interrupted { return .interrupted }
        var scalars = String.UnicodeScalarView()
        for i in 0..<Int(count) {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: line[i])) { scalars.append(scalar) }
        }
        var text = String(scalars)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return .line(text)
    }

    public func addToHistory(_ line: String) {
        let w = Self.wideArray(line)
        w.withUnsafeBufferPointer { _ = ex_history_enter(history, $0.baseAddress) }
    }

    public func replaceHistory(_ lines: [String]) {
        ex_history_clear(history)
        for line in lines { addToHistory(line) }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        el_end(editor)
        history_wend(history)
        fclose(output)
        fclose(input)
    }

    private func setPrompt(_ prompt: String) {
        let w = Self.wideArray(prompt)
        promptBuffer.deallocate()
        promptBuffer = .allocate(capacity: w.count)
        promptBuffer.initialize(from: w, count: w.count)
    }

    private static func wideArray(_ text: String) -> [wchar_t] {
        text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
    }

    /// The Tab key: completes a unique candidate, extends to the common prefix, or lists them.
    private func complete() -> UInt8 {
        guard let completer, let info = el_wline(editor)?.pointee else { return UInt8(CC_ERROR) }
        var before = String.UnicodeScalarView()
        var p = info.buffer!
        while p < info.cursor {
            if let s = Unicode.Scalar(UInt32(bitPattern: p.pointee)) { before.append(s) }
            p += 1
        }
        let completion = completer(String(before))
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let current = String(String(before).unicodeScalars.suffix(completion.replacing))
        if completion.candidates.count == 1 {
            replace(count: completion.replacing, with: completion.candidates[0] + (completion.appendsSpace ? " " : ""))
            return UInt8(CC_REFRESH)
        }
        let prefix = completion.commonPrefix
        if prefix.unicodeScalars.count > current.unicodeScalars.count {
            replace(count: completion.replacing, with: prefix)
            return UInt8(CC_REFRESH)
        }
        let columns = max(20, Int(ex_el_get_columns(editor)))
        fputs("\r\n" + Self.columns(completion.candidates, width: columns), output)
        fflush(output)
        return UInt8(CC_REDISPLAY)
    }

    private func replace(count: Int, with text: String) {
        if count > 0 { el_deletestr(editor, Int32(count)) }
        let w = Self.wideArray(text)
        w.withUnsafeBufferPointer { _ = el_winsertstr(editor, $0.baseAddress) }
    }

    /// Candidates laid out in columns, as a shell lists them.
    static func columns(_ items: [String], width: Int) -> String {
        let widest = (items.map { TextWidth.of($0) }.max() ?? 0) + 2
        let perLine = max(1, width / widest)
        var out = ""
        for (i, item) in items.enumerated() {
            out += item
            if (i + 1) % perLine == 0 || i == items.count - 1 {
                out += "\r\n"
            } else {
                out += String(repeating: " ", count: widest - TextWidth.of(item))
            }
        }
        return out
    }
}

/// Process-wide settings line editing needs.
public enum LineEditing {
    /// Makes the C library read UTF-8: the user's locale if it is UTF-8, else C.UTF-8. Without
    /// this, libedit drops every non-ASCII character.
    public static func ensureUTF8Locale() {
        setlocale(LC_ALL, "")
        if maximumBytesPerCharacter() == 1 {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    private static func maximumBytesPerCharacter() -> Int {
        Int(__ctype_get_mb_cur_max())
    }
}
