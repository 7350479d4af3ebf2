import DeepSearch

/// One FastAPI/Pydantic v2 validation error, as a 422 `detail` item.
struct ValidationIssue: Sendable {
    var type: String
    var loc: [JSONValue]
    var msg: String
    var input: JSONValue?
    var ctx: JSONObject?

    var json: JSONValue {
        var object: JSONObject = ["type": .string(type), "loc": .array(loc), "msg": .string(msg)]
        object["input"] = input ?? .null
        if let ctx { object["ctx"] = .object(ctx) }
        return .object(object)
    }
}

/// Checks request bodies and query parameters field by field, collecting every problem the way
/// Pydantic does, strictly typed (a number sent as a string is refused).
struct Validator {
    var issues: [ValidationIssue] = []

    mutating func fail(_ type: String, _ loc: [JSONValue], _ msg: String, _ input: JSONValue?, _ ctx: JSONObject? = nil) {
        issues.append(ValidationIssue(type: type, loc: loc, msg: msg, input: input, ctx: ctx))
    }

    mutating func int(_ value: JSONValue, at loc: [JSONValue], min: Int? = nil, max: Int? = nil) -> Int? {
        guard case .number(let text) = value else {
            fail("int_type", loc, "Input should be a valid integer", value)
            return nil
        }
        guard let n = value.intValue else {
            if text.contains(".") || text.contains("e") || text.contains("E"), Double(text) != nil {
                fail("int_from_float", loc, "Input should be a valid integer, got a number with a fractional part", value)
            } else {
                fail("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", value)
            }
            return nil
        }
        return bounded(n, at: loc, min: min, max: max, input: value)
    }

    mutating func queryInt(_ text: String, at loc: [JSONValue], min: Int? = nil) -> Int? {
        guard let n = Int(text) else {
            fail("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", .string(text))
            return nil
        }
        return bounded(n, at: loc, min: min, max: nil, input: .string(text))
    }

    private mutating func bounded(_ n: Int, at loc: [JSONValue], min: Int?, max: Int?, input: JSONValue) -> Int? {
        if let min, n < min {
            fail("greater_than_equal", loc, "Input should be greater than or equal to \(min)", input, ["ge": .int(min)])
            return nil
        }
        if let max, n > max {
            fail("less_than_equal", loc, "Input should be less than or equal to \(max)", input, ["le": .int(max)])
            return nil
        }
        return n
    }

    mutating func bool(_ value: JSONValue, at loc: [JSONValue]) -> Bool? {
        guard case .bool(let b) = value else {
            fail("bool_type", loc, "Input should be a valid boolean", value)
            return nil
        }
        return b
    }

    mutating func string(_ value: JSONValue, at loc: [JSONValue], minLength: Int? = nil, maxLength: Int? = nil) -> String? {
        guard case .string(let s) = value else {
            fail("string_type", loc, "Input should be a valid string", value)
            return nil
        }
        let count = s.unicodeScalars.count
        if let minLength, count < minLength {
            fail(
                "string_too_short", loc, "String should have at least \(minLength) character\(minLength == 1 ? "" : "s")", value,
                ["min_length": .int(minLength)])
            return nil
        }
        if let maxLength, count > maxLength {
            fail(
                "string_too_long", loc, "String should have at most \(maxLength) character\(maxLength == 1 ? "" : "s")", value,
                ["max_length": .int(maxLength)])
            return nil
        }
        return s
    }

    mutating func list(_ value: JSONValue, at loc: [JSONValue], maxItems: Int? = nil) -> [JSONValue]? {
        guard case .array(let items) = value else {
            fail("list_type", loc, "Input should be a valid list", value)
            return nil
        }
        if let maxItems, items.count > maxItems {
            fail(
                "too_long", loc, "List should have at most \(maxItems) items after validation, not \(items.count)", value,
                ["field_type": "List", "max_length": .int(maxItems), "actual_length": .int(items.count)])
            return nil
        }
        return items
    }

    mutating func object(_ value: JSONValue, at loc: [JSONValue]) -> JSONObject? {
        guard case .object(let o) = value else {
            fail("model_attributes_type", loc, "Input should be a valid dictionary or object to extract fields from", value)
            return nil
        }
        return o
    }

    mutating func uuid(_ value: JSONValue, at loc: [JSONValue]) -> String? {
        guard let s = string(value, at: loc) else { return nil }
        guard Validator.isUUID(s) else {
            fail(
                "uuid_parsing", loc,
                "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `\(s.first.map(String.init) ?? "")` at 1",
                value)
            return nil
        }
        return s.lowercased()
    }

    static func isUUID(_ s: String) -> Bool {
        let hex = s.filter { $0 != "-" }
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return false }
        if s.contains("-") {
            let groups = s.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
            return groups == [8, 4, 4, 4, 12]
        }
        return true
    }
}
