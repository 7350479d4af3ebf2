import DeepSearch
import FoundationEssentials
import POSIXSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `--cast FILE`: what the terminal showed, as an asciicast v2 recording (a JSON header line, then
/// one `[seconds, "o", text]` line per write), playable with `asciinema play` and shareable.
///
/// Every write of the console (already free of tokens) and of the line editor is an event, at the
/// time it happened, with idle gaps capped. While a line is being edited its events are held:
/// a line that history would not keep as typed (`token VALUE`, a token pasted anywhere) and a
/// discarded one are replaced by the prompt and what history keeps, so a token typed at the
/// prompt never reaches the file. Each event is written at once, so a cast cut short by a signal
/// is still a valid recording up to there.
public final class AsciicastRecorder: Sendable {
    private struct Event {
        var time: ContinuousClock.Instant
        var bytes: [UInt8]
        var fromEditor: Bool
    }

    private struct State {
        var fd: Int32
        /// Seconds into the cast of the last event written.
        var elapsed: Double = 0
        var last: ContinuousClock.Instant
        /// Events of the line being edited, not written yet.
        var held: [Event]?
        /// The start of a UTF-8 character cut off at the end of a write, per source.
        var carry: [Bool: [UInt8]] = [:]
    }

    private let state: Mutex<State>
    /// The longest pause the cast keeps, in seconds (0: none shortened).
    let idleLimit: Double
    let path: String

    /// Creates (or empties) `path` with mode 0600 and writes the header.
    public init(path: String, width: Int, height: Int, idleLimit: Double, term: String?, now: Int = Int(time(nil))) throws(CommandFailure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .local("cannot write the cast \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        self.path = path
        self.idleLimit = idleLimit
        state = Mutex(State(fd: fd, last: .now))
        var header: [UInt8] = []
        header += Array("{\"version\": 2, \"width\": \(width), \"height\": \(height), \"timestamp\": \(now)".utf8)
        if idleLimit > 0 { header += Array(", \"idle_time_limit\": \(Self.seconds(idleLimit))".utf8) }
        header += Array(", \"title\": \"extruct-shell\", \"env\": {\"TERM\": ".utf8)
        JSONWriter.writeString(term ?? "xterm-256color", into: &header)
        header += Array(", \"SHELL\": \"extruct-shell\"}}\n".utf8)
        if let code = FileContents.writeAll(fd, header) {
            Glibc.close(fd)
            throw .local("cannot write the cast \(path): \(FileContents.reason(code))")
        }
    }

    /// A write of the console (standard output or standard error).
    public func output(_ bytes: [UInt8]) { add(Event(time: .now, bytes: bytes, fromEditor: false)) }

    /// A write of the line editor.
    public func editorOutput(_ bytes: [UInt8]) { add(Event(time: .now, bytes: bytes, fromEditor: true)) }

    /// The editor starts reading a line: its events wait for ``endLine(replacingEditorOutputWith:)``.
    public func beginLine() {
        state.withLock { if $0.held == nil { $0.held = [] } }
    }

    /// The line is read. With `replacement`, the editor's drawing of it is left out and
    /// `replacement` shown instead, where the drawing began.
    public func endLine(replacingEditorOutputWith replacement: String?) {
        state.withLock { state in
            guard var events = state.held else { return }
            state.held = nil
            if let replacement, let first = events.firstIndex(where: \.fromEditor) {
                let time = events[first].time
                events.removeAll(where: \.fromEditor)
                events.insert(Event(time: time, bytes: Array(replacement.utf8), fromEditor: true), at: min(first, events.count))
            }
            for event in events { write(event, &state) }
        }
    }

    /// Hides `secrets` in the events written so far, each occurrence shown as `…`, also where
    /// the keys of one were written one event each (a value typed before it became the token).
    /// Events keep their times; the file is rewritten in place.
    public func scrub(_ secrets: [String]) {
        let hunted = secrets.filter { $0.count >= Secrets.minimumLength }.map { Array($0.unicodeScalars) }
        guard !hunted.isEmpty else { return }
        state.withLock { state in
            guard state.fd >= 0, let data = FileContents.read(path) else { return }
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            if lines.last?.isEmpty == true { lines.removeLast() }
            guard lines.count > 1 else { return }
            // Each event's time as written and its text; the texts are searched as one stream.
            var events: [(time: JSONValue, text: [Unicode.Scalar])] = []
            for line in lines.dropFirst() {
                guard let event = try? JSONParser.parse(line), let items = event.arrayValue, items.count == 3, let text = items[2].stringValue
                else { return }
                events.append((items[0], Array(text.unicodeScalars)))
            }
            let stream = events.flatMap(\.text)
            // The text a viewer reads, by where each character is in the stream: a secret can be
            // split by what the terminal does not show as text (escape sequences, line ends, and
            // the space and the backspace or return a line editor writes where a long line wraps).
            var visible: [Int] = []
            var i = 0
            while i < stream.count {
                switch stream[i] {
                case "\u{1B}":
                    i += 1
                    if i < stream.count, stream[i] == "[" {
                        i += 1
                        while i < stream.count, !(0x40...0x7E).contains(stream[i].value) { i += 1 }
                    }
                    i += 1
                case "\r", "\n", "\u{8}": i += 1
                case " " where i + 1 < stream.count && (stream[i + 1] == "\u{8}" || stream[i + 1] == "\r"): i += 2
                default:
                    visible.append(i)
                    i += 1
                }
            }
            let text = visible.map { stream[$0] }
            var hidden = [Bool](repeating: false, count: stream.count)
            var marks = Set<Int>()
            for secret in hunted where secret.count <= text.count {
                var start = 0
                while start + secret.count <= text.count {
                    if text[start] == secret[0], Array(text[start..<(start + secret.count)]) == secret {
                        // What lies between its first and last character goes too.
                        for p in visible[start]...visible[start + secret.count - 1] { hidden[p] = true }
                        marks.insert(visible[start])
                        start += secret.count
                    } else {
                        start += 1
                    }
                }
            }
            guard !marks.isEmpty else { return }
            var out = lines[0] + [UInt8(ascii: "\n")]
            var offset = 0
            for event in events {
                var text = String.UnicodeScalarView()
                for scalar in event.text {
                    if marks.contains(offset) { text.append("…") }
                    if !hidden[offset] { text.append(scalar) }
                    offset += 1
                }
                out += Array("[".utf8) + JSONWriter.compactBytes(event.time) + Array(", \"o\", ".utf8)
                JSONWriter.writeString(String(text), into: &out)
                out += Array("]\n".utf8)
            }
            if ftruncate(state.fd, 0) != 0 || lseek(state.fd, 0, SEEK_SET) != 0 || FileContents.writeAll(state.fd, out) != nil {
                Glibc.close(state.fd)
                state.fd = -1
            }
        }
    }

    /// Writes what is held and closes the file.
    public func close() {
        endLine(replacingEditorOutputWith: nil)
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
            state.fd = -1
        }
    }

    private func add(_ event: Event) {
        state.withLock { state in
            if state.held != nil {
                state.held!.append(event)
            } else {
                write(event, &state)
            }
        }
    }

    private func write(_ event: Event, _ state: inout State) {
        guard state.fd >= 0 else { return }
        let bytes = (state.carry[event.fromEditor] ?? []) + event.bytes
        let cut = Self.completeUTF8Prefix(bytes)
        state.carry[event.fromEditor] = Array(bytes[cut...])
        guard cut > 0 else { return }
        let since = (event.time - state.last).components
        let gap = max(0, Double(since.seconds) + Double(since.attoseconds) / 1e18)
        state.elapsed += idleLimit > 0 ? min(gap, idleLimit) : gap
        state.last = max(state.last, event.time)
        var line = Array("[\(Self.seconds(state.elapsed)), \"o\", ".utf8)
        JSONWriter.writeString(String(decoding: Self.terminalLineEnds(bytes[..<cut]), as: UTF8.self), into: &line)
        line += Array("]\n".utf8)
        if FileContents.writeAll(state.fd, line) != nil {
            Glibc.close(state.fd)
            state.fd = -1
        }
    }

    /// Line ends as a terminal shows them: its line discipline (`onlcr`) writes every `\n` the
    /// shell writes as `\r\n`, and a player must see the same.
    static func terminalLineEnds(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            if byte == 0x0A { out.append(0x0D) }
            out.append(byte)
        }
        return out
    }

    /// How many leading bytes of `bytes` end on a whole UTF-8 character.
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        var back = 0
        while start > 0, back < 4 {
            start -= 1
            back += 1
            let byte = bytes[start]
            if byte & 0xC0 != 0x80 {
                let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return start + length <= bytes.count ? bytes.count : start
            }
        }
        return bytes.count
    }

    /// Seconds with microseconds, as asciinema writes them.
    static func seconds(_ value: Double) -> String {
        let micros = Int((value * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
