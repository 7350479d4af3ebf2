import FoundationEssentials

/// Everything that shapes one simulator.
public struct SimulatorConfiguration: Sendable {
    /// The address to listen on; loopback by default.
    public var host: String
    /// The port; 0 picks a free one.
    public var port: Int
    /// Tokens accepted as `Authorization: Bearer TOKEN`.
    public var tokens: [String]
    /// Same seed, same companies, grades, ids and timing.
    public var seed: UInt64
    /// Multiplies every rate (and shortens the start delay): 10 runs ten times faster. Within
    /// ``speeds``: past them a task's timing is infinite or NaN.
    public var speed: Double
    /// The speeds a simulator can run at.
    public static let speeds: ClosedRange<Double> = 0.001...1_000_000
    /// The discovery rates (candidates a minute at speed 1) a simulator can run at.
    public static let rates: ClosedRange<Double> = 0.001...1_000_000

    /// `text` as a speed, or why it is not one (for `--speed` and `EXTRUCT_DEMO_SPEED`).
    public static func speed(_ text: String) -> Result<Double, SimulatorConfigurationError> {
        guard let value = Double(text.trimmingSpacesAndNewlines), value.isFinite, speeds.contains(value) else {
            return .failure(SimulatorConfigurationError(description: "takes a number from 0.001 to 1000000 (10 = ten times faster), not '\(text)'"))
        }
        return .success(value)
    }
    /// Candidates discovered per minute at speed 1 (Extruct quotes about 100).
    public var companiesPerMinute: Double
    /// Seconds (at speed 1) a new task stays `created` before it starts.
    public var startDelay: Double
    /// The share of tasks that fail part way, 0…1.
    public var failureRate: Double
    /// The most criteria a task may have (more is a 422).
    public var maximumCriteria: Int
    /// Faults active from the start.
    public var faults: [FaultRule]
    /// The time source.
    public var clock: any SimulatorClock
    /// Log each request to standard error.
    public var logRequests: Bool
    /// The credits the account starts with; one is spent per high-fit result a task delivers.
    public var credits: Int
    /// Credits a simulator starts with unless told: enough for hundreds of full tasks.
    public static let defaultCredits = 100_000
    /// Serve HTTPS instead of plain HTTP: `SimulatorTLSIdentity`, from `SimulatorTLS`.
    public var tls: (any SimulatorHTTPS)?

    /// A configuration; the defaults are a loopback simulator on port 8080 at Extruct's quoted speed.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, tokens: [String] = ["demo"], seed: UInt64 = 1, speed: Double = 1,
        companiesPerMinute: Double = 100, startDelay: Double = 3, failureRate: Double = 0, maximumCriteria: Int = 20,
        faults: [FaultRule] = [], clock: any SimulatorClock = WallClock(), logRequests: Bool = false,
        credits: Int = SimulatorConfiguration.defaultCredits
    ) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.seed = seed
        self.speed = speed
        self.companiesPerMinute = companiesPerMinute
        self.startDelay = startDelay
        self.failureRate = failureRate
        self.maximumCriteria = maximumCriteria
        self.faults = faults
        self.clock = clock
        self.logRequests = logRequests
        self.credits = credits
    }
}

/// A value a simulator cannot run with.
public struct SimulatorConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    /// An error saying `description`.
    public init(description: String) {
        self.description = description
    }
}
