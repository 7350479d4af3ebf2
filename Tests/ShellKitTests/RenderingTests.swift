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

    /// A task at the cap that ran dry: the widest numbers a row shows.
    static var full: DiscoveryTask {
        var task = Fixtures.task
        task.status = .done
        task.isExhausted = true
        (task.desiredNumResults, task.numResults) = (250, 250)
        (task.numResultsDiscovered, task.numResultsEnriched, task.numResultsEvaluated) = (12_480, 9_310, 7_204)
        return task
    }

    @Test(arguments: [40, 60, 80, 120, 200], [false, true])
    func everyViewFitsEveryWidthAndNoNumberIsCut(_ width: Int, _ color: Bool) {
        let style = Style(enabled: color)
        let table = TaskTable.render([Fixtures.task, Self.full], now: Fixtures.now, width: width, style: style)
        Self.expectFits(table, width - 1)
        #expect(TextLayout.strippingEscapes(table).contains("250/250*"), "\(table)")
        #expect(TextLayout.strippingEscapes(table).contains(" 64/100"))
        let card = TaskCard.render(Self.full, now: Fixtures.now, width: width, style: style)
        Self.expectFits(card, width)
        // Wrapped at spaces: the words of the Exhausted row read the same, whatever the width.
        let words = TextLayout.strippingEscapes(card).split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(words.contains("Exhausted yes — no more candidates; resume will be refused Sources"), "\(card)")
        for task in [Fixtures.task, Self.full] {
            let line = TaskCard.progressLine(task, width: width - 1, style: style)
            Self.expectFits(line, width - 1)
            #expect(TextLayout.strippingEscapes(line).contains("\(task.numResults)/\(task.desiredNumResults)"), "\(line)")
            let summary = TaskCard.summary(task, width: width, style: style)
            Self.expectFits(summary, width - 1)
            #expect(TextLayout.strippingEscapes(summary).contains("\(task.numResults)/\(task.desiredNumResults) high-fit"))
            let notice = TaskWatchList.notice(.init(task: task, took: .seconds(7_500)), width: width - 1, style: style)
            Self.expectFits(notice, width - 1)
            #expect(TextLayout.strippingEscapes(notice).contains(task.status == .done ? "250" : "2 h 5 min"), "\(notice)")
        }
        Self.expectFits(TaskCard.resumed(before: Fixtures.task, after: Self.full, width: width, style: style), width - 1)
        Self.expectFits(ResultDetail.render(Fixtures.results[1], rank: 2, criteria: Fixtures.criteria, width: width, style: style), width)
    }

    @Test func theWatchLineGivesUpItsBarThenItsWords() {
        let task = Fixtures.task
        #expect(TaskCard.progressLine(task, width: 120, style: .plain).hasSuffix("high-fit  ████████████▊······· 64%"))
        #expect(TaskCard.progressLine(task, width: 90, style: .plain).hasSuffix("64/100 high-fit  64%"))
        #expect(TaskCard.progressLine(task, width: 70, style: .plain) == "3f2a8c1e in_progress  412 disc › 288 enr › 201 eval › 64/100 fit 64%")
        #expect(TaskCard.progressLine(task, width: 50, style: .plain) == "3f2a8c1e in_progress 412›288›201›64/100 64%")
        #expect(TaskCard.progressLine(task, width: 40, style: .plain) == "3f2a8c1e in_progress 64/100 64%")
        #expect(TaskCard.progressLine(task, width: 25, style: .plain) == "3f2a8c1e 64/100 64%")
    }

    @Test func thePromptKeepsRoomToType() {
        var session = Session(apiURL: "http://x", apiURLOrigin: "", token: nil, tokenOrigin: "")
        let lesson = Prompt.Lesson(label: "2", step: "3/6")
        #expect(Prompt.text(for: session, lesson: lesson, columns: 80, style: .plain, forEditor: false) == "lesson 2 · 3/6 extruct> ")
        session.currentTask = Fixtures.task.id
        session.currentStatus = .inProgress
        #expect(Prompt.text(for: session, columns: 40, style: .plain, forEditor: false) == "3f2a8c1e> ")
        #expect(Prompt.text(for: session, columns: 60, style: .plain, forEditor: false) == "3f2a8c1e [in_progress]> ")
        #expect(Prompt.text(for: session, columns: 80, style: .plain, forEditor: false) == "extruct 3f2a8c1e [in_progress]> ")
        #expect(
            Prompt.text(for: session, lesson: lesson, columns: 80, style: .plain, forEditor: false)
                == "lesson 2 · 3/6 extruct 3f2a8c1e [in_progress]> ")
        #expect(Prompt.text(for: session, lesson: lesson, columns: 60, style: .plain, forEditor: false) == "2·3/6 3f2a8c1e [in_progress]> ")
        #expect(Prompt.text(for: session, lesson: lesson, columns: 40, style: .plain, forEditor: false) == "2·3/6 3f2a8c1e> ")
        #expect(Prompt.text(for: session, lesson: lesson, columns: 120, style: .plain, forEditor: false).hasPrefix("lesson 2 · 3/6 extruct "))
        for columns in [40, 60, 80, 120, 200] {
            let prompt = Prompt.text(for: session, lesson: lesson, columns: columns, style: Style(enabled: true), forEditor: true)
            #expect(TextLayout.visibleWidth(prompt.replacing("\u{1}", with: "")) <= max(columns / 2, columns - 32))
        }
    }

    static func expectFits(_ text: String, _ width: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in text.split(separator: "\n") {
            #expect(TextLayout.visibleWidth(String(line)) <= width, "\(line) is wider than \(width)", sourceLocation: sourceLocation)
        }
    }
}
