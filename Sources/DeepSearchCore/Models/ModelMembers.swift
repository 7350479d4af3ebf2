/// A model the API sends: one table of its members, from which it is both read and written.
///
/// A member is stated once (its key, an older name of it, how its value reads and writes), so
/// `init(json:)` and `json` cannot drift apart. Reading stays lenient: a member missing, null or
/// of a shape it cannot take keeps the value of ``blank``; a member that must be there throws
/// with its path.
protocol TabledModel: Sendable {
    /// The members in the order the API writes them.
    static var members: [ModelMember<Self>] { get }
    /// The value every member starts from before it is read: the defaults.
    static var blank: Self { get }
}

extension TabledModel {
    /// Reads every member of the object `value` (at `path`, for errors).
    init(readingMembersOf value: JSONValue, at path: String) throws(ResponseShapeError) {
        let fields = try FieldReader(value, at: path)
        var model = Self.blank
        for member in Self.members { try member.read(&model, fields) }
        self = model
    }

    /// The members as the API writes them, in the table's order (members only read are left out).
    var writtenMembers: [JSONMember] {
        Self.members.compactMap { member in member.write.map { JSONMember(member.key, $0(self)) } }
    }

    /// The keys written, in order.
    static var writtenKeys: [String] { members.filter { $0.write != nil }.map(\.key) }
}

/// One member of a ``TabledModel``: its key, how it is read from an object and written back.
struct ModelMember<Model>: Sendable {
    let key: String
    let read: @Sendable (inout Model, FieldReader) throws(ResponseShapeError) -> Void
    /// Nil for a member only read (a field of an older API generation).
    let write: (@Sendable (Model) -> JSONValue)?

    /// A member with its own reading and writing (required fields, nested lists with paths).
    init(
        _ key: String, read: @escaping @Sendable (inout Model, FieldReader) throws(ResponseShapeError) -> Void,
        write: (@Sendable (Model) -> JSONValue)?
    ) {
        self.key = key
        self.read = read
        self.write = write
    }

    /// A member stored at `property`; missing, null or unreadable, it keeps the blank's value.
    /// `legacy` is an older name read when `key` is absent.
    static func value<Value>(
        _ key: String, or legacy: String? = nil, _ property: any WritableKeyPath<Model, Value> & Sendable, _ codec: MemberCodec<Value>
    ) -> Self {
        ModelMember(
            key,
            read: { model, fields in
                if let value = codec.read(legacy.map { fields.value(key, $0) } ?? fields.value(key)) { model[keyPath: property] = value }
            },
            write: { model in codec.write(model[keyPath: property]) })
    }

    /// An optional member stored at `property`, written as `null` when absent.
    static func optional<Value>(
        _ key: String, or legacy: String? = nil, _ property: any WritableKeyPath<Model, Value?> & Sendable, _ codec: MemberCodec<Value>
    ) -> Self {
        ModelMember(
            key,
            read: { model, fields in
                model[keyPath: property] = codec.read(legacy.map { fields.value(key, $0) } ?? fields.value(key))
            },
            write: { model in model[keyPath: property].map(codec.write) ?? .null })
    }

    /// A member read into `property` and never written (the API no longer sends it).
    static func readOnly<Value>(_ key: String, _ property: any WritableKeyPath<Model, Value?> & Sendable, _ codec: MemberCodec<Value>) -> Self {
        ModelMember(key, read: { model, fields in model[keyPath: property] = codec.read(fields.value(key)) }, write: nil)
    }
}

/// How a member's value reads leniently from JSON (nil: it cannot) and is written.
struct MemberCodec<Value>: Sendable {
    let read: @Sendable (JSONValue?) -> Value?
    let write: @Sendable (Value) -> JSONValue
}

extension MemberCodec where Value == String {
    /// A string; numbers and booleans sent instead are read as their text.
    static var string: Self { MemberCodec(read: FieldReader.text, write: JSONValue.string) }
}

extension MemberCodec where Value == Int {
    /// An integer; one sent as a string is read.
    static var int: Self { MemberCodec(read: FieldReader.integer, write: JSONValue.int) }
}

extension MemberCodec where Value == Bool {
    /// A boolean; `"true"`/`"false"` and numbers are read.
    static var bool: Self { MemberCodec(read: FieldReader.boolean, write: JSONValue.bool) }
}

extension MemberCodec where Value == [String] {
    /// An array of strings; members that are not strings are left out.
    static var strings: Self {
        MemberCodec(read: { $0?.arrayValue?.compactMap(\.stringValue) }, write: { .array($0.map(JSONValue.string)) })
    }
}

extension MemberCodec where Value == Timestamp {
    /// A date-time, kept as the server wrote it.
    static var timestamp: Self { MemberCodec(read: { FieldReader.text($0).map(Timestamp.init(text:)) }, write: { .string($0.text) }) }
}

extension MemberCodec where Value: RawRepresentable & SendableMetatype, Value.RawValue == String {
    /// An open enumeration: any string is kept.
    static var open: Self { MemberCodec(read: { FieldReader.text($0).flatMap(Value.init(rawValue:)) }, write: { .string($0.rawValue) }) }
}

extension MemberCodec {
    /// An array of open enumerations.
    static func openList<Element: RawRepresentable & SendableMetatype>() -> Self where Value == [Element], Element.RawValue == String {
        MemberCodec(
            read: { $0?.arrayValue?.compactMap { $0.stringValue.flatMap(Element.init(rawValue:)) } },
            write: { .array($0.map { .string($0.rawValue) }) })
    }

}

extension MemberCodec where Value: TabledModel {
    /// A nested model, read with its own table (a wrong shape reads as absent).
    static var model: Self {
        MemberCodec(
            read: { json in json.flatMap { try? Value(readingMembersOf: $0, at: "") } },
            write: { .object(JSONObject($0.writtenMembers)) })
    }
}
