import LineEditing
import Testing

@testable import ShellKit

/// What each key does under --step, before a command is typed out and after.
@MainActor
@Suite struct PresenterKeysTests {
    @Test func keysBeforeAndAfterTheCommandIsTypedOut() {
        let decide = Presenter.decision
        #expect(decide(.character(" "), false) == .run, "any other key types it out")
        #expect(decide(.character("x"), false) == .run)
        #expect(decide(.character(" "), true) == nil, "after, only Enter runs it")
        #expect(decide(.enter, true) == .run)
        for typed in [false, true] {
            #expect(decide(.character("s"), typed) == .skip)
            #expect(decide(.character("q"), typed) == .stop)
            #expect(decide(.interrupt, typed) == .stop)
            #expect(decide(.endOfInput, typed) == .stop)
        }
        #expect(decide(.character("i"), false) == .interactive)
        #expect(decide(.character("i"), true) == nil, "the prompt opens only before the command is typed")
        #expect(decide(.other, true) == nil)
    }
}
