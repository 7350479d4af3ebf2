import DeepSearch

/// The prompt: `extruct> `, or `extruct 3f2a8c1e [in_progress]> ` with a current task.
public enum Prompt {
    /// The prompt for `session`; `forEditor` wraps escapes in `\u{1}` so libedit gives them no width.
    public static func text(for session: Session, style: Style, forEditor: Bool) -> String {
        guard let task = session.currentTask else { return "extruct> " }
        var status = ""
        if let s = session.currentStatus {
            let painted = style.status(s)
            status = " [" + (forEditor && style.isEnabled ? wrapEscapes(painted) : painted) + "]"
        }
        return "extruct \(TextLayout.safe(DeepSearchClient.short(task)))\(status)> "
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
