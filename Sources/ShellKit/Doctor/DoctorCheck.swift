import DeepSearch

/// One line of `doctor`: what was checked, what was found, and what to do about it.
public struct DoctorCheck: Sendable, Hashable {
    /// Passed, failed, or not tried (an earlier check failed, or nothing goes on the network).
    public enum Verdict: String, Sendable, Hashable {
        case ok, failed, skipped

        /// ✓, ✗ or –.
        var mark: String {
            switch self {
            case .ok: "✓"
            case .failed: "✗"
            case .skipped: "–"
            }
        }
    }

    /// The step, as JSON names it: `api_url`, `dns`, `proxy`, `tls`, `healthcheck`, `token`, `plan`, `credits`.
    public var name: String
    public var verdict: Verdict
    /// What was found, or why it was not tried.
    public var detail: String
    /// What to do, when there is something to do.
    public var advice: String?

    public init(_ name: String, _ verdict: Verdict, _ detail: String, advice: String? = nil) {
        self.name = name
        self.verdict = verdict
        self.detail = detail.withoutControlCharacters
        self.advice = advice?.withoutControlCharacters
    }

    /// The steps in the order they are checked, with the label each is shown with.
    static let labels: [(name: String, label: String)] = [
        ("api_url", "API URL"), ("dns", "DNS"), ("proxy", "Proxy"), ("tls", "TLS"), ("healthcheck", "Healthcheck"), ("token", "Token"),
        ("plan", "Plan"), ("credits", "Credits"),
    ]

    /// How the step is shown: `API URL`.
    public var label: String { Self.labels.first { $0.name == name }?.label ?? name }

    /// The check as JSON: `{"check": …, "status": "ok|failed|skipped", "detail": …, "advice": …}`.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("check", .string(name)), ("status", .string(verdict.rawValue)), ("detail", .string(detail))]
        if let advice { members.append(("advice", .string(advice))) }
        return .object(JSONObject(members.map { JSONMember($0.0, $0.1) }))
    }
}

/// The `doctor` report for people: a line a check, ✓ ✗ or – and the label, the finding wrapped
/// beside the label and what to do after an arrow; below 60 columns the finding goes under the label.
public enum DoctorReport {
    /// The columns of the mark and the label, with the space after.
    static let labelColumns = 15

    public static func render(_ checks: [DoctorCheck], width: Int, style: Style) -> String {
        let width = max(20, width)
        let beside = width >= 60
        let indent = beside ? labelColumns : 2
        let body = width - indent
        var lines: [String] = []
        for check in checks {
            let mark =
                switch check.verdict {
                case .ok: style.green(check.verdict.mark)
                case .failed: style.red(check.verdict.mark)
                case .skipped: style.dim(check.verdict.mark)
                }
            let head = mark + " " + (check.verdict == .failed ? style.bold(check.label) : check.label)
            var text = TextLayout.wrap(check.detail, to: body)
            if check.verdict == .skipped { text = text.map(style.dim) }
            if let advice = check.advice {
                // The arrow's own column, then the advice wrapped under its first word.
                let wrapped = TextLayout.wrap(advice, to: body - 2)
                text += [style.yellow("→") + " " + wrapped[0]] + wrapped.dropFirst().map { "  " + $0 }
            }
            if beside {
                let gap = String(repeating: " ", count: max(1, labelColumns - 2 - TextLayout.width(check.label)))
                lines.append(head + gap + text[0])
                text.removeFirst()
            } else {
                lines.append(head)
            }
            lines += text.map { String(repeating: " ", count: indent) + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// `{"ok": …, "checks": [ … ]}`.
    public static func json(_ checks: [DoctorCheck]) -> JSONValue {
        .object(["ok": .bool(!checks.contains { $0.verdict == .failed }), "checks": .array(checks.map(\.json))])
    }
}
