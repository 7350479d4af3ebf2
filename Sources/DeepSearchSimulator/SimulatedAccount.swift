import DeepSearchCore

/// Who the simulator's tokens belong to: one user of one organisation, on the Pro plan. The
/// credits are the task store's (`TaskStore.settle`).
enum SimulatedAccount {
    /// The account, its ids made from `seed`; `available_credits` is filled in by the store.
    static func account(seed: UInt64) -> Account {
        Account(
            userID: SeededRandom.uuid(seed: seed, "user"), email: "demo@extruct.example", availableCredits: nil,
            organizationID: SeededRandom.uuid(seed: seed, "organization"), organizationName: "Demo Organisation",
            organizationSlug: "demo", organizationIsActive: true)
    }

    /// The plan: Pro, so Deep Search needs nothing more.
    static let subscription = Subscription(requiresSubscription: false, planTier: "pro", status: "active")
}
