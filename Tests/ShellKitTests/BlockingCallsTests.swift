import Foundation
import POSIXSupport
import Synchronization
import TestSupport
import Testing

@testable import LineEditing
@testable import ShellKit

#if canImport(Glibc)
import Glibc
#endif

/// The loops that wait on the system wait (in `poll`, on a condition) instead of spinning, and
/// lose nothing handed to them; files that must be private are not put in place when they
/// cannot be made so.
@Suite struct BlockingCallsTests {
    /// The signal pipe closed or unusable ends the signal thread's loop instead of spinning it.
    @Test(arguments: ["closed write end", "invalid descriptor"])
    func theSignalLoopEndsOnAPipeThatCannotBeRead(_ how: String) async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let delivered = Mutex<[Int32]>([])
        let ended = Atomic<Bool>(false)
        var signalByte: UInt8 = 15
        _ = write(fds[1], &signalByte, 1)
        close(fds[1])
        // A number no descriptor can have (closing one would let another test reuse its number).
        let fd = how == "invalid descriptor" ? Int32(getdtablesize()) + 1000 : fds[0]
        if how == "invalid descriptor" { close(fds[0]) }
        BackgroundThread.start(name: "test-signal-pump") {
            SignalMonitor.pump(fd) { signal in delivered.withLock { $0.append(signal) } }
            ended.store(true, ordering: .releasing)
        }
        try await waitUntil("the loop ended", timeout: 10) { ended.load(ordering: .acquiring) }
        if how == "closed write end" {
            #expect(delivered.withLock { $0 } == [15], "what was in the pipe was delivered first")
            close(fd)
        }
    }

    /// A full non-blocking descriptor (a terminal shared with a program that set O_NONBLOCK) is
    /// waited for in `poll`: the writing thread uses no CPU while it waits, and every byte arrives.
    @Test func writingToAFullNonBlockingPipeWaitsWithoutSpinning() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        let (reader, writer) = (fds[0], fds[1])
        let capacity = Int(fcntl(writer, 1032))  // F_GETPIPE_SZ
        let bytes = (0..<(capacity * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let thread = Atomic<Int32>(-1)
        let result = Mutex<Int32??>(nil)
        BackgroundThread.start(name: "test-writer") {
            // This thread's id, from the link /proc/thread-self (`PID/task/TID`).
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
            thread.store(Int32(link.split(separator: "/").last ?? "") ?? 0, ordering: .releasing)
            let outcome = FileContents.writeAll(writer, bytes)
            result.withLock { $0 = .some(outcome) }
            close(writer)
        }
        func queued() -> Int32 {
            var count: Int32 = 0
            _ = ioctl(reader, UInt(FIONREAD), &count)
            return count
        }
        try await waitUntil("the pipe is full (\(queued()) of \(capacity))") { thread.load(ordering: .acquiring) >= 0 && Int(queued()) >= capacity }
        /// The writing thread's user and system time so far, in seconds (from /proc, in clock ticks).
        func cpu() -> Double {
            let stat = (try? String(contentsOfFile: "/proc/self/task/\(thread.load(ordering: .acquiring))/stat", encoding: .utf8)) ?? ""
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .infinity }
            return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
        }
        let before = cpu()
        // A window of time to measure the writer's CPU in, not a wait for a state.
        try await Task.sleep(for: .milliseconds(300))
        let used = cpu() - before
        #expect(used < 0.05, "the writer used \(used) s of CPU in 0.3 s while the pipe was full")
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        #expect(result.withLock { $0 } == .some(nil))
        #expect(received == bytes)
    }

    /// Two reads asked for while the input thread is busy are both served, in order.
    @Test func theInputThreadQueuesWhatItIsAskedWhileBusy() async throws {
        final class Flags: Sendable {
            let release = DispatchSemaphore(value: 0)
            let started = Atomic<Bool>(false)
            let answers = Mutex<[Int]>([])
            func ask(_ value: Int, holding: Bool = false) async {
                let n = await InputThread.shared.perform { [self] in
                    started.store(true, ordering: .releasing)
                    if holding { release.wait() }
                    return value
                }
                answers.withLock { $0.append(n) }
            }
        }
        let flags = Flags()
        let first = Task { await flags.ask(1, holding: true) }
        try await waitUntil("the first request runs") { flags.started.load(ordering: .acquiring) }
        let second = Task { await flags.ask(2) }
        try await waitUntil("the second request waits") { InputThread.shared.queued == 1 }
        let third = Task { await flags.ask(3) }
        try await waitUntil("the third request waits") { InputThread.shared.queued == 2 }
        flags.release.signal()
        try await waitUntil("every request was answered", timeout: 10) { flags.answers.withLock { $0.count == 3 } }
        #expect(flags.answers.withLock { $0 } == [1, 2, 3])
        _ = (await first.value, await second.value, await third.value)
    }

    /// A file that cannot be given its mode or flushed is not put in place, and nothing is left.
    @Test(arguments: ["mode", "flush"])
    func anAtomicFileThatCannotBeMadePrivateIsNotWritten(_ failing: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var calls = AtomicFile.Calls()
        if failing == "mode" {
            calls.changeMode = { _, _ in
                errno = EPERM
                return -1
            }
        } else {
            calls.flush = { _ in
                errno = EIO
                return -1
            }
        }
        #expect(throws: CommandFailure.self) {
            try AtomicFile.write(Array("token = \"x\"".utf8), to: directory.file("config.toml"), mode: 0o600, calls: calls)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
