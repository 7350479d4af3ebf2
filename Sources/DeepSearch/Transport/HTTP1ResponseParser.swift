/// Reads one HTTP/1.1 answer from bytes as they arrive, in any pieces: the status line and
/// header fields, then a body by `Content-Length`, by chunks, or to the end of the connection;
/// `1xx` answers before it are skipped. Pure (no I/O), so it is tested and fuzzed on its own.
public struct HTTP1ResponseParser: Sendable {
    /// What the bytes so far amount to.
    public enum Step: Sendable, Equatable {
        /// More bytes are needed.
        case needMore
        /// The answer is complete; `reusable` says whether the connection may carry another request.
        case complete(HTTPResponse, reusable: Bool)
    }

    /// Why the bytes are not an answer the client can use.
    public enum Failure: Error, Sendable, Equatable {
        /// Not HTTP/1.x, or a malformed part of it; the text says what.
        case notHTTP(String)
        /// The body is longer than the limit (the answer's status).
        case tooLarge(status: Int)
        /// The connection ended before the answer did.
        case cutShort
    }

    private enum State: Sendable {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkEnd
        case trailers
        case toClose
    }

    private let method: String
    private let maximumBodyBytes: Int
    private var state = State.head
    private var status = 0
    private var fields: [HeaderField] = []
    private var keepAlive = true
    private var body: [UInt8] = []
    /// Where to go on looking for a line end in the buffer (bytes before it were searched).
    private var searchedUpTo = 0

    /// The longest header section (and chunk-size line) accepted.
    public static let headLimit = 64 << 10

    /// A parser for the answer to a request with `method`, refusing bodies over `maximumBodyBytes`.
    public init(method: String, maximumBodyBytes: Int) {
        self.method = method
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// Consumes what it can of `buffer` (removing it); `atEnd` says the connection has ended and
    /// no more bytes will come. Bytes after the answer are left in the buffer.
    public mutating func parse(_ buffer: inout [UInt8], atEnd: Bool) throws(Failure) -> Step {
        while true {
            switch state {
            case .head:
                guard let end = ByteSearch.firstIndex(of: [0x0D, 0x0A, 0x0D, 0x0A], in: buffer, from: max(0, searchedUpTo - 3)) else {
                    guard buffer.count <= Self.headLimit else { throw .notHTTP("its header is longer than 64 KiB") }
                    searchedUpTo = buffer.count
                    if atEnd { throw .cutShort }
                    return .needMore
                }
                guard end <= Self.headLimit else { throw .notHTTP("its header is longer than 64 KiB") }
                searchedUpTo = 0
                let head = Array(buffer[0..<end])
                buffer.removeFirst(end + 4)
                try readHead(head)
            case .fixed(let remaining):
                let taken = min(remaining, buffer.count)
                body.append(contentsOf: buffer[0..<taken])
                buffer.removeFirst(taken)
                if taken == remaining { return finish(buffer) }
                state = .fixed(remaining: remaining - taken)
                if atEnd { throw .cutShort }
                return .needMore
            case .chunkSize, .trailers:
                guard let line = try takeLine(&buffer) else {
                    if atEnd { throw .cutShort }
                    return .needMore
                }
                if case .trailers = state {
                    if line.isEmpty { return finish(buffer) }
                    continue
                }
                let sizeText = String(
                    decoding: line.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false).first ?? [], as: UTF8.self
                ).trimmingSpaces
                guard !sizeText.isEmpty, sizeText.utf8.count <= 16, let size = Int(sizeText, radix: 16), size >= 0 else {
                    throw .notHTTP("a chunk size \"\(String(sizeText.prefix(20)).withoutControlCharacters)\" is not hexadecimal")
                }
                guard size <= maximumBodyBytes - body.count else { throw .tooLarge(status: status) }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = min(remaining, buffer.count)
                body.append(contentsOf: buffer[0..<taken])
                buffer.removeFirst(taken)
                guard taken == remaining else {
                    state = .chunkData(remaining: remaining - taken)
                    if atEnd { throw .cutShort }
                    return .needMore
                }
                state = .chunkEnd
            case .chunkEnd:
                guard buffer.count >= 2 else {
                    if atEnd { throw .cutShort }
                    return .needMore
                }
                guard buffer[0] == 0x0D, buffer[1] == 0x0A else { throw .notHTTP("a chunk does not end with CRLF") }
                buffer.removeFirst(2)
                state = .chunkSize
            case .toClose:
                guard body.count + buffer.count <= maximumBodyBytes else { throw .tooLarge(status: status) }
                body.append(contentsOf: buffer)
                buffer.removeAll()
                guard atEnd else { return .needMore }
                keepAlive = false
                return finish(buffer)
            }
        }
    }

