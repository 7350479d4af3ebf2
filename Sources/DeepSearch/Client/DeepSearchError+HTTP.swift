import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

extension DeepSearchError {
    /// The error for a non-2xx answer to `request`, worded for `operation`.
    init(response: HTTPResponse, request: HTTPRequest, operation: DeepSearchClient.Operation, tokenOrigin: String) {
        let status = response.status
        let body = try? JSONParser.parse(response.body)
        let detail = body?["detail"]
        let detailText = Self.withoutStatus(Self.text(of: detail) ?? Self.firstLine(of: response.body), status)
        let place = "\(request.method) \(request.target)"
        let statusText = Self.reasonPhrase(status).map { "\(status) \($0)" } ?? "\(status)"
        let taskID = operation.taskID
        let shortID = taskID.map(DeepSearchClient.short) ?? "?"
        let isResume = operation.endpoint?.name == .resume

        switch status {
        case 400 where isResume:
            // Why is told by the task itself (see resumeRefused), not by the words of the detail.
            self.init(.badRequest, "the API refused to resume task \(shortID) (400 Bad Request\(Self.colon(detailText)))", status: status, body: body)
        case 400:
            self.init(.badRequest, "the API refused \(place) (400 Bad Request\(Self.colon(detailText)))", status: status, body: body)
        case 401, 403:
            self.init(
                .unauthorized, "the API refused the token (\(statusText)\(Self.colon(detailText)))",
                advice: "the token came from \(tokenOrigin); check it, or set another with token --prompt", status: status,
                body: body)
        case 402:
            let kind = detail?["error"]?.stringValue ?? "payment_required"
            let message = detail?["message"]?.stringValue.map { ": \($0.withoutControlCharacters)" } ?? ""
            let (what, advice): (String, String) =
                switch kind {
                case "plan_required":
                    (
                        "Deep Search needs a Pro plan (402 plan_required\(message))",
                        "upgrade at https://app.extruct.ai, or ask your organisation for access"
                    )
                case "insufficient_credits":
                    (
                        "not enough credits left (402 insufficient_credits\(message))",
                        "add credits at https://app.extruct.ai, or ask for fewer results"
                    )
                case "payment_failed":
                    ("the last payment failed (402 payment_failed\(message))", "update the payment method at https://app.extruct.ai")
                default: ("the API asked for payment (402 \(kind.withoutControlCharacters)\(message))", "check your plan at https://app.extruct.ai")
                }
            self.init(.paymentRequired, what, advice: advice, status: status, body: body)
        case 404:
            if let taskID {
                self.init(
                    .notFound, "task \(taskID.withoutControlCharacters) not found (404)",
                    advice: "check the id with tasks; tasks of other workspaces are not visible", status: status, body: body)
            } else if let tasks = Self.tasksNamed(by: detailText, request: request) {
                // The answer speaks of a task (one a create excluded, one a raw path names): the
                // id is wrong, not the URL.
                let (what, advice) = Self.unknownTasks(tasks, excluded: operation.endpoint?.subject == .newTask)
                self.init(.notFound, "\(what) (404\(Self.colon(detailText)))", advice: advice, status: status, body: body)
            } else {
                // The API answers 404 only for unknown tasks: anything else came from somewhere else.
                self.init(
                    .notFound, "\(place) not found (404\(Self.colon(detailText)))",
                    advice: "is the API URL \(request.baseURL) right? (--api-url or EXTRUCT_API_URL)", status: status, body: body)
            }
        case 422:
            let issues = Self.validationIssues(detail)
            let list = issues.isEmpty ? detailText : issues.map { "\($0.location): \($0.message)" }.joined(separator: "; ")
            self.init(.validation, "the API rejected \(place) (422\(Self.colon(list)))", status: status, issues: issues, body: body)
        case 429:
            let retryAfter = response.header("Retry-After").flatMap { Int($0.trimmingSpaces) }
            self.init(
                .rateLimited, "rate limited by the API (429\(Self.colon(detailText)))",
                advice: retryAfter.map { "wait \($0) s and try again" }
                    ?? "wait a minute; Extruct uses 429 for quota limits, so check your plan if it persists",
                status: status, retryAfter: retryAfter, body: body)
        case 500...599:
            self.init(
                .server, "the API failed on \(place) (\(statusText)\(Self.colon(detailText)))",
                advice: operation.spends ? Self.checkBeforeTryingAgain(operation) : "try again in a few seconds", status: status, body: body)
        default:
            self.init(.unexpectedStatus, "unexpected answer to \(place) (\(statusText)\(Self.colon(detailText)))", status: status, body: body)
        }
    }

