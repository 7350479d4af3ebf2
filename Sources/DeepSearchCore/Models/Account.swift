/// Who a token belongs to, as `GET /v1/user` answers: the user, their organisation and the
/// credits left. `GET /v1/billing` sends the same object as its `user`.
public struct Account: Sendable, Hashable {
    public var userID: String
    public var email: String?
    /// Credits left to spend (one per high-fit result).
    public var availableCredits: Int?
    public var organizationID: String?
    public var organizationName: String?
    public var organizationSlug: String?
    public var organizationIsActive: Bool?

    /// An account with these parts.
    public init(
        userID: String, email: String? = nil, availableCredits: Int? = nil, organizationID: String? = nil,
        organizationName: String? = nil, organizationSlug: String? = nil, organizationIsActive: Bool? = nil
    ) {
        self.userID = userID
        self.email = email
        self.availableCredits = availableCredits
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.organizationSlug = organizationSlug
        self.organizationIsActive = organizationIsActive
    }

    /// Reads an account leniently (unknown members ignored, nulls accepted).
    public init(json value: JSONValue, at path: String = "") throws(ResponseShapeError) {
        try self.init(readingMembersOf: value, at: path)
    }

    /// The account as the API writes it.
    public var json: JSONValue { .object(JSONObject(writtenMembers)) }

    /// The keys of its members, in the API's order.
    public static var memberKeys: [String] { writtenKeys }
}

extension Account: TabledModel {
    static let blank = Account(userID: "")

    static let members: [ModelMember<Account>] = [
        .value("user_id", \.userID, .string),
        .optional("email", \.email, .string),
        .optional("available_credits", \.availableCredits, .int),
        .optional("organization_id", \.organizationID, .string),
        .optional("organization_name", \.organizationName, .string),
        .optional("organization_slug", \.organizationSlug, .string),
        .optional("organization_is_active", \.organizationIsActive, .bool),
    ]
}

/// An account's subscription, as `GET /v1/billing` sends it.
public struct Subscription: Sendable, Hashable {
    /// Whether Deep Search needs a plan this account lacks.
    public var requiresSubscription: Bool?
    /// `pro`, `legacy`, … (kept as sent).
    public var planTier: String?
    /// `active`, `past_due`, … (kept as sent).
    public var status: String?

    /// A subscription with these parts.
    public init(requiresSubscription: Bool? = nil, planTier: String? = nil, status: String? = nil) {
        self.requiresSubscription = requiresSubscription
        self.planTier = planTier
        self.status = status
    }

    /// The subscription as the API writes it.
    public var json: JSONValue { .object(JSONObject(writtenMembers)) }

    /// The keys of its members, in the API's order.
    public static var memberKeys: [String] { writtenKeys }
}

extension Subscription: TabledModel {
    static let blank = Subscription()

    static let members: [ModelMember<Subscription>] = [
        .optional("requires_subscription", \.requiresSubscription, .bool),
        .optional("plan_tier", \.planTier, .string),
        .optional("status", \.status, .string),
    ]
}

/// The answer of `GET /v1/billing`: the account and its subscription.
public struct Billing: Sendable, Hashable {
    public var user: Account?
    public var subscription: Subscription?

    /// A billing answer with these parts.
    public init(user: Account? = nil, subscription: Subscription? = nil) {
        self.user = user
        self.subscription = subscription
    }

    /// Reads the answer leniently.
    public init(json value: JSONValue, at path: String = "") throws(ResponseShapeError) {
        try self.init(readingMembersOf: value, at: path)
    }

    /// The answer as the API writes it.
    public var json: JSONValue { .object(JSONObject(writtenMembers)) }
}

extension Billing: TabledModel {
    static let blank = Billing()

    static let members: [ModelMember<Billing>] = [
        .optional("user", \.user, .model),
        .optional("subscription", \.subscription, .model),
    ]
}
