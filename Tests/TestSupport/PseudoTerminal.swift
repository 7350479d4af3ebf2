import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The built shell on a real pseudo-terminal: the child is a session leader whose controlling
/// terminal is the pty, so Ctrl-C typed here is a real SIGINT there.
public final class PseudoTerminal: Sendable {
    public let pid: pid_t
    private let master: Int32
    var masterDescriptor: Int32 { master }
    // NSLock-backed boxes rather than Synchronization.Mutex: ThreadSanitizer understands
    // pthread mutexes, so the sanitizer runs stay quiet about this test harness.
    private let output = LockedBox<[UInt8]>([])
    private let finished = LockedBox<Int32?>(nil)
    private let lastSubmit = LockedBox(0)

    /// Starts `executable` with `arguments` on a new pty of `columns` × `rows`.
    public init(
        _ executable: String = Binaries.shell, _ arguments: [String], environment: [String: String], columns: UInt16 = 100, rows: UInt16 = 30
    ) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw POSIXError(.EIO) }
        // ttyname_r, not ttyname: tests start terminals in parallel and ttyname's buffer is shared.
        var name = [CChar](repeating: 0, count: 256)
        guard ttyname_r(slave, &name, name.count) == 0 else { throw POSIXError(.ENOTTY) }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A session leader, so the pty becomes its controlling terminal.
        let spawned: pid_t
        do {
            spawned = try spawnProgram(executable, arguments, environment: environment, newSession: true) { actions in
                posix_spawn_file_actions_addclose(&actions, master)
                posix_spawn_file_actions_addclose(&actions, slave)
                posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
                posix_spawn_file_actions_adddup2(&actions, 0, 1)
                posix_spawn_file_actions_adddup2(&actions, 0, 2)
            }
        } catch {
            close(slave)
            close(master)
            throw error
        }
        close(slave)
        self.pid = spawned
        self.master = master
        let thread = Thread { [self] in self.pump() }
        thread.start()
    }

    private func pump() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n > 0 {
                output.withLock { $0.append(contentsOf: buffer[0..<n]) }
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        finished.withLock { $0 = code }
    }

    /// Everything the program wrote so far, as text.
    public var screen: String { String(decoding: output.withLock { $0 }, as: UTF8.self) }

    /// Everything the program wrote so far, as bytes (for a terminal emulator to render).
    public var bytes: [UInt8] { output.withLock { $0 } }

    /// The number of bytes written so far (to wait for output after a point).
    public var mark: Int { output.withLock { $0.count } }

    /// Text written after `mark`.
    public func text(since mark: Int) -> String {
        String(decoding: output.withLock { Array($0[min(mark, $0.count)...]) }, as: UTF8.self)
    }

    /// Types `text` (UTF-8, control characters as they are).
    public func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until `predicate` holds for the output after `mark`, or fails after `timeout` seconds.
    @discardableResult
    public func wait(for description: String, after mark: Int = 0, timeout: Double = 20, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = self.text(since: mark)
            if predicate(text) { return text }
            if exitStatus != nil, !predicate(self.text(since: mark)) {
                throw PTYTimeout(waitingFor: description, screen: self.text(since: mark) + "\n[exited \(exitStatus!)]")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PTYTimeout(waitingFor: description, screen: self.text(since: mark))
    }

    /// Waits for `needle` in the output after `mark`.
    @discardableResult
    public func wait(for needle: String, after mark: Int = 0, timeout: Double = 20) async throws -> String {
        try await wait(for: "'\(needle)'", after: mark, timeout: timeout) { $0.contains(needle) }
    }

    /// Waits for the prompt and then for the line editor to put the terminal in raw mode: keys
    /// typed before that would land on a cooked terminal.
    public func waitForPrompt(after mark: Int = 0, timeout: Double = 20) async throws {
        try await wait(for: "> ", after: mark, timeout: timeout)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let settings = terminalSettings, settings.c_lflag & tcflag_t(ICANON) == 0 { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw PTYTimeout(waitingFor: "raw mode", screen: text(since: mark))
    }

    /// Waits until one of the program's threads is blocked reading its terminal (a `read` of
    /// descriptor 0, as `/proc` shows it): everything it meant to show before asking for a key is
    /// on the screen, so what is not there yet was not written.
    public func waitUntilReadingKeys(timeout: Double = 20) async throws {
        try await waitUntil("a read of the terminal; the screen showed:\n\(screen.suffix(2000))", timeout: timeout) {
            exitStatus != nil || isReadingTerminal
        }
        if let status = exitStatus { throw PTYTimeout(waitingFor: "a read of the terminal", screen: screen.suffix(2000) + "\n[exited \(status)]") }
    }

    /// Waits for `needle` in the output after `mark`, then until the program reads a key.
    public func waitForKeyRead(showing needle: String, after mark: Int = 0) async throws {
        try await wait(for: needle, after: mark)
        try await waitUntilReadingKeys()
    }

    /// Whether a thread of the program is in `read(0, …)`.
    private var isReadingTerminal: Bool {
        #if arch(x86_64)
        let readCall = "0"
        #else
        let readCall = "63"
        #endif
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.contains { task in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/task/\(task)/syscall") else { return false }
            let fields = String(decoding: data, as: UTF8.self).split(separator: " ")
            return fields.count > 1 && fields[0] == readCall && fields[1] == "0x0"
        }
    }

    /// The pty's current settings (as the program left them).
    public var terminalSettings: termios? {
        var t = termios()
        return tcgetattr(master, &t) == 0 ? t : nil
    }

    /// Types `line` and Enter at the next prompt; returns the mark before Enter.
    @discardableResult
    /// The prompt awaited is one that appears after the previous line was submitted, so a line is
    /// never typed while the one before is still being read.
    public func run(_ line: String, timeout: Double = 20) async throws -> Int {
        try await waitForPrompt(after: lastSubmit.withLock { $0 }, timeout: timeout)
        let m = mark
        type(line + "\r")
        lastSubmit.withLock { $0 = m }
        return m
    }

    /// Sends `signal` to the program.
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// The exit status once it has ended (128 + signal when killed).
    public var exitStatus: Int32? { finished.withLock { $0 } }

    /// Waits for the program to end; returns its status.
    public func waitForExit(timeout: Double = 20) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = exitStatus { return status }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PTYTimeout(waitingFor: "exit", screen: screen)
    }

    /// Kills the program if it is still running.
    public func terminate() {
        if exitStatus == nil { kill(pid, SIGKILL) }
    }

    deinit {
        if exitStatus == nil { kill(pid, SIGKILL) }
        close(master)
    }
}