    /// A 400 answer to resuming `task` (as read after it), said for what it is: the task is
    /// exhausted, or at the 250-result cap; else the answer as it came.
    static func resumeRefused(_ answer: DeepSearchError, task: DiscoveryTask) -> DeepSearchError {
        let shortID = DeepSearchClient.short(task.id).withoutControlCharacters
        var error: DeepSearchError
        if task.isExhausted {
            error = DeepSearchError(
                .exhausted, "task \(shortID) is exhausted — no more candidates",
                advice: "create a new task with --exclude-task \(shortID) to continue the search", status: answer.status, body: answer.body)
        } else if task.roomUnderCap == 0 {
            // The API's words say the same as these; they are not repeated.
            error = DeepSearchError(
                .badRequest, "task \(shortID) is at the 250-result cap",
                advice: "create a new task with --exclude-task \(shortID) to find more companies", status: answer.status, body: answer.body)
        } else {
            return answer
        }
        error.spending = answer.spending
        return error
    }

    /// `text` without the status it begins with, which the message says already: a front end's
    /// page titled "400 The plain HTTP request was sent to HTTPS port" gives "The plain HTTP
    /// request…", and one titled "502 Bad Gateway" nothing.
    static func withoutStatus(_ text: String, _ status: Int) -> String {
        let code = String(status)
        guard text.hasPrefix(code) else { return text }
        let rest = text.dropFirst(code.count)
        guard let first = rest.first, first == " " || first == ":" || first == "-" else { return text }
        let words = rest.drop { $0 == " " || $0 == ":" || $0 == "-" }
        if let reason = reasonPhrase(status), words.lowercased() == reason.lowercased() { return "" }
        return String(words)
    }

    /// `": text"`, or nothing for an empty text (an answer without a body).
    static func colon(_ text: String) -> String { text.isEmpty ? "" : ": \(text)" }

    static func validationIssues(_ detail: JSONValue?) -> [ValidationIssue] {
        guard let items = detail?.arrayValue else { return [] }
        return items.compactMap { item in
            guard let msg = item["msg"]?.stringValue else { return nil }
            let location = (item["loc"]?.arrayValue ?? []).map { part -> String in
                if case .number(let n) = part { return n }
                return part.stringValue ?? JSONWriter.compact(part)
            }.joined(separator: " → ")
            return ValidationIssue(location: location.withoutControlCharacters, message: msg.withoutControlCharacters)
        }
    }

    /// A `detail` as text: a string as is, an object's `message`/`error`, anything else as compact JSON.
    static func text(of detail: JSONValue?) -> String? {
        guard let detail else { return nil }
        let text: String
        switch detail {
        case .string(let s): text = s
        case .object(let o): text = o["message"]?.stringValue ?? o["error"]?.stringValue ?? JSONWriter.compact(detail)
        case .null: return nil
        default: text = JSONWriter.compact(detail)
        }
        return String(text.withoutControlCharacters.prefix(300))
    }

    /// The `<title>` of an HTML page, or the first non-empty line of a text body, tags removed.
    static func firstLine(of body: [UInt8]) -> String {
        let head = Array(body.prefix(64 * 1024))
        // ASCII case folding keeps every byte where it was, so positions found in the folded
        // copy hold in the original.
        let folded = head.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if let open = ByteSearch.firstIndex(of: Array("<title>".utf8), in: folded),
            let close = ByteSearch.firstIndex(of: Array("</title>".utf8), in: folded, from: open + 7)
        {
            return String(String(decoding: head[(open + 7)..<close], as: UTF8.self).withoutControlCharacters.trimmingSpaces.prefix(200))
        }
        let text = String(decoding: head, as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var stripped = ""
            var inTag = false
            for c in line {
                if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { stripped.append(c) }
            }
            let trimmed = stripped.withoutControlCharacters.trimmingSpaces
            if !trimmed.isEmpty { return String(trimmed.prefix(200)) }
        }
        return ""
    }

    static func reasonPhrase(_ status: Int) -> String? {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: nil
        }
    }
}
