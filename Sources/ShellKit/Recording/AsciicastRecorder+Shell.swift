import LineEditing

/// How the shell casts: every write of the console and of the line editor, and each line read
/// at the prompt as history keeps it.
extension AsciicastRecorder {
    /// Records what `console` writes and what the line editor draws from now on.
    func attach(to console: Console) {
        console.setTap { self.output($0) }
        EditorOutput.observe { self.editorOutput($0) }
    }

    /// Stops recording `console` and the editor, and closes the file.
    func detach(from console: Console) {
        EditorOutput.observe(nil)
        console.setTap(nil)
        close()
    }

    /// Ends the line read at `prompt` with `result`: a line typed as history keeps it (`kept`
    /// gives that) is kept as drawn; any other (`token VALUE`, a token pasted, a discarded line)
    /// is shown as the prompt and what history keeps, so a token typed at the prompt never
    /// reaches the file.
    func endLine(after result: LineReadResult, prompt: String, kept: (String) -> String) {
        switch result {
        case .line(let line):
            let shown = kept(line)
            endLine(replacingEditorOutputWith: shown == line ? nil : prompt + shown + "\n")
        case .interrupted:
            endLine(replacingEditorOutputWith: prompt + "^C\r\n")
        case .stopped:
            endLine(replacingEditorOutputWith: prompt + "\n")
        case .endOfInput:
            endLine(replacingEditorOutputWith: nil)
        }
    }
}
