import DeepSearch

extension DeepSearchError {
    /// A 422 in the user's words: each field of the request the API refused is named as the flag
    /// or argument it came from (`create --results: Input should be less than or equal to 250`),
    /// each once, rather than as the API's field (`body → desired_num_results`).
    func naming(fieldsOf spec: CommandSpec) -> DeepSearchError {
        guard code == .validation, !issues.isEmpty else { return self }
        var said: [String] = []
        for issue in issues {
            let fields = issue.location.split(separator: "→").map { String($0).trimmingSpaces }
            let shown = fields.lazy.compactMap { spec.shown(apiField: $0) }.first ?? issue.location
            let text = "\(shown): \(issue.message)"
            if !said.contains(text) { said.append(text) }
        }
        var copy = self
        copy.message = "the API refused " + said.joined(separator: "; ") + " (422)"
        return copy
    }
}
