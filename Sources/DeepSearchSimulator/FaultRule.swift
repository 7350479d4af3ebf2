import DeepSearchCore

/// A fault the simulator injects into matching API requests (never into `/_sim/` control requests).
///
/// From the command line as a spec, `KIND[=VALUE][,KEY=VALUE…]`:
/// `503`, `500,count=2`, `html`, `latency=1500,path=/results`, `429,retry_after=2`, `rate_limit`,
/// `402`, `payment_required=insufficient_credits`, `reset,method=POST`, `truncated`,
/// `invalid_json`, `empty_body`, `huge_body=6000000`, `hostile=huge` (see ``HostileData``); keys
/// `method`, `path` (a substring),
/// `count` (then it is gone), `skip` (let that many matching requests through first).
/// From the control endpoint as JSON with the same names, or `{"spec": "…"}`.
public struct FaultRule: Sendable, Hashable, CustomStringConvertible {
    /// What goes wrong.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The answer comes late (then normally).
        case latency
        /// A JSON error status: 500, 502, 503 or 504.
        case status
        /// A 502 whose body is an HTML page, as a proxy sends.
        case html
        /// 429, with `Retry-After` when `retryAfter` is set.
        case rateLimit = "rate_limit"
        /// 402 with `detail.error`.
        case paymentRequired = "payment_required"
        /// The connection is reset (TCP RST) before any answer.
        case reset
        /// A 200 whose JSON body is cut in half.
        case truncated
        /// A 200 whose body is not JSON.
        case invalidJSON = "invalid_json"
        /// A 200 with an empty body.
        case emptyBody = "empty_body"
        /// A 200 with a JSON body of several MiB that is not the expected shape.
        case hugeBody = "huge_body"
        /// The answer with absurd but well-formed data in it (``HostileData``).
        case hostile
    }

    public var kind: Kind
    /// For `.status` and `.html`.
    public var status: Int?
    /// For `.latency`.
    public var milliseconds: Int?
    /// For `.rateLimit`.
    public var retryAfter: Int?
    /// For `.paymentRequired`: `plan_required`, `insufficient_credits`, `payment_failed`.
    public var error: String?
    /// For `.hugeBody`.
    public var bytes: Int?
    /// For `.hostile`.
    public var data: HostileData?
    /// Only requests with this method.
    public var method: String?
    /// Only requests whose path contains this.
    public var path: String?
    /// How many requests it hits before it is gone; nil until cleared.
    public var count: Int?
    /// Matching requests let through before it starts.
    public var skip: Int

    /// A rule of `kind` with its parameters.
    public init(
        _ kind: Kind, status: Int? = nil, milliseconds: Int? = nil, retryAfter: Int? = nil, error: String? = nil,
        bytes: Int? = nil, data: HostileData? = nil, method: String? = nil, path: String? = nil, count: Int? = nil, skip: Int = 0
    ) {
        self.kind = kind
        self.status = status
        self.milliseconds = milliseconds
        self.retryAfter = retryAfter
        self.error = error
        self.bytes = bytes
        self.data = data
        self.method = method?.uppercased()
        self.path = path
        self.count = count
        self.skip = skip
    }

    /// A problem with a fault spec.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads a spec such as `503,count=2` or `latency=1500,path=/results`.
    public init(spec: String) throws(ParseError) {
        let items = spec.split(separator: ",").map { $0.trimmingSpacesAndNewlines }
        guard let head = items.first, !head.isEmpty else { throw ParseError(description: "empty fault spec") }
        let (name, value) = FaultRule.split(head)
        func number(_ text: String?, _ what: String) throws(ParseError) -> Int? {
            guard let text else { return nil }
            guard let n = Int(text), n >= 0 else { throw ParseError(description: "\(what) must be a whole number, not '\(text)'") }
            return n
        }
        switch name {
        case "500", "502", "503", "504": self.init(.status, status: Int(name))
        case "status": self.init(.status, status: try number(value, "status") ?? 500)
        case "html": self.init(.html, status: try number(value, "status") ?? 502)
        case "latency", "delay": self.init(.latency, milliseconds: try number(value, "latency") ?? 1000)
        case "429", "rate_limit": self.init(.rateLimit, retryAfter: try number(value, "retry_after"))
        case "402", "payment_required": self.init(.paymentRequired, error: value ?? "plan_required")
        case "reset": self.init(.reset)
        case "truncated": self.init(.truncated)
        case "invalid_json": self.init(.invalidJSON)
        case "empty_body", "empty": self.init(.emptyBody)
        case "huge_body", "huge": self.init(.hugeBody, bytes: try number(value, "huge_body") ?? 4 << 20)
        case "hostile": self.init(.hostile, data: try FaultRule.hostile(value ?? "huge"))
        default:
            throw ParseError(
                description:
                    "unknown fault '\(name)'; use latency, 500, 502, 503, 504, html, 429, 402, reset, truncated, invalid_json, empty_body, huge_body or hostile"
            )
        }
        for item in items.dropFirst() {
            let (key, value) = FaultRule.split(item)
            guard let value else { throw ParseError(description: "'\(key)' needs a value (\(key)=…)") }
            switch key {
            case "method": method = value.uppercased()
            case "path": path = value
            case "count": count = try number(value, "count")
            case "skip": skip = try number(value, "skip") ?? 0
            case "retry_after": retryAfter = try number(value, "retry_after")
            case "ms": milliseconds = try number(value, "ms")
            case "error": error = value
            case "bytes": bytes = try number(value, "bytes")
            case "status": status = try number(value, "status")
            default:
                throw ParseError(description: "unknown fault option '\(key)'; use method, path, count, skip, retry_after, ms, error, bytes or status")
            }
        }
    }

    private static func hostile(_ name: String) throws(ParseError) -> HostileData {
        guard let data = HostileData(rawValue: name.lowercased()) else {
            throw ParseError(description: "hostile takes \(HostileData.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
        }
        return data
    }

    private static func split(_ item: String) -> (String, String?) {
        guard let eq = item.firstIndex(of: "=") else { return (item.lowercased(), nil) }
        return (item[..<eq].lowercased(), String(item[item.index(after: eq)...]))
    }

    /// Reads the control endpoint's JSON form.
    public init(json: JSONValue) throws(ParseError) {
        if let spec = json["spec"]?.stringValue {
            try self.init(spec: spec)
            return
        }
        guard let kindName = json["kind"]?.stringValue, let kind = Kind(rawValue: kindName) else {
            throw ParseError(description: "a fault needs a kind: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(
            kind, status: json["status"]?.intValue, milliseconds: json["ms"]?.intValue ?? json["milliseconds"]?.intValue,
            retryAfter: json["retry_after"]?.intValue, error: json["error"]?.stringValue, bytes: json["bytes"]?.intValue,
            data: try json["data"]?.stringValue.map { name throws(ParseError) in try FaultRule.hostile(name) },
            method: json["method"]?.stringValue, path: json["path"]?.stringValue, count: json["count"]?.intValue,
            skip: json["skip"]?.intValue ?? 0)
        if kind == .status, status == nil { status = 500 }
        if kind == .hostile, data == nil { data = .huge }
    }

    /// The rule as a spec that ``init(spec:)`` reads back.
    public var spec: String {
        var head: String
        switch kind {
        case .latency: head = "latency=\(milliseconds ?? 1000)"
        case .status: head = "status=\(status ?? 500)"
        case .html: head = "html=\(status ?? 502)"
        case .rateLimit: head = "rate_limit" + (retryAfter.map { "=\($0)" } ?? "")
        case .paymentRequired: head = "payment_required=\(error ?? "plan_required")"
        case .reset, .truncated, .invalidJSON, .emptyBody: head = kind.rawValue
        case .hugeBody: head = "huge_body=\(bytes ?? 4 << 20)"
        case .hostile: head = "hostile=\((data ?? .huge).rawValue)"
        }
        if let method { head += ",method=\(method)" }
        if let path { head += ",path=\(path)" }
        if let count { head += ",count=\(count)" }
        if skip > 0 { head += ",skip=\(skip)" }
        return head
    }

    public var description: String { spec }

    /// The rule as JSON, for `GET /_sim/faults`.
    public var json: JSONValue {
        var o: JSONObject = ["kind": .string(kind.rawValue), "spec": .string(spec)]
        if let count { o["remaining"] = .int(count) }
        return .object(o)
    }

    func matches(method: String, path: String) -> Bool {
        if let m = self.method, m != method { return false }
        if let p = self.path, !path.contains(p) { return false }
        return true
    }
}
