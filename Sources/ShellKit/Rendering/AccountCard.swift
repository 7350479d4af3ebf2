import DeepSearch

/// The `account` card: who the token belongs to, the organisation, the plan and the credits left.
public enum AccountCard {
    public static func render(_ account: Account, billing: Billing?, width: Int, style: Style) -> String {
        let width = max(30, width)
        let labelWidth = 14
        let body = width - labelWidth - 2
        let indent = String(repeating: " ", count: labelWidth + 2)
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            let wrapped = TextLayout.wrapStyled(value, to: body)
            lines.append("  " + style.dim(TextLayout.pad(label, to: labelWidth - 2)) + "  " + wrapped[0])
            for line in wrapped.dropFirst() { lines.append(indent + line) }
        }

        let user = TextLayout.safe(account.userID)
        let title = account.email.map(TextLayout.safe) ?? user
        // The email is what the card is read for: wrapped, never cut.
        lines += TextLayout.wrap(title, to: width - 1).map(style.bold)
        if account.organizationName != nil || account.organizationSlug != nil {
            var organisation = TextLayout.safe(account.organizationName ?? account.organizationSlug ?? "")
            if let slug = account.organizationSlug, account.organizationName != nil { organisation += " (\(TextLayout.safe(slug)))" }
            if account.organizationIsActive == false { organisation += " · " + style.yellow("inactive") }
            row("Organisation", organisation)
        } else {
            row("Organisation", style.dim("none"))
        }
        let subscription = billing?.subscription
        var plan = subscription?.planTier.map(TextLayout.safe) ?? style.dim("unknown")
        if let status = subscription?.status, !status.isEmpty { plan += " · " + TextLayout.safe(status) }
        if subscription?.requiresSubscription == true { plan += " · " + style.yellow("Deep Search needs a plan") }
        row("Plan", plan)
        if let credits = account.availableCredits {
            // Only none is said to be refused (what the API does below zero is not known).
            switch credits {
            case 0: row("Credits", style.red("none left") + " — create and resume are refused")
            case ..<0: row("Credits", style.red(grouped(credits)))
            default: row("Credits", "\(grouped(credits)) left")
            }
        } else {
            row("Credits", style.dim("not said"))
        }
        if account.email != nil, !user.isEmpty {
            // An id is copied whole: on a row of its own when it does not fit beside its label.
            if TextLayout.width(user) <= body {
                row("User ID", user)
            } else {
                lines.append("  " + style.dim("User ID"))
                lines.append(contentsOf: TextLayout.wrap(user, to: width - 3).map { "  " + $0 })
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `12345` as `12,345`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (number < 0 ? "-" : "") + out
    }
}
