import DeepSearchCore

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
        switch Self.parseUUID(s) {
        case .success(let id):
            return id
        case .failure(let problem):
            fail("uuid_parsing", loc, "Input should be a valid UUID, \(problem.text)", value, ["error": .string(problem.text)])
            return nil
        }
    }

    /// Why a string is not a UUID, in the words of the Rust `uuid` crate that Pydantic's UUID
    /// type parses with (so the API's 422 reads the same): a character, the length of a simple
    /// UUID, the count of groups, or the length of one.
    struct UUIDProblem: Error, Equatable {
        var text: String
    }

    /// `s` as a lower-case hyphenated UUID: 32 hex digits, hyphenated 8-4-4-4-12, in braces or
    /// after `urn:uuid:`, as Pydantic accepts; else the problem.
    static func parseUUID(_ s: String) -> Result<String, UUIDProblem> {
        let bytes = Array(s.utf8)
        func hex(_ b: ArraySlice<UInt8>) -> Bool { b.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) } }
        func hyphenated(_ b: ArraySlice<UInt8>) -> [UInt8]? {
            let b = Array(b)
            guard b.count == 36, [8, 13, 18, 23].allSatisfy({ b[$0] == UInt8(ascii: "-") }) else { return nil }
            let digits = b.enumerated().filter { ![8, 13, 18, 23].contains($0.offset) }.map(\.element)
            return hex(digits[...]) ? digits : nil
        }
        var digits: [UInt8]?
        switch bytes.count {
        case 32: digits = hex(bytes[...]) ? bytes : nil
        case 36: digits = hyphenated(bytes[...])
        case 38 where bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}"): digits = hyphenated(bytes.dropFirst().dropLast())
        case 45 where s.hasPrefix("urn:uuid:"): digits = hyphenated(bytes.dropFirst(9))
        default: digits = nil
        }
        if let digits {
            let text = String(decoding: digits, as: UTF8.self).lowercased()
            let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { Array(text.utf8)[$0] }
            return .success(groups.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "-"))
        }
        return .failure(uuidProblem(s))
    }

    /// The crate's diagnosis of a string that did not parse (`InvalidUuid::into_err`).
    private static func uuidProblem(_ s: String) -> UUIDProblem {
        var body = Substring(s)
        var offset = 0
        var simple = true
        if s.utf8.count >= 2, s.hasPrefix("{"), s.hasSuffix("}") {
            body = s.dropFirst().dropLast()
            offset = 1
            simple = false
        } else if s.hasPrefix("urn:uuid:") {
            body = s.dropFirst(9)
            offset = 9
            simple = false
        }
        var hyphens = 0
        var bounds = [0, 0, 0, 0]
        var index = 0
        for scalar in body.unicodeScalars {
            if scalar == "-" {
                if hyphens < 4 { bounds[hyphens] = index }
                hyphens += 1
            } else if !scalar.isASCII || !Character(scalar).isHexDigit {
                return UUIDProblem(
                    text:
                        "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `\(Character(scalar))` at \(index + offset + 1)"
                )
            }
            index += String(scalar).utf8.count
        }
        if hyphens == 0, simple {
            return UUIDProblem(text: "invalid length: expected length 32 for simple format, found \(s.utf8.count)")
        }
        if hyphens != 4 {
            return UUIDProblem(text: "invalid group count: expected 5, found \(hyphens + 1)")
        }
        let starts = [0, 9, 14, 19, 24]
        let lengths = [8, 4, 4, 4, 12]
        for group in 0..<4 where bounds[group] != starts[group + 1] - 1 {
            return UUIDProblem(text: "invalid group length in group \(group): expected \(lengths[group]), found \(bounds[group] - starts[group])")
        }
        return UUIDProblem(text: "invalid group length in group 4: expected 12, found \(s.utf8.count - starts[4])")
    }
}
