import HTTPTypes
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

/// Counts the connections the simulator accepts (a keep-alive client opens one for many requests).
final class ConnectionCounter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let journal: RequestJournal

    init(journal: RequestJournal) {
        self.journal = journal
    }

    func handlerAdded(context: ChannelHandlerContext) {
        journal.connectionOpened()
    }
}
