import DeepSearch
import Testing

/// The answer parser on its own: every framing, fed whole and split at every byte, and every way
/// an answer can be wrong. (The transport tests and the fuzzer drive it over sockets and noise.)
@Suite struct HTTP1ResponseParserTests {
    typealias Failure = HTTP1ResponseParser.Failure

    /// Feeds `pieces` in turn, then says the connection ended; the first complete answer wins.
    static func parse(
        _ pieces: [String], method: String = "GET", limit: Int = 1 << 20
    ) throws(Failure) -> (HTTPResponse, reusable: Bool, rest: [UInt8])? {
        var parser = HTTP1ResponseParser(method: method, maximumBodyBytes: limit)
        var buffer: [UInt8] = []
        for piece in pieces {
            buffer += Array(piece.utf8)
            if case .complete(let response, let reusable) = try parser.parse(&buffer, atEnd: false) { return (response, reusable, buffer) }
        }
        if case .complete(let response, let reusable) = try parser.parse(&buffer, atEnd: true) { return (response, reusable, buffer) }
        return nil
    }

    static let answers: [(name: String, bytes: String, status: Int, body: String, reusable: Bool)] = [
        ("length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello", 200, "hello", true),
        (
            "chunks", "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0A\r\n0123456789\r\n0\r\nT: v\r\n\r\n", 201,
            "abc0123456789", true
        ),
        ("to the close", "HTTP/1.1 200 OK\r\n\r\nall of it", 200, "all of it", false),
        ("continue first", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, "ok", true),
        ("no content", "HTTP/1.1 204 No Content\r\n\r\n", 204, "", true),
        ("closing", "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 404, "{}", false),
        ("1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", 200, "{}", false),
        ("1.0 kept", "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\n{}", 200, "{}", true),
        ("bare LF", "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\n{}", 200, "{}", true),
    ]

    @Test func everyFramingGivesTheSameAnswerHoweverTheBytesArrive() throws {
        for answer in Self.answers {
            let bytes = Array(answer.bytes.utf8)
            for split in 0...bytes.count {
                let pieces = [String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self)]
                let parsed = try #require(try Self.parse(pieces), "\(answer.name) split at \(split)")
                #expect(parsed.0.status == answer.status, "\(answer.name) split at \(split)")
                #expect(String(decoding: parsed.0.body, as: UTF8.self) == answer.body, "\(answer.name) split at \(split)")
                #expect(parsed.reusable == answer.reusable, "\(answer.name) split at \(split)")
            }
            let byteByByte = try #require(try Self.parse(bytes.map { String(decoding: [$0], as: UTF8.self) }))
            #expect(String(decoding: byteByByte.0.body, as: UTF8.self) == answer.body, "\(answer.name) byte by byte")
        }
    }

    @Test func headerFieldsAreKeptInOrderWithTheirCase() throws {
        let parsed = try #require(
            try Self.parse(["HTTP/1.1 429 Too Many Requests\r\nRetry-After:  7 \r\nX-Request-Id: abc\r\nContent-Length: 0\r\n\r\n"]))
        #expect(parsed.0.headers == [HeaderField("Retry-After", "7"), HeaderField("X-Request-Id", "abc"), HeaderField("Content-Length", "0")])
        #expect(parsed.0.header("retry-after") == "7")
    }

    @Test func theAnswerToHEADHasNoBodyWhateverItsLength() throws {
        let parsed = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"], method: "HEAD"))
        #expect(parsed.0.body.isEmpty && parsed.reusable)
    }

    @Test func bytesAfterTheAnswerStayAndMakeTheConnectionUnusable() throws {
        let parsed = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK"]))
        #expect(String(decoding: parsed.rest, as: UTF8.self) == "HTTP/1.1 200 OK")
        #expect(!parsed.reusable)
    }

    @Test(arguments: [
        ("", Failure.cutShort),
        ("HTTP/1.1 200 OK\r\nContent-", .cutShort),
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345", .cutShort),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", .cutShort),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab", .cutShort),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", .cutShort),
        ("<html>\r\n\r\n", .notHTTP("it begins \"<html>\"")),
        ("HTTP/1.1 2000 OK\r\n\r\n", .notHTTP("it begins \"HTTP/1.1 2000 OK\"")),
        ("HTTP/1.1 +20 OK\r\n\r\n", .notHTTP("it begins \"HTTP/1.1 +20 OK\"")),
        ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", .notHTTP("a header line has no colon")),
        ("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", .notHTTP("its Content-Length \"+5\" is not a length")),
        ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", .notHTTP("its Content-Length \"3\" is not a length")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY", .notHTTP("a chunk does not end with CRLF")),
        (
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
            .notHTTP("a chunk size \"fffffffffffffffff\" is not hexadecimal")
        ),
    ])
    func aWrongAnswerIsAFailureThatSaysWhat(_ bytes: String, _ failure: Failure) {
        #expect(throws: failure) { _ = try Self.parse([bytes]) }
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n",
        "HTTP/1.1 200 OK\r\n\r\n0123456789ab",
    ])
    func aBodyOverTheLimitIsRefusedBeforeItIsRead(_ bytes: String) {
        #expect(throws: Failure.tooLarge(status: 200)) { _ = try Self.parse([bytes], limit: 10) }
    }

    @Test func aHeaderThatNeverEndsIsRefusedAt64KiB() {
        let endless = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Pad: 0123456789abcdef\r\n", count: 3000)
        #expect(throws: Failure.notHTTP("its header is longer than 64 KiB")) { _ = try Self.parse([endless]) }
    }
}
