import Foundation

/// A task executor with one thread of its own, for code that blocks its thread on purpose (a
/// test's own blocking reads): run under `withTaskExecutorPreference`, it blocks this thread and leaves
/// the concurrency pool to the in-process simulator it talks to.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    // Safe: `jobs` and `stopping` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// Starts the thread.
    public init(name: String = "test-executor") {
        let thread = Thread { self.drain() }  // the thread keeps the executor until it ends
        thread.name = name
        thread.start()
    }

    /// Queues `job` for the thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs enqueued so far have run.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func drain() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// Runs `body` with this thread preferred for its nonisolated code, on a fresh executor that
    /// stops afterwards.
    public static func run<T>(_ body: () async throws -> T) async rethrows -> T {
        let executor = ThreadExecutor()
        defer { executor.stop() }
        return try await withTaskExecutorPreference(executor) { try await body() }
    }
}
