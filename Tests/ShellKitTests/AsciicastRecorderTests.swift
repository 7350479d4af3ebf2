import Foundation
import Testing

@testable import ShellKit

/// The pure parts of the asciicast writer: cut UTF-8, line ends, times; and held lines.
@Suite struct AsciicastRecorderTests {
    @Test func aCharacterCutBetweenWritesWaitsForItsRest() {
        let e = Array("é".utf8)
        #expect(AsciicastRecorder.completeUTF8Prefix(Array("ab".utf8) + [e[0]]) == 2)
        #expect(AsciicastRecorder.completeUTF8Prefix(Array("ab".utf8) + e) == 4)
        let emoji = Array("🚀".utf8)
        #expect(AsciicastRecorder.completeUTF8Prefix(Array(emoji.prefix(3))) == 0)
        #expect(AsciicastRecorder.completeUTF8Prefix(emoji) == 4)
        #expect(AsciicastRecorder.completeUTF8Prefix([]) == 0)
    }

    @Test func lineEndsAndTimesAreWrittenAsATerminalAndAsciinemaDo() {
        #expect(AsciicastRecorder.terminalLineEnds(Array("a\nb\r\n".utf8)[...]) == Array("a\r\nb\r\r\n".utf8))
        #expect(AsciicastRecorder.seconds(0) == "0.000000")
        #expect(AsciicastRecorder.seconds(1.5) == "1.500000")
        #expect(AsciicastRecorder.seconds(12.0000014) == "12.000001")
    }

    @Test func aHeldLineIsReplacedWhereItsDrawingBeganAndOtherOutputKeepsItsPlace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.cast").path
        let cast = try AsciicastRecorder(path: path, width: 80, height: 24, idleLimit: 2, term: "xterm", now: 1_700_000_000)
        cast.output(Array("before\n".utf8))
        cast.beginLine()
        cast.editorOutput(Array("extruct> ".utf8))
        cast.editorOutput(Array("token sk_".utf8))
        cast.output(Array("[notice]\n".utf8))
        cast.editorOutput(Array("secret\n".utf8))
        cast.endLine(replacingEditorOutputWith: "extruct> token …\n")
        cast.output(Array("after\n".utf8))
        cast.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(
            lines[0]
                == #"{"version": 2, "width": 80, "height": 24, "timestamp": 1700000000, "idle_time_limit": 2.000000, "title": "extruct-shell", "env": {"TERM": "xterm", "SHELL": "extruct-shell"}}"#
        )
        let texts = lines.dropFirst().map { $0.split(separator: "\"o\", ", maxSplits: 1)[1].dropLast() }
        #expect(texts == [#""before\r\n""#, #""extruct> token …\r\n""#, #""[notice]\r\n""#, #""after\r\n""#])
    }
}
