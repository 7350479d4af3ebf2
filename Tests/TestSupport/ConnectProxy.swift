import Foundation
import LoopbackNetwork
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP proxy on a free loopback port, for tests: CONNECT tunnels (how AsyncHTTPClient goes
/// through a proxy, for `https://` and `http://` alike), with the names it resolves given by the
/// test (`api.extruct.test` → 127.0.0.1). It never connects outside 127.0.0.0/8: a name it
/// was not given is answered 502. It counts what it was asked, and can ask for credentials or
/// refuse.
public final class ConnectProxy: Sendable {
    /// How the proxy answers a CONNECT.
    public enum Mode: Sendable {
        /// Opens the tunnel.
        case open
        /// 403 Forbidden.
        case forbid
        /// 407 unless `Proxy-Authorization: Basic` carries these credentials.
        case requireCredentials(user: String, password: String)
        /// Answers every CONNECT with this status line (`502 Bad Gateway`), for the answers
        /// squid cannot be made to give.
        case answer(String)
        /// Closes the connection without an answer.
        case hangUp
    }

    public var port: Int { Int(listener.port) }
    private let listener: LoopbackListener
    private let state = Mutex(State())

    private struct State {
        var connects: [String] = []
        var authorizations: [String] = []
        var mode = Mode.open
        var hosts: [String: String] = [:]
    }

    /// A proxy that resolves `hosts` (name → a 127.x address) and answers as `mode` says.
    public init(hosts: [String: String] = [:], mode: Mode = .open) throws {
        listener = try LoopbackListener()
        state.withLock {
            $0.hosts = hosts
            $0.mode = mode
        }
        Thread { [self] in acceptLoop() }.start()
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// The `host:port` of every CONNECT, in order.
    public var connects: [String] { state.withLock { $0.connects } }

    /// Every `Proxy-Authorization` value received.
    public var authorizations: [String] { state.withLock { $0.authorizations } }

    /// Changes how the next CONNECTs are answered.
    public func set(_ mode: Mode) { state.withLock { $0.mode = mode } }

    /// Stops accepting connections (the first call; `deinit` calls it too).
    public func stop() { listener.stop() }

    deinit { stop() }

    private func acceptLoop() {
        while let client = listener.accept() {
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let (head, rest) = readHead(client) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ").map(String.init) ?? []
        guard requestLine.count == 3 else { return }
        let headers = lines.dropFirst().reduce(into: [String: String]()) { fields, line in
            guard let colon = line.firstIndex(of: ":") else { return }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let (mode, hosts) = state.withLock { state in
            if let authorization = headers["proxy-authorization"] { state.authorizations.append(authorization) }
            return (state.mode, state.hosts)
        }
        if case .forbid = mode {
            return reply(client, "403 Forbidden")
        }
        if case .answer(let status) = mode {
            return reply(client, status)
        }
        if case .hangUp = mode { return }
        if case .requireCredentials(let user, let password) = mode {
            let expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            guard headers["proxy-authorization"] == expected else {
                return reply(client, "407 Proxy Authentication Required", extra: "Proxy-Authenticate: Basic realm=\"test\"\r\n")
            }
        }
        if requestLine[0] == "CONNECT" {
            state.withLock { $0.connects.append(requestLine[1]) }
            guard let upstream = connectUpstream(requestLine[1], hosts: hosts) else { return reply(client, "502 Bad Gateway") }
            defer { close(upstream) }
            writeAll(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            if !rest.isEmpty { writeAll(upstream, rest) }
            relay(client, upstream)
        } else {
            reply(client, "400 Bad Request")
        }
    }

    /// Connects to `hostPort` if its host is a loopback address or a name the test gave.
    private func connectUpstream(_ hostPort: String, hosts: [String: String]) -> Int32? {
        guard let colon = hostPort.lastIndex(of: ":"), let port = UInt16(hostPort[hostPort.index(after: colon)...]) else { return nil }
        let name = String(hostPort[..<colon]).lowercased()
        let address = hosts[name] ?? name
        guard address.hasPrefix("127.") else { return nil }
        return connectLoopback(port: port, address: address)
    }

    private func readHead(_ fd: Int32) -> (String, [UInt8])? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = findHeadEnd(bytes) {
                return (String(decoding: bytes[..<end], as: UTF8.self), Array(bytes[(end + 4)...]))
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return nil }
            bytes += chunk[0..<n]
        }
    }

    private func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }

    private func reply(_ fd: Int32, _ status: String, extra: String = "") {
        writeAll(fd, Array("HTTP/1.1 \(status)\r\n\(extra)Content-Length: 0\r\nConnection: close\r\n\r\n".utf8))
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Copies bytes both ways until either side closes.
    private func relay(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while poll(&fds, 2, 30_000) > 0 {
            for (from, to) in [(0, 1), (1, 0)] where fds[from].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[from].fd, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                writeAll(fds[to].fd, Array(buffer[0..<n]))
            }
        }
    }
}
