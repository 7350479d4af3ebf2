#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread that runs a closure for the life of the process (the signal monitor,
/// the input reader). Written on pthreads so the shell needs no Foundation `Thread`, whose
/// module brings ICU's 34 MB data table into a static binary.
public enum BackgroundThread {
    /// Starts a detached thread running `body`; `name` says which in a failure.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(box).release()
            fatalError("cannot start the \(name) thread: \(String(cString: strerror(status)))")
        }
        pthread_detach(thread)
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}

/// A mutex with a condition variable, on pthreads (ThreadSanitizer understands them): the
/// waiting side of a hand-off between a thread and async code.
public final class ConditionLock: @unchecked Sendable {
    // Safe: the pthread objects are only used through their own locking calls, and live as long
    // as this object.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// A new, unlocked lock.
    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Takes the lock.
    public func lock() { pthread_mutex_lock(mutex) }

    /// Gives the lock back.
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Waits, with the lock held, until ``signal()``; holds the lock again on return.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes one waiter.
    public func signal() { pthread_cond_signal(condition) }
}
