import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The steps of reaching the API, one at a time, for `doctor`: the host name looked up, the proxy
/// asked for a tunnel, the TLS handshake made with the trust the shell uses. Each says what it
/// found in the words the transport uses for the same failure; each has a deadline and ends when
/// the task asking is cancelled (Ctrl-C). Nothing is sent to the API here.
public enum ConnectionProbe {
    /// What a name lookup found.
    public enum Resolution: Sendable, Hashable {
        /// The addresses, as text, in the resolver's order.
        case addresses([String])
        /// The resolver's reason (`Name or service not known`).
        case failed(String)
        /// No answer in time (or the asker was cancelled).
        case timedOut
    }

    /// Whether `host` is an IP address (nothing to look up).
    public static func isAddress(_ host: String) -> Bool { IPAddress(host) != nil }

    /// Looks `host` up as connections do (getaddrinfo, on NIO's thread pool), waiting at most
    /// `timeout`: a resolver that hangs is left to finish on its own.
    public static func resolve(_ host: String, timeout: Duration) async -> Resolution {
        let first = FirstOutcome<Resolution>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                first.wait(continuation)
                NIOThreadPool.singleton.submit { _ in first.finish(lookUp(host)) }
                MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(Int64(timeout.milliseconds) * 1_000_000)) {
                    first.finish(.timedOut)
                }
            }
        } onCancel: {
            first.finish(.timedOut)
        }
    }

    private static func lookUp(_ host: String) -> Resolution {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { return .failed(String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let address = info.ai_addr else { continue }
            let bytes: [UInt8]
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) } }
            case AF_INET6:
                bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) } }
            default: continue
            }
            if let text = CertificateProbe.addressText(bytes), !addresses.contains(text) { addresses.append(text) }
        }
        return addresses.isEmpty ? .failed("no address") : .addresses(addresses)
    }

    /// Whether `proxy` opens a tunnel to the API of `url` (CONNECT, as https goes through it), or
    /// for `http://` only takes a connection; nil when it does, else the failure as the transport
    /// words it.
    public static func proxy(_ proxy: ProxyServer, for url: URLParts, timeout: Duration) async -> DeepSearchError? {
        let target = "\(URLParts.bracketed(url.host)):\(url.port ?? 443)"
        let exchange = await ProxyProbe.exchange(
            url.scheme == "https" ? target : nil, through: proxy, timeout: .nanoseconds(Int64(timeout.milliseconds) * 1_000_000))
        if let failure = exchange.failure {
            let request = HTTPRequest(method: "GET", baseURL: url.displayString, path: "/")
            if let words = await AsyncHTTPClientTransport.proxyFailure(failure, proxy: proxy, request: request) { return words }
            return DeepSearchError(.proxy, "cannot reach \(proxy.description)", advice: "check the proxy")
        }
        guard url.scheme == "https" else { return nil }
        if exchange.answer?.status == 200 { return nil }
        return AsyncHTTPClientTransport.tunnelRefused(exchange.answer, proxy: proxy, target: target)
    }

    /// What the TLS handshake with the API found.
    public struct TLSFinding: Sendable {
        /// The server's own certificate, when the handshake got that far.
        public var certificate: CertificateSummary?
        /// Why the handshake failed; nil when it succeeded with the trust the shell uses.
        public var failure: DeepSearchError?
    }

    /// Makes the TLS handshake with the host of `url` (through `proxy`'s tunnel when there is
    /// one) trusting what the shell trusts (`network`'s CA files and the system's), and closes
    /// the connection; nothing is sent through it. A certificate that is not trusted is looked at
    /// again without trusting it, to name it.
    public static func tls(_ url: URLParts, network: NetworkConfiguration, proxy: ProxyServer?, timeout: Duration) async -> TLSFinding {
        let trust = network.certificateTrust()
        if let problem = trust.problem {
            return TLSFinding(
                failure: DeepSearchError(
                    .tls, problem.text, advice: "fix the file, or name another (--ca-file, EXTRUCT_CA_FILE, ca_file in the profile)"))
        }
        let place = "\(URLParts.bracketed(url.host)):\(url.port ?? 443)"
        let wait = TimeAmount.nanoseconds(Int64(timeout.milliseconds) * 1_000_000)
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: NetworkConfiguration.tlsConfiguration(trusting: trust.certificates))
        } catch {
            return TLSFinding(failure: DeepSearchError(.tls, "TLS cannot be set up: \(AsyncHTTPClientTransport.words(of: error))"))
        }
        let verified = await handshake(url, proxy: proxy, context: context, inspect: false, timeout: wait)
        if verified.error == nil { return TLSFinding(certificate: verified.leaf.map(CertificateSummary.init)) }
        let error = verified.error!
        let hostnameFailed = (error as? NIOSSLExtraError) == .failedToValidateHostname
        let certificateRefused: Bool =
            if hostnameFailed {
                true
            } else if let ssl = error as? NIOSSLError, case .handshakeFailed(let reasons) = ssl {
                "\(reasons)".uppercased().contains("CERTIFICATE_VERIFY_FAILED")
            } else {
                false
            }
        guard certificateRefused else { return TLSFinding(failure: connectionFailure(error, place: place, proxy: proxy, timeout: wait)) }
        let seen = await handshake(url, proxy: proxy, context: context, inspect: true, timeout: wait).leaf.map(CertificateSummary.init)
        return TLSFinding(certificate: seen, failure: untrusted(seen, host: url.host, place: place, hostnameFailed: hostnameFailed))
    }

    /// Why a certificate was refused, from what it says.
    static func untrusted(_ certificate: CertificateSummary?, host: String, place: String, hostnameFailed: Bool) -> DeepSearchError {
        let caAdvice =
            "if you trust it, give its CA certificate with --ca-file FILE (or EXTRUCT_CA_FILE, or ca_file in the profile); a TLS-inspecting proxy's CA goes there too"
        guard let certificate else {
            return DeepSearchError(.tls, "the certificate of \(place) is not trusted here", advice: caAdvice)
        }
        if let problem = AsyncHTTPClientTransport.certificateProblem(
            names: certificate.names, notValidBefore: certificate.notValidBefore, notValidAfter: certificate.notValidAfter, host: host,
            hostnameFailed: hostnameFailed)
        {
            return DeepSearchError(.tls, "\(place): \(problem.what)", advice: problem.advice)
        }
        let who =
            certificate.isSelfIssued
            ? "is self-signed" : "is issued by \(certificate.issuer), an authority this machine does not trust"
        return DeepSearchError(
            .tls, "the certificate of \(place) (for \(certificate.subject), valid until \(certificate.expiry)) \(who)", advice: caAdvice)
    }

    /// A handshake that did not get as far as a certificate, in the transport's words.
    private static func connectionFailure(_ error: any Error, place: String, proxy: ProxyServer?, timeout: TimeAmount) -> DeepSearchError {
        if let code = AsyncHTTPClientTransport.errnoCode(in: error) {
            return DeepSearchError(
                .transport, "cannot connect to \(place): \(code == ECONNREFUSED ? "connection refused" : String(cString: strerror(code)))",
                advice: proxy == nil ? "is the API URL right? (--api-url or EXTRUCT_API_URL)" : "check the proxy")
        }
        if AsyncHTTPClientTransport.isUnresolvable(error) {
            return DeepSearchError(.transport, "cannot connect to \(place): the host name does not resolve", advice: "check the API URL")
        }
        if let tunnel = error as? TunnelRefused { return tunnel.error }
        if let ssl = error as? NIOSSLError, case .handshakeFailed(let reasons) = ssl {
            let text = "\(reasons)".uppercased()
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("RECORD_TOO_LARGE") {
                return DeepSearchError(
                    .tls, "\(place) does not speak TLS", advice: "check the URL: is it http:// rather than https://, or the wrong port?")
            }
            return DeepSearchError(
                .tls, "the TLS handshake with \(place) failed", advice: "check the API URL, and whether a proxy or firewall is in the way")
        }
        if error is ChannelError || error is HandshakeTimedOut {
            return DeepSearchError(
                .timeout, "no TLS handshake with \(place) within \(Int(timeout.nanoseconds / 1_000_000_000)) s",
                advice: "check the API URL and your network")
        }
        return DeepSearchError(.tls, "the TLS connection to \(place) failed: \(AsyncHTTPClientTransport.words(of: error))")
    }

    private struct HandshakeTimedOut: Error {}

    /// The proxy's refusal of the tunnel the handshake needed.
    private struct TunnelRefused: Error {
        var error: DeepSearchError
    }

    /// One handshake; `inspect`: trusting anything, to read the certificate (the handshake is
    /// then failed on purpose). The leaf is the server's certificate, when one was seen.
    private static func handshake(
        _ url: URLParts, proxy: ProxyServer?, context: NIOSSLContext, inspect: Bool, timeout: TimeAmount
    ) async -> (leaf: NIOSSLCertificate?, error: (any Error)?) {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let done = loop.makePromise(of: Void.self)
        let seen = Mutex<NIOSSLCertificate?>(nil)
        let cancellation = ChannelCancellation()
        let host = url.host
        let port = url.port ?? 443
        @Sendable func tls() throws -> [any ChannelHandler] {
            let name = IPAddress(host) == nil ? host : nil
            let handler =
                inspect
                ? try NIOSSLClientHandler(
                    context: context, serverHostname: name,
                    customVerificationCallback: { certificates, promise in
                        seen.withLock { $0 = certificates.first }
                        promise.succeed(.failed)
                    })
                : try NIOSSLClientHandler(context: context, serverHostname: name)
            return [handler, HandshakeWaiter(done)]
        }
        let bootstrap = ClientBootstrap(group: loop).connectTimeout(timeout).channelInitializer { channel in
            cancellation.attach(channel)
            return channel.eventLoop.makeCompletedFuture {
                if let proxy {
                    let target = "\(URLParts.bracketed(host)):\(port)"
                    try channel.pipeline.syncOperations.addHandler(
                        TunnelOpener(target: target, proxy: proxy, done: done) { try tls() })
                } else {
                    try channel.pipeline.syncOperations.addHandlers(try tls())
                }
            }
        }
        return await withTaskCancellationHandler {
            do {
                let channel = try await bootstrap.connect(host: proxy?.host ?? host, port: proxy?.port ?? port).get()
                let deadline = loop.scheduleTask(in: timeout) { done.fail(HandshakeTimedOut()) }
                defer {
                    deadline.cancel()
                    channel.close(promise: nil)
                }
                try await done.futureResult.get()
                let leaf = try await channel.nioSSL_peerCertificate().get()
                return (leaf, nil)
            } catch {
                done.fail(error)
                return (seen.withLock { $0 }, error)
            }
        } onCancel: {
            cancellation.cancel()
            done.fail(CancellationError())
        }
    }

    /// Completes `done` when the handshake completes or the connection fails or ends.
    private final class HandshakeWaiter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<Void>
        init(_ done: EventLoopPromise<Void>) { self.done = done }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent { done.succeed(()) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.fail(ChannelError.eof)
            context.fireChannelInactive()
        }
    }

    /// Asks the proxy for a tunnel; on 200, puts TLS in its own place, else fails `done` with the
    /// proxy's refusal in the transport's words.
    private final class TunnelOpener: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
        // Unchecked: its state is touched on its channel's event loop only.
        typealias InboundIn = ByteBuffer
        let target: String
        let proxy: ProxyServer
        let done: EventLoopPromise<Void>
        let next: () throws -> [any ChannelHandler]
        private var received: [UInt8] = []

        init(target: String, proxy: ProxyServer, done: EventLoopPromise<Void>, next: @escaping () throws -> [any ChannelHandler]) {
            self.target = target
            self.proxy = proxy
            self.done = done
            self.next = next
        }

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(NIOAny(ByteBuffer(string: ProxyProbe.request(target, through: proxy))), promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += unwrapInboundIn(data).readableBytesView
            guard let end = ByteSearch.firstIndex(of: Array("\r\n\r\n".utf8), in: received) else {
                if received.count > 16 << 10 { refuse(context, nil) }
                return
            }
            let answer = ProxyProbe.parse(String(decoding: received[..<end], as: UTF8.self))
            guard answer?.status == 200 else { return refuse(context, answer) }
            do {
                try context.pipeline.syncOperations.addHandlers(try next(), position: .after(self))
                context.pipeline.syncOperations.removeHandler(self, promise: nil)
            } catch {
                done.fail(error)
                context.close(promise: nil)
            }
        }

        private func refuse(_ context: ChannelHandlerContext, _ answer: ProxyProbe.Answer?) {
            done.fail(TunnelRefused(error: AsyncHTTPClientTransport.tunnelRefused(answer, proxy: proxy, target: target)))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            done.fail(ChannelError.eof)
            context.fireChannelInactive()
        }
    }
}

