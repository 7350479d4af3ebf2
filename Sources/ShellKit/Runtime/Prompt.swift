import DeepSearch

/// The prompt: `extruct> `, or `extruct 3f2a8c1e [in_progress]> ` with a current task, with
/// `lesson 2 · 3/6 ` before it while a lesson runs.
public enum Prompt {
    /// Where a lesson is, for the prompt: its label (`2`) and step (`3/6`).
    public struct Lesson: Sendable, Hashable {
        public var label: String
        public var step: String

        public init(label: String, step: String) {
            self.label = label
            self.step = step
        }
    }

    /// The prompt for `session` on a terminal `columns` wide (nil: as wide as it takes): it keeps
    /// to half the line, or all but 32 columns when that is more, so there is room to type; the
    /// words go first (`lesson 2 · 3/6 extruct ` becomes `2·3/6 `), then the status.
    /// `forEditor` wraps escapes in `\u{1}` so libedit gives them no width.
    public static func text(for session: Session, lesson: Lesson? = nil, columns: Int? = nil, style: Style, forEditor: Bool) -> String {
        var status = ""
        if let s = session.currentStatus {
            let painted = style.status(s)
            status = " [" + (forEditor && style.isEnabled ? wrapEscapes(painted) : painted) + "]"
        }
        let task = session.currentTask.map { TextLayout.safe(DeepSearchClient.short($0)) }
        let long = lesson.map { "lesson \($0.label) · \($0.step) " } ?? ""
        let short = lesson.map { "\($0.label)·\($0.step) " } ?? ""
        var forms: [String]
        if let task {
            forms = [long + "extruct \(task)\(status)> ", long + "\(task)\(status)> ", short + "\(task)\(status)> ", short + "\(task)> "]
        } else {
            forms = [long + "extruct> ", short + "extruct> ", short + "> "]
        }
        guard let columns else { return forms[0] }
        let budget = max(columns / 2, columns - 32)
        return forms.first { TextLayout.visibleWidth($0.replacing("\u{1}", with: "")) <= budget } ?? forms.last!
    }

    /// Each ANSI escape sequence between `\u{1}` markers.
    static func wrapEscapes(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if scalar == "\u{1B}" {
                out += "\u{1}"
                inEscape = true
            }
            out.unicodeScalars.append(scalar)
            if inEscape, scalar == "m" {
                out += "\u{1}"
                inEscape = false
            }
        }
        return out
    }
}