/// A value behind an `NSLock`.
final class LockedBox<Value>: @unchecked Sendable {
    // Safe: `value` is only touched with `lock` held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// A pty wait that ran out of time, with what the screen showed.
public struct PTYTimeout: Error, CustomStringConvertible {
    public var waitingFor: String
    public var screen: String
    public var description: String { "timed out waiting for \(waitingFor); the screen showed:\n\(screen.suffix(2000))" }
}

/// The `error:` messages in what a terminal showed (escapes already removed), each with the rows
/// it runs on to: on a terminal the shell breaks an error line at spaces, and its rows go on to
/// the next prompt or error. Rows are split at every newline (a `\r\n` is one Character, which
/// splitting at `\n` would miss).
public func errorMessages(inScreen screen: String) -> [String] {
    let rows = screen.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
        $0.trimmingCharacters(in: .whitespaces)
    }
    return rows.indices.filter { rows[$0].contains("error: ") }.map { start in
        ([rows[start]] + rows[(start + 1)...].prefix { !$0.contains("error: ") && !$0.contains("> ") }).joined(separator: " ")
    }
}

/// Output with ANSI escapes removed.
public func strippingEscapes(_ text: String) -> String {
    var out = ""
    var escape = false
    var csi = false
    for scalar in text.unicodeScalars {
        if escape {
            if csi {
                if (0x40...0x7E).contains(scalar.value) {
                    escape = false
                    csi = false
                }
            } else if scalar == "[" {
                csi = true
            } else {
                escape = false
            }
            continue
        }
        if scalar == "\u{1B}" {
            escape = true
            continue
        }
        out.unicodeScalars.append(scalar)
    }
    return out
}

extension PseudoTerminal {
    /// Changes the window size and tells the program (SIGWINCH).
    public func resize(columns: UInt16, rows: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(masterDescriptor, UInt(TIOCSWINSZ), &size)
        kill(pid, SIGWINCH)
    }
}

/// Terminal settings compared with those of a brand-new pty.
public enum TerminalState {
    public static func matchesFreshPTY(_ settings: termios) -> Bool {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { return false }
        defer {
            close(master)
            close(slave)
        }
        var fresh = termios()
        tcgetattr(slave, &fresh)
        return fresh.c_iflag == settings.c_iflag && fresh.c_oflag == settings.c_oflag
            && fresh.c_lflag == settings.c_lflag && fresh.c_cflag == settings.c_cflag
    }
}

/// Display width of text, for checking that tables fit.
public enum TextWidthProbe {
    public static func of(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, s in
            let v = s.value
            if v < 0x20 { return total }
            if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
                || (0xFF00...0xFF60).contains(v)
            {
                return total + 2
            }
            if s.properties.generalCategory == .nonspacingMark { return total }
            return total + 1
        }
    }
}
