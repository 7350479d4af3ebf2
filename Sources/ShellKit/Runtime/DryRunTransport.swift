import DeepSearch

/// `--dry-run`: prints each request as it would be sent (the token shown as `…`), and whether its
/// endpoint spends credits, and sends nothing.
final class DryRunTransport: HTTPTransport {
    /// What a dry run's `create` makes current instead of the id the API would return: later
    /// requests show it in their paths (the prompt shows `NEW-TASK`).
    static let createdTaskPlaceholder = "NEW-TASK-ID"

    private let console: Console

    init(console: Console) {
        self.console = console
    }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        var lines = ["\(request.method) \(request.url)"]
        for field in request.headers {
            let value = field.name.lowercased() == "authorization" ? "Bearer …" : field.value
            lines.append("  \(field.name): \(value)")
        }
        if let body = request.body, !body.isEmpty {
            let text = (try? JSONParser.parse(body)).map { JSONWriter.pretty($0) } ?? String(decoding: body, as: UTF8.self)
            lines.append(contentsOf: text.split(separator: "\n").map { "  " + $0 })
        }
        if let endpoint = APIEndpoint.matching(method: request.method, path: request.path), endpoint.spendsCredits {
            lines.append("# spends credits: sent once, never retried")
        }
        console.out(lines.joined(separator: "\n"))
        throw DeepSearchError(.notSent, "dry run: \(request.method) \(request.path) not sent")
    }

    func shutdown() async {}
}
