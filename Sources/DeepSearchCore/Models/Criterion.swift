/// One test every result is graded against, 1–5.
public struct Criterion: Sendable, Hashable {
    /// The identifier used as the key of each result's `scores` (`^[a-zA-Z][a-zA-Z0-9_]*$`).
    public var key: String
    /// A display name, 1–100 characters.
    public var name: String
    /// The natural-language test, 10–500 characters.
    public var criterion: String

    /// A criterion with these parts.
    public init(key: String, name: String, criterion: String) {
        self.key = key
        self.name = name
        self.criterion = criterion
    }

    /// The criterion as the API writes it.
    public var json: JSONValue {
        .object(["key": .string(key), "name": .string(name), "criterion": .string(criterion)])
    }
}

extension Criterion {
    init(decoding value: JSONValue, at path: String) throws(ResponseShapeError) {
        let fields = try FieldReader(value, at: path)
        key = try fields.requiredString("key")
        name = fields.string("name") ?? key
        criterion = fields.string("criterion") ?? ""
    }
}
