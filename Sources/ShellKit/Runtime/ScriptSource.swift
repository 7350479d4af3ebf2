import Foundation
import LineEditing

/// One command of a script, with the line it starts on.
public struct ScriptLine: Sendable, Hashable {
    public var number: Int
    public var text: String
}

/// Reads the script format: UTF-8 (an optional BOM), LF or CRLF, `#` comments and blank lines,
/// a trailing `\` continuing a line on the next.
public enum ScriptSource {
    /// A script that cannot be read.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
        public var line: Int?
    }

    /// The commands of `bytes`; lines that are blank or only a comment are left out.
    public static func lines(_ bytes: [UInt8]) throws(Unreadable) -> [ScriptLine] {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var result: [ScriptLine] = []
        var pending: (number: Int, text: String)?
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var raw = line
            if raw.last == UInt8(ascii: "\r") { raw = raw.dropLast() }
            if raw.contains(0) {
                throw Unreadable(description: "line \(number) holds a NUL byte; scripts are text", line: number)
            }
            guard var text = String(validating: raw, as: UTF8.self) else {
                throw Unreadable(description: "line \(number) is not valid UTF-8", line: number)
            }
            let startLine = pending?.number ?? number
            if let p = pending { text = p.text + text }
            pending = nil
            if continues(text) {
                text.removeLast()
                pending = (startLine, text)
            } else {
                let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
                if !trimmed.isEmpty, !trimmed.hasPrefix("#") { result.append(ScriptLine(number: startLine, text: text)) }
            }
        }
        if let p = pending {
            let trimmed = p.text.drop(while: { $0 == " " || $0 == "\t" })
            if !trimmed.isEmpty, !trimmed.hasPrefix("#") { result.append(ScriptLine(number: p.number, text: p.text)) }
        }
        return result
    }

    /// Whether the line ends in an unescaped backslash.
    static func continues(_ text: String) -> Bool {
        var count = 0
        for c in text.reversed() {
            if c == "\\" { count += 1 } else { break }
        }
        return count % 2 == 1
    }

    /// Reads the script at `path`.
    public static func lines(atPath path: String) throws(Unreadable) -> [ScriptLine] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Unreadable(description: "cannot read \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw Unreadable(description: "cannot read \(path): it is a directory") }
        guard let data = FileContents.read(path) else {
            throw Unreadable(description: "cannot read \(path): permission denied")
        }
        return try lines(data)
    }
}
