import Synchronization

/// A transport made on first use, so a shell that never talks to the API never starts a
/// connection pool (or its threads).
public final class LazyTransport: HTTPTransport {
    private let make: @Sendable () -> any HTTPTransport
    private let made = Mutex<(any HTTPTransport)?>(nil)

    /// A transport that calls `make` the first time it is needed.
    public init(_ make: @escaping @Sendable () -> any HTTPTransport) {
        self.make = make
    }

    private var transport: any HTTPTransport {
        made.withLock { made in
            if let made { return made }
            let transport = make()
            made = transport
            return transport
        }
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await transport.send(request, timeout: timeout)
    }

    public func shutdown() async {
        let existing = made.withLock { $0 }
        await existing?.shutdown()
    }
}
