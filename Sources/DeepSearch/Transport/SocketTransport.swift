import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// HTTP/1.1 over a plain TCP socket, for `http://` base URLs: the simulator, `--demo`, a proxy on
/// this machine. `https://` goes through ``AsyncHTTPClientTransport`` (see ``DefaultTransport``).
///
/// A shell sends one request at a time and waits for it, so this transport does the I/O on the
/// calling thread: no event loop, no thread hand-offs, one keep-alive connection reused from
/// request to request (a few are kept when requests overlap). Every wait is a `poll` bounded by
/// the request's deadline that also watches a pipe written when the calling task is cancelled,
/// so Ctrl-C and timeouts end a request at once.
///
/// It blocks the thread it runs on: call it from the main actor or a thread of your own, not
/// from code that shares the concurrency pool with the server it talks to.
public final class SocketTransport: HTTPTransport {
    private let maximumBodyBytes: Int
    private let idle = Mutex<[Connection]>([])
    private let lastEndpoint = Mutex<(String, Endpoint)?>(nil)
    private static let idleLimit = 4

    /// A transport whose answers may be at most `maximumBodyBytes` long.
    public init(maximumBodyBytes: Int = 8 << 20) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try await send(request, timeout: timeout, delivery: RequestDelivery())
    }

    /// Sends `request`; `delivery` hears of the first byte written to the socket.
    public func send(_ request: HTTPRequest, timeout: Duration, delivery: RequestDelivery) async throws -> HTTPResponse {
        try Task.checkCancellation()
        guard let endpoint = endpoint(of: request.baseURL) else { throw TransportFailure.invalidURL(request) }
        let deadline = ContinuousClock.now + timeout
        let connection = takeIdle(for: endpoint) ?? Connection(endpoint)
        let outcome = await exchange(request, on: connection, deadline: deadline, timeout: timeout, delivery: delivery)
        switch outcome {
        case .success(let (response, reusable)):
            if reusable { giveBack(connection) } else { connection.close() }
            return response
        case .failure(let error):
            connection.close()
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw error
        }
    }

    /// Runs the exchange on the caller's actor (the closure captures `isolation`, so it does not
    /// hop to the global executor); a cancellation of the calling task wakes its waits.
    private func exchange(
        _ request: HTTPRequest, on connection: Connection, deadline: ContinuousClock.Instant, timeout: Duration, delivery: RequestDelivery,
        isolation: isolated (any Actor)? = #isolation
    ) async -> Result<(HTTPResponse, reusable: Bool), any Error> {
        await withTaskCancellationHandler {
            _ = isolation
            connection.arm()
            defer { connection.disarm() }
            // A cancellation before the connection was armed wrote nothing to its pipe.
            if Task.isCancelled { return .failure(CancellationError()) }
            return Result {
                try connection.exchange(request, deadline: deadline, timeout: timeout, maximumBodyBytes: maximumBodyBytes, delivery: delivery)
            }
        } onCancel: {
            connection.interrupt()
        }
    }

    public func shutdown() async {
        let connections = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for connection in connections { connection.close() }
    }

    /// The base URL parsed, remembered for the next request (a shell sends to one URL at a time).
    private func endpoint(of baseURL: String) -> Endpoint? {
        if let (url, endpoint) = lastEndpoint.withLock({ $0 }), url == baseURL { return endpoint }
        guard let endpoint = Endpoint(baseURL: baseURL) else { return nil }
        lastEndpoint.withLock { $0 = (baseURL, endpoint) }
        return endpoint
    }

    private func takeIdle(for endpoint: Endpoint) -> Connection? {
        idle.withLock { idle in
            guard let index = idle.lastIndex(where: { $0.endpoint == endpoint }) else { return nil }
            return idle.remove(at: index)
        }
    }

    private func giveBack(_ connection: Connection) {
        let surplus = idle.withLock { idle -> Connection? in
            idle.append(connection)
            return idle.count > Self.idleLimit ? idle.removeFirst() : nil
        }
        surplus?.close()
    }
}

/// Where a base URL points: host, port, the `Host` header and any path prefix.
struct Endpoint: Hashable, Sendable {
    var host: String
    var port: UInt16
    var hostHeader: String
    var pathPrefix: String

    /// `http://host[:port][/prefix]` as ``URLParts`` reads it; nil for anything else (another
    /// scheme, user info, a bad port).
    init?(baseURL: String) {
        guard HTTPRequest.isPlainHTTP(baseURL), let url = URLParts(baseURL), url.user == nil, let port = url.port else { return nil }
        host = url.host
        self.port = UInt16(port)
        hostHeader = url.authority
        pathPrefix = url.path
    }
}

