import NIOCore

/// A NIO event loop as a Swift task executor: code that prefers it runs on the loop's thread,
/// where AsyncHTTPClient's connections to it live. A request awaited there resumes on the same
/// thread that read its answer, with no wake-up of another one.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
