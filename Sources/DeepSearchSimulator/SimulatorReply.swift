import DeepSearchCore

/// One answer of the simulator, before it becomes a Hummingbird response.
struct SimulatorReply: Sendable {
    var status: Int
    var body: [UInt8]
    var contentType = "application/json"
    var headers: [(String, String)] = []
    /// For the `huge_body` fault: `{"padding": "xxx…"}` with this many x, sent as it is made,
    /// after a head that gives its length (`body` is then unused).
    var padding: Int?

    /// A JSON answer.
    static func json(_ status: Int, _ value: JSONValue) -> SimulatorReply {
        SimulatorReply(status: status, body: JSONWriter.compactBytes(value))
    }

    /// FastAPI's `HTTPException` body: `{"detail": "..."}`.
    static func detail(_ status: Int, _ message: String) -> SimulatorReply {
        json(status, .object(["detail": .string(message)]))
    }

    /// A 422 with Pydantic-shaped issues.
    static func validation(_ issues: [ValidationIssue]) -> SimulatorReply {
        json(422, .object(["detail": .array(issues.map(\.json))]))
    }
}
