extension DeepSearchError {
    /// The same failure of `operation`, which spends credits, saying what became of it.
    func spending(_ operation: DeepSearchClient.Operation, _ outcome: SpendingOutcome) -> DeepSearchError {
        var copy = self
        copy.spending = outcome
        switch outcome {
        case .notSent: copy.advice = "nothing was sent, so it is safe to try again" + (advice.map { "; " + $0 } ?? "")
        case .sentWithoutAnswer: copy.advice = Self.checkBeforeTryingAgain(operation)
        case .answered: break
        }
        return copy
    }

    /// `operation` was interrupted after it was sent.
    static func interrupted(_ operation: DeepSearchClient.Operation) -> DeepSearchError {
        let what = operation.endpoint?.action ?? operation.method
        var error = DeepSearchError(
            .interruptedAfterSending, "interrupted after \(what) was sent", advice: checkBeforeTryingAgain(operation))
        error.spending = .sentWithoutAnswer
        return error
    }

    /// What to check before sending `operation` again when it may have taken effect.
    static func checkBeforeTryingAgain(_ operation: DeepSearchClient.Operation) -> String {
        guard let advice = operation.endpoint?.whenUnsure else {
            return "the request may have taken effect: check with tasks or status before trying again"
        }
        return advice.replacing("{id}", with: DeepSearchClient.short(operation.taskID ?? "?").withoutControlCharacters)
    }
}
