/// A response that is valid JSON but not the shape a field needs.
public struct ResponseShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the document, as a path like `results[3].company_name`.
    public var path: String
    /// What was expected there.
    public var expectation: String

    /// The error at `path`, expecting `expectation`.
    public init(path: String, expectation: String) {
        self.path = path
        self.expectation = expectation
    }

    public var description: String { "\(path): \(expectation)" }
}

/// Reads the fields of one JSON object leniently: nulls and missing optional fields become nil,
/// numbers sent as strings are accepted, unknown fields are ignored.
struct FieldReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, at path: String) throws(ResponseShapeError) {
        guard case .object(let object) = value else {
            throw ResponseShapeError(path: path.isEmpty ? "the response" : path, expectation: "expected an object, got \(value.kindName)")
        }
        self.object = object
        self.path = path
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value of `key`, when present and not null.
    func value(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    func string(_ key: String) -> String? { Self.text(value(key)) }
    func int(_ key: String) -> Int? { Self.integer(value(key)) }
    func bool(_ key: String) -> Bool? { Self.boolean(value(key)) }

    /// The value of `key`, else of `legacy` (an older name of the same field). Two names, not a
    /// list: this runs for every field of every result, and a variadic list is an allocation.
    func value(_ key: String, _ legacy: String) -> JSONValue? { value(key) ?? value(legacy) }

    func string(_ key: String, _ legacy: String) -> String? { Self.text(value(key, legacy)) }

    static func text(_ v: JSONValue?) -> String? {
        guard let v else { return nil }
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    func requiredString(_ key: String) throws(ResponseShapeError) -> String {
        guard let s = string(key) else {
            throw ResponseShapeError(
                path: fieldPath(key),
                expectation: object[key] == nil || object[key]!.isNull ? "missing" : "expected a string, got \(object[key]!.kindName)")
        }
        return s
    }

    func int(_ key: String, _ legacy: String) -> Int? { Self.integer(value(key, legacy)) }

    static func integer(_ v: JSONValue?) -> Int? {
        guard let v else { return nil }
        switch v {
        case .number: return v.intValue
        case .string(let s): return Int(s.trimmingSpaces)
        default: return nil
        }
    }

    func bool(_ key: String, _ legacy: String) -> Bool? { Self.boolean(value(key, legacy)) }

    static func boolean(_ v: JSONValue?) -> Bool? {
        guard let v else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s): return s == "true" ? true : s == "false" ? false : nil
        case .number(let n): return n != "0"
        default: return nil
        }
    }

    func strings(_ key: String) -> [String]? {
        guard let v = value(key), case .array(let a) = v else { return nil }
        return a.compactMap { $0.stringValue }
    }

    func array(_ key: String) -> [JSONValue]? {
        guard let v = value(key), case .array(let a) = v else { return nil }
        return a
    }
}
