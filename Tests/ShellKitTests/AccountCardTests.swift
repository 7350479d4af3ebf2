import DeepSearch
import POSIXSupport
import Testing

@testable import ShellKit

/// The account card with answers a server may give: a long email, a negative balance, no plan.
@Suite struct AccountCardTests {
    func account(email: String, credits: Int?) -> Account {
        Account(userID: "e2a48463-9408-4f1e-86f8-6679c4ea5440", email: email, availableCredits: credits)
    }

    @Test func aLongEmailIsWrappedWholeAtFortyColumns() {
        let email = "someone.with.a.very.long.name@a-company-with-a-long-domain.example"
        let text = AccountCard.render(account(email: email, credits: 5), billing: nil, width: 40, style: Style(enabled: false))
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows.allSatisfy { TextWidth.of($0) < 40 }, "\(text)")
        #expect(rows.prefix(2).joined() == email, "the email whole: \(text)")
        #expect(text.contains("Plan          unknown"), "no plan answer: \(text)")
    }

    @Test func onlyNoCreditsIsSaidToBeRefused() {
        func credits(_ n: Int) -> String {
            AccountCard.render(account(email: "a@b.example", credits: n), billing: nil, width: 80, style: Style(enabled: false))
        }
        #expect(credits(0).contains("none left — create and resume are refused"))
        #expect(credits(-5).contains("Credits       -5"), "\(credits(-5))")
        #expect(!credits(-5).contains("refused"))
        #expect(credits(1_234_567).contains("1,234,567 left"))
    }
}
