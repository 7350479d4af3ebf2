import DeepSearch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// `expect LHS OP RHS`: checks the last response; a script stops with status 3 when it fails.
struct ExpectCommand: ShellCommand {
    static let spec = CommandSpec(
        "expect", synopsis: "expect LHS OP RHS",
        abstract: "Check the last response; in a script a failed check stops it with exit status 3.",
        discussion: """
            LHS is a field of the last response (status, num_results, is_exhausted, results[0].company_name),
            error (the last HTTP status: 200, 400…; 0 when no answer came), or a value such as $last.query.
            OP is ==, !=, <, <=, >, >= (numbers) or ~ (contains; /regex/ for a regular expression).
            """,
        examples: [
            "expect status == done", "expect num_results >= 20", "expect is_exhausted == false", "expect query ~ /freight|logistics/",
        ],
        positionals: 3...3)

    static let operators = ["==", "!=", "<", "<=", ">", ">=", "~"]

    static func run(_ arguments: Arguments, _ context: CommandContext) async throws {
        let lhs = arguments.positionals[0]
        let op = arguments.positionals[1].text
        let rhs = arguments.positionals[2].text
        guard operators.contains(op) else {
            throw CommandFailure.usage("expect: '\(op)' is not an operator; use ==, !=, <, <=, >, >= or ~")
        }
        if context.environment.options.dryRun {
            context.console.out("# would check: \(lhs.text) \(op) \(rhs)")
            return
        }
        let seen: String?
        let what: String
        if lhs.isExpansion || lhs.isQuoted {
            seen = lhs.text
            what = lhs.text
        } else if lhs.text == "error" {
            seen = String(context.session.lastHTTPStatus ?? 0)
            what = "error"
        } else {
            guard let path = JSONPath(lhs.text) else { throw CommandFailure.usage("expect: '\(lhs.text)' is not a field path") }
            guard let last = context.session.lastResponse else {
                throw CommandFailure(.expectation, "expect \(lhs.text) \(op) \(rhs): there is no response yet to check")
            }
            seen = path.lookup(in: last)?.shellText
            what = lhs.text
        }
        guard let seen else {
            throw CommandFailure(.expectation, "expected \(what) \(op) \(rhs), but the last response has no \(what)")
        }
        if try !ExpectCheck.holds(seen, op, rhs) {
            throw CommandFailure(.expectation, "expected \(what) \(op) \(rhs), saw \(TextLayout.safe(String(seen.prefix(200))))")
        }
    }
}

/// The comparison `expect` makes: numbers as numbers, text as text, `~` as contains or `/regex/`.
public enum ExpectCheck {
    /// Whether `seen OP wanted` holds; throws for an operator that needs numbers and got text.
    public static func holds(_ seen: String, _ op: String, _ wanted: String) throws(CommandFailure) -> Bool {
        let a = Double(seen)
        let b = Double(wanted)
        switch op {
        case "==": return a != nil && b != nil ? a == b : seen == wanted
        case "!=": return a != nil && b != nil ? a != b : seen != wanted
        case "~":
            if wanted.count >= 2, wanted.hasPrefix("/"), wanted.hasSuffix("/") {
                let pattern = String(wanted.dropFirst().dropLast())
                do {
                    return try Regex(pattern).firstMatch(in: seen) != nil
                } catch {
                    throw .usage("expect: /\(pattern)/ is not a valid regular expression")
                }
            }
            return seen.contains(wanted)
        default:
            guard let a, let b else {
                throw CommandFailure(.expectation, "expected a number for \(op), saw '\(TextLayout.safe(String(seen.prefix(80))))' \(op) '\(wanted)'")
            }
            switch op {
            case "<": return a < b
            case "<=": return a <= b
            case ">": return a > b
            default: return a >= b
            }
        }
    }
}
