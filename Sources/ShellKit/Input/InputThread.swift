import LineEditing
import POSIXSupport

/// Carries a line reader to the input thread. Safe: only the input thread reads with it, and the
/// shell waits for each read before it touches the reader again.
final class ReaderBox: @unchecked Sendable {
    let reader: any LineReader
    init(_ reader: any LineReader) { self.reader = reader }
}

/// The one thread that waits for input, for the life of the process: a reader's state is only
/// ever touched by this thread, and a blocking read never occupies a pool thread. Requests are
/// served in order; one made while another waits is queued, never dropped.
final class InputThread: @unchecked Sendable {
    // Safe: `pending` is only read and written with `condition` locked.
    static let shared = InputThread()

    private let condition = ConditionLock()
    private var pending: [@Sendable () -> Void] = []

    private init() {
        BackgroundThread.start(name: "extruct-input") { [self] in run() }
    }

    /// Reads a line with `reader` on the input thread, so neither the main actor nor a thread of
    /// the shared pools is held while the user thinks.
    static func readLine(_ reader: any LineReader, prompt: String) async -> LineReadResult {
        let box = ReaderBox(reader)
        return await shared.perform { box.reader.readLine(prompt: prompt) }
    }

    /// Reads a line on the input thread after the prompt `layout` gives for the terminal's width.
    static func readLine(_ reader: any LineReader, promptFor layout: @escaping @Sendable (Int) -> String) async -> LineReadResult {
        let box = ReaderBox(reader)
        return await shared.perform { box.reader.readLine(promptFor: layout) }
    }

    /// Runs a blocking read of the terminal (`work`) on this thread; returns what it read.
    func perform<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            pending.append { continuation.resume(returning: work()) }
            condition.signal()
            condition.unlock()
        }
    }

    /// How many requests wait for the one being served.
    var queued: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            let work = pending.removeFirst()
            condition.unlock()
            work()
        }
    }
}
