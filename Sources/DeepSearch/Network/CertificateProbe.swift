import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Looks at the certificate a server presents — without trusting it — to say why a handshake
/// failed: expired, for another host, or issued by an authority this machine does not trust. The
/// handshake is failed right after looking, so nothing is ever sent to that server.
enum CertificateProbe {
    /// What the server's own certificate says.
    struct Finding: Sendable, Hashable {
        /// Its DNS names and IP addresses.
        var names: [String]
        var notValidBefore: time_t
        var notValidAfter: time_t
    }

    /// The certificate `host:port` presents, or nil when no handshake got that far in `timeout`.
    static func inspect(host: String, port: Int, timeout: TimeAmount = .seconds(3)) async -> Finding? {
        let seen = Mutex<Finding?>(nil)
        let isAddress = IPAddress(host) != nil
        do {
            let context = try NIOSSLContext(configuration: TLSConfiguration.makeClientConfiguration())
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try NIOSSLClientHandler(
                            context: context, serverHostname: isAddress ? nil : host,
                            customVerificationCallback: { certificates, promise in
                                if let leaf = certificates.first {
                                    seen.withLock {
                                        $0 = Finding(names: names(of: leaf), notValidBefore: leaf.notValidBefore, notValidAfter: leaf.notValidAfter)
                                    }
                                }
                                promise.succeed(.failed)
                            })
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: host, port: port).get()
            let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            _ = try? await channel.closeFuture.get()
            deadline.cancel()
        } catch {
            return seen.withLock { $0 }
        }
        return seen.withLock { $0 }
    }

    /// The DNS names and IP addresses a certificate is for.
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames().compactMap { name in
            switch name.nameType {
            case .dnsName: String(decoding: name.contents, as: UTF8.self)
            case .ipAddress: addressText(Array(name.contents))
            default: nil
            }
        }
    }

    /// An address of 4 or 16 bytes as text (`127.0.0.1`, `::1`).
    static func addressText(_ bytes: [UInt8]) -> String? {
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : nil
        guard let family else { return nil }
        var text = [CChar](repeating: 0, count: 64)
        guard bytes.withUnsafeBytes({ inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `names` covers `host` (`*.example.com` covers one label).
    static func covers(_ names: [String], host: String) -> Bool {
        names.contains { name in
            let name = name.lowercased()
            if name == host { return true }
            guard name.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
            return host[dot...] == name.dropFirst()
        }
    }
}
