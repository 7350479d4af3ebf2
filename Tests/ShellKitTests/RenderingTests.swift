import DeepSearch
import Foundation
import LineEditing
import Testing

@testable import ShellKit

/// Renderers are pure: fixed data, width and colour give fixed text (golden files).
@Suite struct RenderingTests {
    static let variants: [(width: Int, color: Bool)] = [(80, false), (120, false), (80, true), (120, true)]

    @Test(arguments: variants.indices)
    func statusCard(_ i: Int) {
        let (width, color) = Self.variants[i]
        let text = TaskCard.render(Fixtures.task, now: Fixtures.now, width: width, style: Style(enabled: color))
        expectGolden(text, "status-\(width)\(color ? "-color" : "")")
        if !color { Self.expectFits(text, width) }
    }

    @Test(arguments: variants.indices)
    func resultsTable(_ i: Int) {
        let (width, color) = Self.variants[i]
        let text = ResultsTable.render(Fixtures.results, criteria: Fixtures.criteria, firstRank: 1, width: width, style: Style(enabled: color))
        expectGolden(text, "results-\(width)\(color ? "-color" : "")")
        if !color { Self.expectFits(text, width) }
    }

    @Test(arguments: [40, 60, 80, 100, 120, 200])
    func theResultsTableFitsEveryWidth(_ width: Int) {
        let text = ResultsTable.render(Fixtures.results, criteria: Fixtures.criteria, firstRank: 41, width: width, style: .plain)
        Self.expectFits(text, width)
        #expect(text.contains("41"))
    }

    @Test func resultDetailAndTaskTable() {
        expectGolden(ResultDetail.render(Fixtures.results[2], rank: 3, criteria: Fixtures.criteria, width: 80, style: .plain), "show-80")
        var done = Fixtures.task
        done.status = .done
        done.isExhausted = true
        expectGolden(TaskTable.render([Fixtures.task, done], now: Fixtures.now, width: 80, style: .plain), "tasks-80")
        expectGolden(TaskCard.progressLine(Fixtures.task, width: 120, style: .plain), "watch-120")
        var after = Fixtures.task
        after.desiredNumResults = 125
        expectGolden(TaskCard.resumed(before: Fixtures.task, after: after, style: .plain), "resume")
    }

    @Test func escapesFromTheAPINeverReachTheTerminal() {
        for text in [
            ResultsTable.render(Fixtures.results, criteria: Fixtures.criteria, firstRank: 1, width: 120, style: .plain),
            ResultDetail.render(Fixtures.results[3], rank: 4, criteria: Fixtures.criteria, width: 80, style: .plain),
        ] {
            #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
            #expect(text.contains("?Evil? Corp?"), "one mark per escape sequence, the words around them kept")
        }
    }

    @Test func colourIsOnlyWhereAskedFor() {
        let plain = TaskCard.render(Fixtures.task, now: Fixtures.now, width: 80, style: .plain)
        let colored = TaskCard.render(Fixtures.task, now: Fixtures.now, width: 80, style: Style(enabled: true))
        #expect(!plain.contains("\u{1B}["))
        #expect(colored.contains("\u{1B}[33min_progress\u{1B}[0m"))
    }

    @Test func layoutMeasuresWideAndCombiningCharacters() {
        #expect(TextLayout.width("日本") == 4)
        #expect(TextLayout.width("Cafe\u{301}") == 4)
        #expect(TextLayout.truncate("日本語のテキスト", to: 7) == "日本語…")
        #expect(TextLayout.width(TextLayout.pad("光電子", to: 9)) == 9)
        #expect(TextLayout.truncate("Cafe\u{301} au lait", to: 5) == "Cafe\u{301}…")
        #expect(TextLayout.bar(0.5, width: 4) == "██··")
        #expect(TextLayout.bar(1, width: 3) == "███")
        #expect(TextLayout.wrap("one two three four", to: 9) == ["one two", "three", "four"])
    }

    @Test func relativeTimes() {
        let now = Fixtures.now
        #expect(RelativeTime.describe(now.addingTimeInterval(-5), now: now) == "just now")
        #expect(RelativeTime.describe(now.addingTimeInterval(-14 * 60), now: now) == "14 min ago")
        #expect(RelativeTime.describe(now.addingTimeInterval(-3 * 3600), now: now) == "3 h ago")
        #expect(RelativeTime.describe(now.addingTimeInterval(-40 * 86400), now: now) == "2026-10-20")
        #expect(RelativeTime.describe(nil, now: now) == "unknown")
    }

    static func expectFits(_ text: String, _ width: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in text.split(separator: "\n") {
            #expect(TextWidth.of(String(line)) <= width, "\(line) is wider than \(width)", sourceLocation: sourceLocation)
        }
    }
}
