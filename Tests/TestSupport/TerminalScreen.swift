import Foundation
import Synchronization

/// What a person would see: the bytes a program wrote to its terminal, played through pyte (a
/// VT100/xterm emulator no one here wrote) on a screen of the same size. Rows that scrolled off
/// the top are kept, so a whole session can be read.
public struct TerminalScreen: Sendable {
    /// Every row, the scrolled-off ones first, trailing spaces dropped.
    public let rows: [String]
    /// The rows the program ran past the right margin of: each is a line the terminal had to
    /// wrap (a fragment of it starts the next row). A layout that fits has none.
    public let wrappedRows: [String]
    public let columns: Int

    /// `bytes` (as written to the terminal) on a `columns` × `rows` screen; `resizes` changes the
    /// width after so many bytes, as a window made narrower or wider does.
    public static func render(
        _ bytes: [UInt8], columns: Int, rows: Int = 30, resizes: [(after: Int, columns: Int)] = []
    ) async throws -> TerminalScreen {
        let python = try await TerminalEmulator.python()
        let points = resizes.map { "\($0.after):\($0.columns)" }
        // One emulator at a time: pyte takes about half a second of CPU a session, and tests
        // that render together would crowd out the tests that measure time on a two-core machine.
        await TerminalEmulator.turns.take()
        let run: ProcessResult
        do {
            run = try await runProcess(
                python, ["-c", TerminalEmulator.program, String(columns), String(rows)] + points, input: bytes,
                environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], timeout: 120)
        } catch {
            await TerminalEmulator.turns.give()
            throw error
        }
        await TerminalEmulator.turns.give()
        guard run.status == 0, let data = run.stdout.data(using: .utf8),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let lines = object["rows"] as? [String], let wrapped = object["wrapped"] as? [String]
        else {
            throw TerminalEmulator.Failure(message: "pyte could not render the screen (status \(run.status)): \(run.stderr.suffix(2000))")
        }
        return TerminalScreen(rows: lines, wrappedRows: wrapped, columns: resizes.last?.columns ?? columns)
    }

    /// The rows as one text, for messages.
    public var text: String { rows.joined(separator: "\n") }

    /// Rows that contain `needle`.
    public func rows(containing needle: String) -> [String] { rows.filter { $0.contains(needle) } }
}

/// Finds (or makes) a Python with pyte: `$EXTRUCT_TEST_PYTHON`, else the package's `.venv`, into
/// which pyte is installed from PyPI on first use (scripts/test installs it there beforehand).
public enum TerminalEmulator {
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The pyte release the screen tests are written against.
    public static let pyteVersion = "0.8.2"

    private static let found = PythonBox()
    /// Renders take turns.
    static let turns = Turns()

    public static func python() async throws -> String {
        try await found.python()
    }

    /// Reads the bytes on standard input, writes `{"rows": [...], "wrapped": [...]}`.
    static let program = #"""
        import json, sys
        import pyte
        from pyte import modes
        from wcwidth import wcwidth

        columns, lines = int(sys.argv[1]), int(sys.argv[2])

        class Screen(pyte.HistoryScreen):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.wrapped = []

            def row_text(self, line):
                return "".join(line[x].data for x in range(self.columns)).rstrip()

            def draw(self, data):
                for char in data.translate(self.g1_charset if self.charset else self.g0_charset):
                    width = wcwidth(char)
                    if modes.DECAWM in self.mode and width > 0 and (
                        self.cursor.x == self.columns or self.cursor.x + width > self.columns
                    ):
                        self.wrapped.append(self.row_text(self.buffer[self.cursor.y]))
                        if self.cursor.x < self.columns:
                            # A wide character that does not fit goes to the next row, as xterm does.
                            self.carriage_return()
                            self.linefeed()
                    super().draw(char)

        screen = Screen(columns, lines, history=100000, ratio=0.001)
        stream = pyte.ByteStream(screen)
        data = sys.stdin.buffer.read()
        done = 0
        for point in sys.argv[3:]:
            offset, width = (int(part) for part in point.split(":"))
            stream.feed(data[done:offset])
            done = offset
            screen.resize(lines, width)
        stream.feed(data[done:])
        rows = [screen.row_text(line) for line in screen.history.top]
        rows += [screen.row_text(screen.buffer[y]) for y in range(screen.lines)]
        while rows and rows[-1] == "":
            rows.pop()
        json.dump({"rows": rows, "wrapped": screen.wrapped}, sys.stdout)
        """#
}

/// One at a time, in the order asked.
actor Turns {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func take() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func give() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

/// Looks for the Python once per test process; installs pyte into `.venv` if it must.
///
/// One lookup runs at a time, in a task of its own that every caller awaits: the lookup waits on
/// processes, so an actor running it directly would let a second caller in meanwhile, and a
/// second `flock` on the lock file from this process would wait forever for the first (and hold
/// a thread of the concurrency pool while it waits). A caller cancelled meanwhile stops waiting;
/// the lookup goes on for the others.
private final class PythonBox: Sendable {
    private let lookup = Mutex<Task<String, any Error>?>(nil)

    func python() async throws -> String {
        let task = lookup.withLock { lookup in
            if let task = lookup { return task }
            let task = Task.detached { try await Self.find() }
            lookup = task
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failed lookup is tried again by the next caller (the failure may have been the
            // machine's, not the venv's).
            lookup.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    private static func find() async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let venv = Binaries.packageRoot + "/.venv"
        var candidates = [venv + "/bin/python3"]
        if let given = environment["EXTRUCT_TEST_PYTHON"], !given.isEmpty { candidates.insert(given, at: 0) }
        for candidate in candidates where try await hasPyte(candidate) { return candidate }
        // Not there yet: make the virtualenv scripts/test makes, with pyte in it (one test process
        // at a time: a lock file beside it, waited for without holding a thread).
        let lock = open(Binaries.packageRoot + "/.venv.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 {
            try await waitUntil("another test process installed pyte into .venv", timeout: 900) { flock(lock, LOCK_EX | LOCK_NB) == 0 }
        }
        let python = venv + "/bin/python3"
        if try await !hasPyte(python) {
            let env = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
            if !FileManager.default.fileExists(atPath: python) {
                let made = try await runProcess("/usr/bin/python3", ["-m", "venv", venv], environment: env, timeout: 300)
                guard made.status == 0 else { throw TerminalEmulator.Failure(message: "python3 -m venv .venv failed: \(made.stderr)") }
            }
            let installed = try await runProcess(
                python, ["-m", "pip", "install", "-q", "pyte==\(TerminalEmulator.pyteVersion)"], environment: env, timeout: 600)
            guard installed.status == 0, try await hasPyte(python) else {
                throw TerminalEmulator.Failure(
                    message: "the screen tests read the terminal through pyte, and it could not be installed into .venv: \(installed.stderr)")
            }
        }
        return python
    }

    private static func hasPyte(_ python: String) async throws -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let probe = try await runProcess(
            python,
            ["-c", "import sys, importlib.metadata as m; sys.exit(0 if m.version('pyte') == '\(TerminalEmulator.pyteVersion)' else 1)"],
            environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
        return probe.status == 0
    }
}
