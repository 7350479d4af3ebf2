import Foundation
import Testing

/// Compares `text` with `Golden/NAME.txt`; `RECORD_GOLDEN=1` writes the file instead.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let file = directory.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try? Data((text + "\n").utf8).write(to: file)
        return
    }
    guard let data = FileManager.default.contents(atPath: file.path) else {
        Issue.record("no golden file \(name).txt; run with RECORD_GOLDEN=1 to write it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != text + "\n" {
        let got = text.components(separatedBy: "\n")
        let want = expected.components(separatedBy: "\n")
        let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        Issue.record(
            "\(name).txt differs at line \(line + 1):\n  got:  \(line < got.count ? got[line].debugDescription : "<end>")\n  want: \(line < want.count ? want[line].debugDescription : "<end>")",
            sourceLocation: sourceLocation)
    }
}
