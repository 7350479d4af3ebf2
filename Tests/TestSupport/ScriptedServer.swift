import Foundation
import LoopbackNetwork
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP server on a loopback port that answers each request with bytes a test wrote by hand:
/// for the HTTP details a well-behaved server never shows (chunks, no length, early close,
/// garbage). It serves one connection at a time on a thread of its own and counts connections.
public final class ScriptedServer: Sendable {
    /// What to do with one request.
    public enum Reply: Sendable {
        /// Send these bytes, then keep the connection open for the next request.
        case send(String)
        /// Send these bytes, then close the connection.
        case sendAndClose(String)
        /// Send nothing and wait until the client goes away (for timeouts and cancellation).
        case hang
    }

    /// One request as it arrived.
    public struct Request: Sendable {
        /// The request line and header fields, CRLF-separated, without the blank line.
        public var head: String
        public var body: [UInt8]
        /// Which connection (0, 1, …) carried it.
        public var connection: Int
    }

    public var port: UInt16 { listener.port }
    private let listener: LoopbackListener
    private let received = Mutex<[Request]>([])
    private let connections = Atomic<Int>(0)
    private let closed = Atomic<Int>(0)

    /// Starts serving; `reply` is asked for each request in turn.
    public init(_ reply: @escaping @Sendable (Request) -> Reply) throws {
        listener = try LoopbackListener(backlog: 8)
        let thread = Thread { [self] in self.serve(reply) }
        thread.start()
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    /// The requests received so far.
    public var requests: [Request] { received.withLock { $0 } }
    /// How many connections were accepted.
    public var connectionCount: Int { connections.load(ordering: .relaxed) }
    /// How many connections the server has closed.
    public var closedCount: Int { closed.load(ordering: .relaxed) }

    /// Stops accepting; the serving thread ends.
    public func stop() { listener.stop() }

    private func serve(_ reply: @Sendable (Request) -> Reply) {
        while let client = listener.accept() {
            let number = connections.add(1, ordering: .relaxed).oldValue
            var buffer: [UInt8] = []
            connection: while let request = Self.readRequest(client, &buffer, connection: number) {
                received.withLock { $0.append(request) }
                switch reply(request) {
                case .send(let text):
                    guard Self.write(client, text) else { break connection }
                case .sendAndClose(let text):
                    _ = Self.write(client, text)
                    break connection
                case .hang:
                    var byte: UInt8 = 0
                    while recv(client, &byte, 1, 0) > 0 {}
                    break connection
                }
            }
            close(client)
            closed.add(1, ordering: .relaxed)
        }
    }

    private static func write(_ fd: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            sent += n
        }
        return true
    }

    private static func readRequest(_ fd: Int32, _ buffer: inout [UInt8], connection: Int) -> Request? {
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 16 << 10)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            guard n > 0 else { return false }
            buffer += chunk[0..<n]
            return true
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            end = buffer.count >= 4 ? (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator } : nil
            if end == nil && !fill() { return nil }
        }
        let head = String(decoding: buffer[0..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        let length =
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        while buffer.count < length { if !fill() { return nil } }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return Request(head: head, body: body, connection: connection)
    }
}

/// A TCP server on a loopback port that closes every connection as soon as it is accepted: a
/// peer that will not talk (a TLS handshake meets the end of the stream).
public final class HangUpServer: Sendable {
    public var port: UInt16 { listener.port }
    private let listener: LoopbackListener

    public init() throws {
        let listener = try LoopbackListener(backlog: 8)
        self.listener = listener
        Thread {
            while let client = listener.accept() { close(client) }
        }.start()
    }

    /// Stops accepting.
    public func stop() { listener.stop() }
}
