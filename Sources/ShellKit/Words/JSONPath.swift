import DeepSearch

/// A path into JSON: `results[0].company_name`, `[2].status`, `scores.b2b.grade`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var steps: [Step]

    /// Parses a path; nil when it is not one. The empty path is the root.
    public init?(_ text: String) {
        var steps: [Step] = []
        var s = Substring(text)
        while !s.isEmpty {
            if s.first == "." {
                s.removeFirst()
                guard !s.isEmpty, s.first != ".", s.first != "[" else { return nil }
            }
            if s.first == "[" {
                guard let close = s.firstIndex(of: "]"), let n = Int(s[s.index(after: s.startIndex)..<close]), n >= 0 else { return nil }
                steps.append(.index(n))
                s = s[s.index(after: close)...]
            } else {
                let end = s.firstIndex(where: { $0 == "." || $0 == "[" }) ?? s.endIndex
                let key = String(s[..<end])
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
                steps.append(.key(key))
                s = s[end...]
            }
        }
        self.steps = steps
    }

    public var description: String {
        var out = ""
        for step in steps {
            switch step {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    /// The value at this path in `root`, if there is one.
    public func lookup(in root: JSONValue) -> JSONValue? {
        var current = root
        for step in steps {
            switch step {
            case .key(let k):
                guard let next = current[k] else { return nil }
                current = next
            case .index(let i):
                guard let next = current[i] else { return nil }
                current = next
            }
        }
        return current
    }
}

extension JSONValue {
    /// The value as a shell word: strings bare, `null` as `null`, everything else as compact JSON.
    public var shellText: String {
        switch self {
        case .string(let s): s
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n
        default: JSONWriter.compact(self)
        }
    }
}
