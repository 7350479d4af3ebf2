import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on a free loopback port that makes a path behave like the internet: every byte
/// reaches the other side half a round trip after it was written, in each direction, and nothing
/// crosses a new connection before one round trip has passed (TCP's handshake). So a request on
/// a fresh connection costs what it costs over the internet — TCP 1 round trip, TLS 1, the
/// request 1 — and HTTP/2's flow control, the wait for the server's SETTINGS or a second
/// connection's handshake all cost their round trips. Bandwidth is not limited (no congestion
/// window: a large answer costs no more than a small one).
///
/// One thread runs every connection with `poll`, so a slow reader holds nothing else up.
/// Bytes wait in memory; a socket that will not take them is written when it can.
public final class DelayRelay: Sendable {
    /// The relay's own port; connections to it are relayed to the upstream port.
    public var port: UInt16 { listener.port }
    public let roundTrip: Duration
    private let listener: LoopbackListener
    private let upstream: (address: String, port: UInt16)
    private let wake: (read: Int32, write: Int32)
    private let log = Mutex<[Event]>([])
    private let running = Atomic(true)

    /// What the relay saw, in order, for tests to look at the wire.
    public struct Event: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// A client connected (and the relay connected upstream).
            case opened
            /// The server's first bytes on that connection reached the client.
            case firstAnswer
            /// Bytes began to go the other way on that connection than the last: a flight of
            /// bytes toward the server (`up`) or the client. Each flight up that follows one down
            /// is a round trip the client waited for.
            case flight(up: Bool)
        }
        public var kind: Kind
        /// Which connection, numbered from 0 in the order they were opened.
        public var connection: Int
        /// Nanoseconds of the monotonic clock.
        public var at: UInt64
    }

    /// A relay to `address:port`, `roundTrip` long.
    public init(to port: UInt16, address: String = "127.0.0.1", roundTrip: Duration) throws(LoopbackError) {
        listener = try LoopbackListener()
        upstream = (address, port)
        self.roundTrip = roundTrip
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            listener.stop()
            throw LoopbackError(errno: errno)
        }
        wake = (fds[0], fds[1])
        for fd in [listener.descriptor, fds[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self)
        pthread_create(
            &thread, nil,
            { context in
                let relay = Unmanaged<DelayRelay>.fromOpaque(context!).takeRetainedValue()
                relay.run()
                return nil
            }, box.toOpaque())
        pthread_detach(thread)
    }

    /// Everything the relay saw so far.
    public var events: [Event] { log.withLock { $0 } }

    /// How many connections were opened through it.
    public var connectionCount: Int { events.filter { $0.kind == .opened }.count }

    /// The flights of bytes toward the server on each connection so far: the round trips its
    /// client began (TLS 1.3 takes 2 before its first answer: the handshake, then the request).
    public var flightsUp: [Int: Int] {
        events.reduce(into: [:]) { counts, event in
            if event.kind == .flight(up: true) { counts[event.connection, default: 0] += 1 }
        }
    }

    /// Stops relaying: the listener and every connection are closed.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 0
        _ = write(wake.write, &byte, 1)
    }

    deinit {
        close(wake.read)
        close(wake.write)
    }

    // MARK: The loop

    /// Bytes on their way in one direction of one connection.
    private struct Direction {
        var from: Int32
        var to: Int32
        /// Chunks in order with the time each may be delivered; an empty chunk is the end.
        var queue: [(due: UInt64, bytes: [UInt8])] = []
        /// Bytes of the first chunk already written.
        var sent = 0
        /// Bytes written in all.
        var delivered = 0
        var readEnded = false
        var writeEnded = false
    }

    private struct Link {
        var number: Int
        var opened: UInt64
        var up: Direction
        var down: Direction
        var answered = false
        var broken = false
        /// The direction of the last bytes read: up (toward the server) or not.
        var lastUp: Bool?
        var done: Bool { broken || (up.writeEnded && down.writeEnded) }
    }

    private var half: UInt64 {
        UInt64(roundTrip.components.seconds) * 500_000_000 + UInt64(roundTrip.components.attoseconds / 2_000_000_000)
    }

    private func run() {
        var links: [Link] = []
        var opened = 0
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        let half = self.half
        while running.load(ordering: .acquiring) {
            var now = Self.now()
            // Deliver what is due.
            for i in links.indices {
                if !deliver(&links[i].up, now: now) { links[i].broken = true }
                if !deliver(&links[i].down, now: now) { links[i].broken = true }
                if !links[i].answered, links[i].down.delivered > 0 {
                    links[i].answered = true
                    record(.firstAnswer, links[i].number, now)
                }
            }
            for link in links where link.done {
                close(link.up.from)
                close(link.down.from)
            }
            links.removeAll { $0.done }
            // Wait for bytes, room, a connection or the next delivery.
            var fds = [pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            var next = UInt64.max
            for link in links {
                for direction in [link.up, link.down] {
                    // A socket that has ended is left out: it would be ready for ever.
                    if !direction.readEnded { fds.append(pollfd(fd: direction.from, events: Int16(POLLIN), revents: 0)) }
                    if let head = direction.queue.first {
                        if head.due <= now {
                            fds.append(pollfd(fd: direction.to, events: Int16(POLLOUT), revents: 0))
                        } else {
                            next = min(next, head.due)
                        }
                    }
                }
            }
            // Whole milliseconds, rounded up: woken early, it would only wait again.
            var timeout: Int32 = 1000
            if next != .max { timeout = Int32(((next > now ? next - now : 0) + 999_999) / 1_000_000) }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            guard ready >= 0 || errno == EINTR else { break }
            now = Self.now()
            if fds[0].revents != 0, let client = acceptClient() {
                if let server = connectLoopback(port: upstream.port, address: upstream.address) {
                    // No Nagle: a path delays bytes, it does not hold a small write back until the
                    // last is acknowledged (40 ms behind a delayed acknowledgement on loopback).
                    var one: Int32 = 1
                    for fd in [client, server] {
                        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    }
                    links.append(
                        Link(number: opened, opened: now, up: Direction(from: client, to: server), down: Direction(from: server, to: client)))
                    record(.opened, opened, now)
                    opened += 1
                } else {
                    close(client)
                }
            }
            // Read what arrived; it is due half a round trip from now, and not before the
            // handshake's round trip is over.
            for i in links.indices {
                let floor = links[i].opened + 2 * half
                for up in [true, false] {
                    var direction = up ? links[i].up : links[i].down
                    while !direction.readEnded {
                        let n = buffer.withUnsafeMutableBytes { recv(direction.from, $0.baseAddress, $0.count, 0) }
                        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK { break }
                        if n < 0, errno == EINTR { continue }
                        let due = max(now, floor) + half
                        if n <= 0 {
                            direction.readEnded = true
                            direction.queue.append((due, []))
                        } else {
                            direction.queue.append((due, Array(buffer[0..<n])))
                            if links[i].lastUp != up {
                                links[i].lastUp = up
                                record(.flight(up: up), links[i].number, now)
                            }
                        }
                    }
                    if up { links[i].up = direction } else { links[i].down = direction }
                }
            }
        }
        listener.stop()
        for link in links {
            close(link.up.from)
            close(link.down.from)
        }
    }

    /// Writes the chunks of `direction` that are due, as far as the socket takes them; false
    /// when the other side is gone.
    private func deliver(_ direction: inout Direction, now: UInt64) -> Bool {
        while let head = direction.queue.first, head.due <= now, !direction.writeEnded {
            if head.bytes.isEmpty {
                shutdown(direction.to, Int32(SHUT_WR))
                direction.writeEnded = true
                direction.queue.removeFirst()
                return true
            }
            let n = head.bytes.withUnsafeBytes {
                send(direction.to, $0.baseAddress! + direction.sent, $0.count - direction.sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return true }
                if errno == EINTR { continue }
                return false
            }
            direction.sent += n
            direction.delivered += n
            if direction.sent == head.bytes.count {
                direction.queue.removeFirst()
                direction.sent = 0
            }
        }
        return true
    }

    private func acceptClient() -> Int32? {
        let client = accept(listener.descriptor, nil, nil)
        return client >= 0 ? client : nil
    }

    private func record(_ kind: Event.Kind, _ connection: Int, _ at: UInt64) {
        log.withLock { $0.append(Event(kind: kind, connection: connection, at: at)) }
    }

    /// The monotonic clock, in nanoseconds.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
