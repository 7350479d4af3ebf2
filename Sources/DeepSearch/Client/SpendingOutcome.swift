/// What became of a request that spends credits (`create`, `resume`, a raw `POST`) when it did
/// not succeed, as far as the client can know: the three cases a user must tell apart before
/// trying again, decided from what the transport wrote (``RequestDelivery``), never from the
/// kind of error.
public enum SpendingOutcome: String, Sendable, Hashable {
    /// Nothing of it was written to a connection: nothing was spent, trying again is safe.
    case notSent = "not_sent"
    /// The server answered it (an error status, or a body that could not be read).
    case answered
    /// It was written and no complete answer came (Ctrl-C, a timeout, a dropped connection):
    /// it may have taken effect.
    case sentWithoutAnswer = "sent_without_answer"
}

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
        let what =
            switch operation {
            case .createTask: "create"
            case .resume: "resume"
            case .raw(let method): method
            default: "the request"
            }
        var error = DeepSearchError(
            .interruptedAfterSending, "interrupted after \(what) was sent", advice: checkBeforeTryingAgain(operation))
        error.spending = .sentWithoutAnswer
        return error
    }

    /// What to check before sending `operation` again when it may have taken effect.
    static func checkBeforeTryingAgain(_ operation: DeepSearchClient.Operation) -> String {
        switch operation {
        case .createTask: "the task may have been created: check with tasks before trying again"
        case .resume(let id):
            "the task may have been resumed: status \(DeepSearchClient.short(id).withoutControlCharacters) shows whether the target went up"
        default: "the request may have taken effect: check with tasks or status before trying again"
        }
    }
}