/// Closes a channel when the task that opened it is cancelled (Ctrl-C): the channel is known
/// from the moment it is made, so a connection still under way ends too.
final class ChannelCancellation: Sendable {
    private let state = Mutex<(channel: (any Channel)?, cancelled: Bool)>((nil, false))

    /// The channel to close; closed at once if the task was cancelled already.
    func attach(_ channel: any Channel) {
        let cancelled = state.withLock {
            $0.channel = channel
            return $0.cancelled
        }
        if cancelled { channel.close(promise: nil) }
    }

    /// Closes the channel, now or as soon as it is made.
    func cancel() {
        let channel = state.withLock {
            $0.cancelled = true
            return $0.channel
        }
        channel?.close(promise: nil)
    }
}

/// The first of several outcomes racing (an answer, a deadline, a cancellation), handed to one
/// waiting continuation; the later ones are dropped.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, Never>?, value: Value?, done: Bool)>((nil, nil, false))

    func wait(_ continuation: CheckedContinuation<Value, Never>) {
        let value = state.withLock { state -> Value? in
            if let value = state.value, !state.done {
                state.done = true
                return value
            }
            state.continuation = continuation
            return nil
        }
        if let value { continuation.resume(returning: value) }
    }

    func finish(_ value: Value) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, Never>? in
            guard !state.done, state.value == nil else { return nil }
            guard let continuation = state.continuation else {
                state.value = value
                return nil
            }
            state.done = true
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: value)
    }
}
