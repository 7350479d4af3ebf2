import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

#if canImport(Glibc)
import Glibc
#endif

extension HTTPField.Name {
    /// Carries a fault decided at the connection level to the responder.
    static let simulatorFault = HTTPField.Name("X-Extruct-Sim-Fault")!
}

/// Decides each API request's fault as its head arrives. A reset is done right here: SO_LINGER 0
/// and close, so the client sees a TCP RST and no answer at all. Any other fault travels to the
/// responder in a header (a header of that name from the client is removed first).
final class FaultChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let injector: FaultInjector
    private let journal: RequestJournal
    private var dropping = false

    init(injector: FaultInjector, journal: RequestJournal) {
        self.injector = injector
        self.journal = journal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(var head):
            dropping = false
            head.headerFields[.simulatorFault] = nil
            let target = head.path ?? "/"
            let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
            if path.hasPrefix("/v1/"), let rule = injector.decide(method: head.method.rawValue, path: path) {
                if rule.kind == .reset {
                    let query = target.dropFirst(path.count).drop(while: { $0 == "?" })
                    journal.record(.init(method: head.method.rawValue, path: path, query: String(query), status: 0))
                    dropping = true
                    let channel = context.channel
                    if let provider = channel as? any SocketOptionProvider {
                        provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                    } else {
                        channel.close(promise: nil)
                    }
                    return
                }
                head.headerFields[.simulatorFault] = rule.spec
            }
            context.fireChannelRead(wrapInboundOut(.head(head)))
        case .body, .end:
            if dropping { return }
            context.fireChannelRead(data)
        }
    }
}

/// A server child channel that counts the connections it sets up (a keep-alive client opens
/// one for many requests; over HTTP/2, one for requests sent together), then is `base`.
struct ConnectionCountingChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let journal: RequestJournal

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        journal.connectionOpened()
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
