/// What became of a request that spends credits (`create`, `resume`, a raw `POST`) when it did
/// not succeed, as far as the client can know: the three cases a user must tell apart before
/// trying again, decided from what the transport wrote (the client's `RequestDelivery`), never
/// from the kind of error.
public enum SpendingOutcome: String, Sendable, Hashable {
    /// Nothing of it was written to a connection: nothing was spent, trying again is safe.
    case notSent = "not_sent"
    /// The server answered it (an error status, or a body that could not be read).
    case answered
    /// It was written and no complete answer came (Ctrl-C, a timeout, a dropped connection):
    /// it may have taken effect.
    case sentWithoutAnswer = "sent_without_answer"
}