/// One TCP connection and the pipe that wakes its waits when the request is cancelled.
private final class Connection: @unchecked Sendable {
    // The socket and buffer are used by one request at a time (the transport hands a connection
    // to one caller); only `armed` and the pipe are touched from the cancelling thread.
    let endpoint: Endpoint
    private var socket: Int32 = -1
    /// Received bytes not consumed yet.
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)
    private var wake: (read: Int32, write: Int32) = (-1, -1)
    /// 0: no request in progress; 1: a request waits, a cancellation may wake it; 2: a
    /// cancellation claimed the wake-up and writes (or wrote) exactly one byte to the pipe.
    private let armed = Atomic<UInt8>(0)
    /// A request was just sent: wait for the answer before trying to read it (saves a `recv`
    /// that would find nothing).
    private var answerPending = false
    /// Whether any byte of the current answer has arrived.
    private var receivedAny = false

    init(_ endpoint: Endpoint) {
        self.endpoint = endpoint
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wake = (fds[0], fds[1])
        }
    }

    deinit {
        close()
        if wake.read >= 0 { _ = closeDescriptor(wake.read) }
        if wake.write >= 0 { _ = closeDescriptor(wake.write) }
    }

    func arm() { armed.store(1, ordering: .sequentiallyConsistent) }

    /// After this, no cancellation can write to the pipe any more; the byte one wrote is read.
    func disarm() {
        guard armed.exchange(0, ordering: .sequentiallyConsistent) == 2 else { return }
        // The canceller claimed the wake-up: its one byte is in the pipe or about to be.
        var byte: UInt8 = 0
        for _ in 0..<50 {
            if read(wake.read, &byte, 1) == 1 { return }
            var fd = pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 100)
        }
    }

    /// Called on the cancelling thread: wakes the wait in progress.
    func interrupt() {
        guard wake.write >= 0, armed.compareExchange(expected: 1, desired: 2, ordering: .sequentiallyConsistent).exchanged else { return }
        var byte: UInt8 = 1
        while write(wake.write, &byte, 1) != 1 && errno == EINTR {}
    }

    func close() {
        if socket >= 0 { _ = closeDescriptor(socket) }
        socket = -1
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: One exchange

    /// Sends `request` and reads the whole answer; `reusable` says whether the connection can
    /// carry another request.
    func exchange(
        _ request: HTTPRequest, deadline: ContinuousClock.Instant, timeout: Duration, maximumBodyBytes: Int, delivery: RequestDelivery
    ) throws -> (HTTPResponse, reusable: Bool) {
        let waits = Waits(request: request, deadline: deadline, timeout: timeout, delivery: delivery)
        if socket >= 0 && !isStillOpen() { close() }
        let reused = socket >= 0
        if socket < 0 { try connect(waits) }
        let bytes = try encode(request)
        do {
            try writeAll(bytes, waits)
            answerPending = true
            receivedAny = false
            return try readResponse(to: request, waits, maximumBodyBytes: maximumBodyBytes)
        } catch let error as DeepSearchError where reused && !receivedAny && (error.code == .transport) {
            // The server closed the kept-alive connection as the request went out (after the
            // check above): nothing of an answer came. A GET goes again on a new connection;
            // anything else may have arrived, and is not sent twice.
            guard request.method == "GET" || request.method == "HEAD" else { throw error }
            close()
            try connect(waits)
            try writeAll(bytes, waits)
            answerPending = true
            return try readResponse(to: request, waits, maximumBodyBytes: maximumBodyBytes)
        }
    }

    /// An idle keep-alive connection the server has not closed (and sent nothing on).
    private func isStillOpen() -> Bool {
        guard buffer.isEmpty else { return false }
        var fd = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&fd, 1, 0) == 0 else { return false }
        return true
    }

    private func encode(_ request: HTTPRequest) throws -> [UInt8] {
        let target = request.target
        guard Self.isSafe(request.method, orSpace: true), Self.isSafe(target, orSpace: true) else {
            throw DeepSearchError(
                .invalidArgument, "the request line of \(request.method.withoutControlCharacters) holds a space or control character; it was not sent"
            )
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + (request.body?.count ?? 0))
        func line(_ parts: String...) {
            for part in parts { bytes.append(contentsOf: part.utf8) }
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
        line(request.method, " ", endpoint.pathPrefix, target, " HTTP/1.1")
        line("Host: ", endpoint.hostHeader)
        for field in request.headers {
            guard Self.isSafe(field.name, orSpace: true, orColon: true), Self.isSafe(field.value) else {
                throw DeepSearchError(
                    .invalidArgument, "the header \(field.name.withoutControlCharacters) holds a line break or control character; it was not sent")
            }
            line(field.name, ": ", field.value)
        }
        if let body = request.body {
            line("Content-Length: ", String(body.count))
        } else if request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
            line("Content-Length: 0")
        }
        line()
        if let body = request.body { bytes.append(contentsOf: body) }
        return bytes
    }

    /// No CR, LF or NUL (which would end a line or the head early), and optionally no space or colon.
    private static func isSafe(_ text: String, orSpace: Bool = false, orColon: Bool = false) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 || (orSpace && $0 == 0x20) || (orColon && $0 == 0x3A) }
    }

    // MARK: Connecting

    private func connect(_ waits: Waits) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else { throw TransportFailure.unresolvable(waits.request) }
        defer { freeaddrinfo(list) }
        var lastError: any Error = TransportFailure.refused(waits.request)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            #if canImport(Glibc)
            let fd = Glibc.socket(
                info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            #else
            let fd = Darwin.socket(info.pointee.ai_family, SOCK_STREAM, 0)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFL, O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            var one: Int32 = 1
            if fd >= 0 { _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size)) }
            #endif
            guard fd >= 0 else {
                lastError = TransportFailure.other(waits.request, String(cString: strerror(errno)))
                continue
            }
            socket = fd
            if connectSocket(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else {
                    lastError = Self.connectError(errno, waits)
                    close()
                    continue
                }
                do {
                    try waits.wait(for: fd, events: POLLOUT, wake: wake.read, phase: .connecting)
                } catch {
                    close()
                    throw error
                }
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                if code != 0 {
                    lastError = Self.connectError(code, waits)
                    close()
                    continue
                }
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return
        }
        throw lastError
    }

    private static func connectError(_ code: Int32, _ waits: Waits) -> DeepSearchError {
        switch code {
        case ECONNREFUSED: TransportFailure.refused(waits.request)
        case ETIMEDOUT: TransportFailure.connectTimedOut(waits.request)
        default:
            DeepSearchError(
                .transport, "cannot reach \(waits.request.baseURL): \(String(cString: strerror(code)))", advice: "check the API URL and your network")
        }
    }

    // MARK: Writing and reading

    private func writeAll(_ bytes: [UInt8], _ waits: Waits) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(socket, raw.baseAddress! + sent, raw.count - sent, 0)
                #endif
            }
            if n > 0 {
                sent += n
                waits.delivery.markWritten()
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try waits.wait(for: socket, events: POLLOUT, wake: wake.read, phase: .sending)
            } else {
                throw Self.ioError(errno, waits)
            }
        }
    }

    /// Reads more bytes into the buffer; false at the end of the stream.
    private func fill(_ waits: Waits) throws -> Bool {
        if answerPending {
            answerPending = false
            try waits.wait(for: socket, events: POLLIN, wake: wake.read, phase: .receiving)
        }
        while true {
            let received = scratch.withUnsafeMutableBytes { raw in recv(socket, raw.baseAddress!, raw.count, 0) }
            if received > 0 {
                buffer.append(contentsOf: scratch[0..<received])
                receivedAny = true
                return true
            }
            if received == 0 { return false }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR {
                try waits.wait(for: socket, events: POLLIN, wake: wake.read, phase: .receiving)
                continue
            }
            throw Self.ioError(code, waits)
        }
    }

    private static func ioError(_ code: Int32, _ waits: Waits) -> DeepSearchError {
        switch code {
        case ECONNRESET, EPIPE: TransportFailure.reset(waits.request)
        case ETIMEDOUT: TransportFailure.timeout(waits.request, waits.timeout)
        default: TransportFailure.other(waits.request, String(cString: strerror(code)))
        }
    }

    private func readResponse(to request: HTTPRequest, _ waits: Waits, maximumBodyBytes: Int) throws -> (HTTPResponse, reusable: Bool) {
        var parser = HTTP1ResponseParser(method: request.method, maximumBodyBytes: maximumBodyBytes)
        do {
            var atEnd = false
            while true {
                if case .complete(let response, let reusable) = try parser.parse(&buffer, atEnd: atEnd) { return (response, reusable) }
                atEnd = try !fill(waits)
            }
        } catch let failure as HTTP1ResponseParser.Failure {
            switch failure {
            case .notHTTP(let why): throw TransportFailure.other(request, "the answer is not HTTP/1.1: \(why)")
            case .tooLarge(let status): throw TransportFailure.tooLarge(request, limit: maximumBodyBytes, status: status)
            case .cutShort: throw TransportFailure.closedEarly(request)
            }
        }
    }
}

/// The waits of one request: each is a `poll` on the socket and the wake pipe, bounded by the
/// request's deadline.
private struct Waits {
    enum Phase { case connecting, sending, receiving }

    let request: HTTPRequest
    let deadline: ContinuousClock.Instant
    let timeout: Duration
    /// Hears of the first byte written.
    let delivery: RequestDelivery

    func wait(for fd: Int32, events: Int32, wake: Int32, phase: Phase) throws {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                throw phase == .connecting ? TransportFailure.connectTimedOut(request) : TransportFailure.timeout(request, timeout)
            }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var fds = [pollfd(fd: fd, events: Int16(events), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                throw TransportFailure.other(request, String(cString: strerror(errno)))
            }
            if fds[1].revents != 0 { throw CancellationError() }
            if fds[0].revents != 0 { return }
        }
    }
}

#if canImport(Glibc)
private func closeDescriptor(_ fd: Int32) -> Int32 { Glibc.close(fd) }
private func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 { Glibc.connect(fd, address, length) }
#else
private func closeDescriptor(_ fd: Int32) -> Int32 { Darwin.close(fd) }
private func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 { Darwin.connect(fd, address, length) }
#endif
