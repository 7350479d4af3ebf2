import DeepSearch
import Testing

@testable import ShellKit

/// When the notices at the prompt ask about a task, on a clock the test holds.
@Suite struct TaskWatchListTests {
    func task(_ status: TaskStatus, results: Int = 50, of target: Int = 50) -> DiscoveryTask {
        var task = Fixtures.task
        task.status = status
        task.numResults = results
        task.desiredNumResults = target
        return task
    }

    @Test func aRunningTaskIsAskedAboutEveryIntervalAndNeverMoreOftenThan5s() {
        var list = TaskWatchList(interval: .seconds(1))
        #expect(list.interval == .seconds(5), "5 s at the least, whatever poll_interval says")
        list.saw(Fixtures.task.id, status: .inProgress, at: .seconds(100))
        #expect(list.next?.due == .seconds(105))
        // Seen again by a later command: the schedule stands (an idle `echo` does not delay it).
        list.saw(Fixtures.task.id, status: .inProgress, at: .seconds(103))
        #expect(list.next?.due == .seconds(105))
        #expect(list.answered(task(.inProgress), at: .seconds(105)) == nil)
        #expect(list.next?.due == .seconds(110))
        list.interval = .seconds(30)
        #expect(list.answered(task(.inProgress), at: .seconds(110)) == nil)
        #expect(list.next?.due == .seconds(140))
    }

    @Test func anEndIsReportedOnceAndTheTaskIsThenLeftAlone() {
        var list = TaskWatchList(interval: .seconds(5))
        list.saw(Fixtures.task.id, status: .created, at: .seconds(0))
        let ended = list.answered(task(.done), at: .seconds(185))
        #expect(ended?.took == .seconds(185))
        #expect(list.next == nil)
        #expect(list.answered(task(.done), at: .seconds(190)) == nil)
        #expect(TaskWatchList.notice(ended!, style: .plain) == "[3f2a8c1e done · 50 of 50 results · 3 min]")
        var failed = TaskWatchList.Ended(task: task(.failed), took: .seconds(42))
        #expect(TaskWatchList.notice(failed, style: .plain) == "[3f2a8c1e failed · 42 s]")
        failed.task.status = .done
        failed.task.isExhausted = true
        failed.took = .seconds(3900)
        #expect(TaskWatchList.notice(failed, style: .plain) == "[3f2a8c1e done · 50 of 50 results · exhausted · 1 h 5 min]")
    }

    @Test func aTaskSeenEndedByTheUserIsDroppedWithoutANotice() {
        var list = TaskWatchList(interval: .seconds(5))
        list.saw("a", status: .inProgress, at: .zero)
        list.saw("a", status: .done, at: .seconds(2))
        #expect(list.next == nil)
        // is_exhausted alone is no end: only the status decides.
        var exhausted = task(.inProgress)
        exhausted.isExhausted = true
        list.saw(exhausted.id, status: .inProgress, at: .zero)
        #expect(list.answered(exhausted, at: .seconds(5)) == nil)
        #expect(list.next != nil)
    }

    @Test func errorsPauseEveryTaskLongerEachTimeUpTo5Minutes() {
        var list = TaskWatchList(interval: .seconds(5))
        list.saw("a", status: .inProgress, at: .zero)
        list.saw("b", status: .inProgress, at: .seconds(1))
        list.failed("a", at: .seconds(5))
        #expect(list.next?.due == .seconds(15), "b waits too")
        list.failed("b", at: .seconds(15))
        #expect(list.next?.due == .seconds(35))
        for second in 0..<10 { list.failed("a", at: .seconds(100 * second)) }
        #expect(list.next!.due <= .seconds(900 + 300))
        #expect(list.next!.due >= .seconds(900 + 300))
        _ = list.answered(task(.inProgress), at: .seconds(2000))
        #expect(list.failures == 0)
        list.drop("a")
        list.drop("b")
        list.drop(Fixtures.task.id)
        #expect(list.next == nil)
    }
}
