import DeepSearch
import Testing

@testable import ShellKit

/// The `chain` table at the widths people have: nothing wider than the terminal, no status or
/// number cut, the query giving way first.
@Suite struct ChainTableTests {
    static func chain() -> Chain {
        var chain = Chain(goal: 300, recipe: CreateTaskRequest(query: "sustainable clothing manufacturers in Guangzhou", desiredNumResults: 50))
        var first = Chain.Member(id: "6479fae5-0000-4000-8000-000000000001", status: .done)
        first.results = 250
        first.found = (0..<240).map { "a\($0).example" }
        first.duplicates = 10
        var second = Chain.Member(id: "1ba2870a-0000-4000-8000-000000000002", status: .inProgress)
        second.results = 42
        second.found = (0..<42).map { "b\($0).example" }
        chain.tasks = [first, second]
        return chain
    }

    @Test(arguments: [40, 60, 80, 120])
    func everyRowFitsAndKeepsItsStatusAndNumbers(_ width: Int) {
        let text = ChainTable.render(Self.chain(), width: width, style: .plain)
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines { #expect(TextLayout.visibleWidth(line) <= width - 1, "\(width) columns: '\(line)'") }
        let running = lines.first { $0.hasPrefix("2  1ba2870a") }
        #expect(running?.hasSuffix("in_progress") == true, "\(text)")
        #expect(running?.contains(" 42 ") == true, "\(text)")
        #expect(lines.contains { $0.contains("total") && $0.contains("292") && $0.contains("282") }, "\(text)")
        if width >= 80 { #expect(text.contains("RESULTS") && text.contains("QUERY")) }
    }
}