    /// Reads the status line and header fields; decides how the body is framed.
    private mutating func readHead(_ head: [UInt8]) throws(Failure) {
        let lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        let statusLine = lines[0].split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard statusLine.count >= 2, statusLine[0].starts(with: "HTTP/1."), statusLine[1].utf8.count == 3, Self.isDigits(statusLine[1]),
            let code = Int(statusLine[1]), (100...999).contains(code)
        else {
            throw .notHTTP("it begins \"\(String(lines[0].prefix(40)).withoutControlCharacters)\"")
        }
        status = code
        fields = []
        keepAlive = statusLine[0] != "HTTP/1.0"
        var contentLength: Int?
        var chunked = false
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .notHTTP("a header line has no colon") }
            let name = String(line[..<colon]).trimmingSpaces
            let value = String(line[line.index(after: colon)...]).trimmingSpaces
            fields.append(HeaderField(name, value))
            switch name.lowercased() {
            case "content-length":
                guard value.utf8.count <= 18, Self.isDigits(value), let length = Int(value), contentLength == nil || contentLength == length else {
                    throw .notHTTP("its Content-Length \"\(String(value.prefix(20)).withoutControlCharacters)\" is not a length")
                }
                contentLength = length
            case "transfer-encoding":
                chunked = value.lowercased().split(separator: ",").last.map { String($0).trimmingSpaces == "chunked" } ?? false
                if !chunked { throw .notHTTP("its Transfer-Encoding \"\(String(value.prefix(20)).withoutControlCharacters)\" is not supported") }
            case "connection":
                let tokens = value.lowercased().split(separator: ",").map { String($0).trimmingSpaces }
                if tokens.contains("close") { keepAlive = false } else if tokens.contains("keep-alive") { keepAlive = true }
            default:
                break
            }
        }
        // 1xx answers (100 Continue, 103 Early Hints) come before the real one; 101 would switch
        // protocols, which this client never asks for.
        if (100..<200).contains(code) && code != 101 {
            state = .head
            return
        }
        body = []
        if method == "HEAD" || code == 204 || code == 304 || code == 101 {
            state = .fixed(remaining: 0)
        } else if chunked {
            state = .chunkSize
        } else if let contentLength {
            guard contentLength <= maximumBodyBytes else { throw .tooLarge(status: code) }
            state = .fixed(remaining: contentLength)
        } else {
            state = .toClose
        }
    }

    /// The answer; bytes after it mean the connection cannot be trusted with another request.
    private func finish(_ rest: [UInt8]) -> Step {
        .complete(HTTPResponse(status: status, headers: fields, body: body), reusable: keepAlive && rest.isEmpty)
    }

    /// A CRLF-ended line (without its CRLF), or nil when it has not all arrived.
    private mutating func takeLine(_ buffer: inout [UInt8]) throws(Failure) -> [UInt8]? {
        guard let end = ByteSearch.firstIndex(of: [0x0D, 0x0A], in: buffer, from: max(0, searchedUpTo - 1)) else {
            guard buffer.count <= Self.headLimit else { throw .notHTTP("a chunk line is longer than 64 KiB") }
            searchedUpTo = buffer.count
            return nil
        }
        guard end <= Self.headLimit else { throw .notHTTP("a chunk line is longer than 64 KiB") }
        searchedUpTo = 0
        let line = Array(buffer[0..<end])
        buffer.removeFirst(end + 2)
        return line
    }

    private static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
