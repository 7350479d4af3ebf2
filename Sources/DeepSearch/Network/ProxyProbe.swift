import AsyncHTTPClient
import FoundationEssentials
import NIOCore
import NIOPosix
import Synchronization

/// Asks a proxy for a tunnel again, as AsyncHTTPClient did, to learn what it answered:
/// AsyncHTTPClient reports every answer but 200 and 407 as one error, without the status, and
/// a 403 (refused) reads nothing like a 503 (it could not reach the API). The tunnel, if the
/// proxy opens it this time, is closed at once; nothing is sent through it.
enum ProxyProbe {
    /// What the proxy answered to CONNECT.
    struct Answer: Sendable, Hashable {
        var status: Int
        /// The reason phrase of its status line (`Service Unavailable`).
        var reason: String
        /// Squid's own name for the failure (`ERR_CONNECT_FAIL`), from `X-Squid-Error`.
        var proxyError: String?

        /// `503 Service Unavailable`, and squid's name for it: `503 Service Unavailable, ERR_CONNECT_FAIL`.
        var statusLine: String {
            let line = reason.isEmpty ? "\(status)" : "\(status) \(reason)"
            return proxyError.map { "\(line), \($0)" } ?? line
        }
    }

    /// Squid's names for failing to reach the server (its `X-Squid-Error`), whatever the status.
    static let unreachableErrors: Set<String> = [
        "ERR_CONNECT_FAIL", "ERR_DNS_FAIL", "ERR_CANNOT_FORWARD", "ERR_READ_TIMEOUT", "ERR_LIFETIME_EXP", "ERR_GATEWAY_FAILURE",
    ]

    /// The answer of `proxy` to `CONNECT target` (`host:port`), or nil when none came in `timeout`.
    static func connect(to target: String, through proxy: ProxyServer, timeout: TimeAmount = .seconds(5)) async -> Answer? {
        await exchange(target, through: proxy, timeout: timeout).answer
    }

    /// The CONNECT request for `target`, with the proxy's credentials as AsyncHTTPClient sends them.
    static func request(_ target: String, through proxy: ProxyServer) -> String {
        var request = "CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n"
        if let user = proxy.username {
            request += "Proxy-Authorization: \(HTTPClient.Authorization.basic(username: user, password: proxy.password ?? "").headerValue)\r\n"
        }
        return request + "\r\n"
    }

    /// The answer of `proxy` to `CONNECT target`, and why it could not be asked (the connection
    /// to the proxy failed); without a target, only whether it takes a connection.
    static func exchange(_ target: String?, through proxy: ProxyServer, timeout: TimeAmount) async -> (answer: Answer?, failure: (any Error)?) {
        let head = HeadCollector()
        let cancellation = ChannelCancellation()
        return await withTaskCancellationHandler {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(timeout)
                    .channelInitializer { channel in
                        cancellation.attach(channel)
                        return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(head) }
                    }
                    .connect(host: proxy.host, port: proxy.port).get()
                guard let target else {
                    try? await channel.close()
                    return (nil, nil)
                }
                let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                try await channel.writeAndFlush(ByteBuffer(string: request(target, through: proxy))).get()
                _ = try? await channel.closeFuture.get()
                deadline.cancel()
            } catch {
                return (head.answer, head.answer == nil ? error : nil)
            }
            return (head.answer, nil)
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// The parts of an answer's head: its status line and the fields that say why.
    static func parse(_ head: String) -> Answer? {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let statusLine = lines.first else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]), (100...599).contains(status) else { return nil }
        var answer = Answer(status: status, reason: parts.count > 2 ? String(parts[2]).withoutControlCharacters : "")
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "x-squid-error" else { continue }
            let value = line[line.index(after: colon)...].split(separator: " ").first.map { String($0).withoutControlCharacters }
            answer.proxyError = value.flatMap { $0.isEmpty ? nil : String($0.prefix(40)) }
        }
        return answer
    }

    /// Reads the answer's head, then closes the connection.
    private final class HeadCollector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let received = Mutex<[UInt8]>([])
        private let parsed = Mutex<Answer?>(nil)

        var answer: Answer? { parsed.withLock { $0 } }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            let head = received.withLock { bytes -> String? in
                bytes += buffer.readableBytesView
                guard let end = ByteSearch.firstIndex(of: Array("\r\n\r\n".utf8), in: bytes) else {
                    // A proxy that sends no end of head in 16 KB is not answering CONNECT.
                    return bytes.count > 16 << 10 ? "" : nil
                }
                return String(decoding: bytes[..<end], as: UTF8.self)
            }
            guard let head else { return }
            parsed.withLock { $0 = ProxyProbe.parse(head) }
            context.close(promise: nil)
        }
    }
}
