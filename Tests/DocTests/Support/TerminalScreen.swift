import Foundation
import POSIXSupport

/// What a terminal of `columns` shows after a program wrote `output` to it: enough of an xterm
/// for a line-edited shell (printing with wide characters and auto-wrap, carriage return, line
/// feed, backspace, tab; cursor movement, erasing and inserting of the CSI sequences libedit and
/// the shell use; everything else ignored), with the whole scroll-back kept.
///
/// `lines` are the logical lines: a row the cursor wrapped into is joined to the row before, so
/// an 83-character command typed at 80 columns reads as the one line it is.
struct TerminalScreen {
    let columns: Int
    let rows: Int
    private var grid: [[String]] = [[]]
    /// Whether a row continues the row before it (the cursor wrapped into it).
    private var continues: [Bool] = [false]
    private var row = 0
    private var column = 0
    private var pendingWrap = false

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    init(columns: Int, rows: Int, output: String) {
        self.init(columns: columns, rows: rows)
        write(output)
    }

    /// The logical lines, trailing spaces removed.
    var lines: [String] {
        var out: [String] = []
        for (index, cells) in grid.enumerated() {
            let text = cells.joined()
            if index > 0, continues[index] { out[out.count - 1] += text } else { out.append(text) }
        }
        return out.map {
            var line = $0
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    mutating func write(_ text: String) {
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\u{1B}": escape(&scalars)
            case "\r":
                column = 0
                pendingWrap = false
            case "\n":
                lineFeed()
            case "\u{08}":
                if pendingWrap { pendingWrap = false } else { column = max(0, column - 1) }
            case "\t":
                column = min(columns - 1, (column / 8 + 1) * 8)
            case "\u{07}", "\u{00}":
                continue
            default:
                if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { continue }
                put(scalar)
            }
        }
    }

    private mutating func lineFeed() {
        pendingWrap = false
        row += 1
        if row == grid.count {
            grid.append([])
            continues.append(false)
        }
    }

    /// Makes sure the current row has cells up to `count`.
    private mutating func pad(_ count: Int) {
        while grid[row].count < count { grid[row].append(" ") }
    }

    private mutating func put(_ scalar: Unicode.Scalar) {
        let width = TextWidth.of(scalar)
        if width == 0 {
            // A combining mark joins the character before it.
            let at = max(0, (pendingWrap ? column : column - 1))
            if at < grid[row].count { grid[row][at].unicodeScalars.append(scalar) }
            return
        }
        if pendingWrap || column + width > columns {
            lineFeed()
            continues[row] = true
            column = 0
        }
        pad(column + width)
        grid[row][column] = String(scalar)
        if width == 2 { grid[row][column + 1] = "" }
        column += width
        if column >= columns {
            column = columns - 1
            pendingWrap = true
        }
    }

    /// The top row of the visible screen (cursor addressing is relative to it).
    private var top: Int { max(0, grid.count - rows) }

    private mutating func escape(_ scalars: inout Substring.UnicodeScalarView) {
        guard let next = scalars.popFirst() else { return }
        switch next {
        case "[":
            var parameters = ""
            var final: Unicode.Scalar = "m"
            while let s = scalars.popFirst() {
                if (0x40...0x7E).contains(s.value) {
                    final = s
                    break
                }
                parameters.unicodeScalars.append(s)
            }
            csi(final, parameters)
        case "]":
            // An operating system command, up to BEL or ESC \.
            while let s = scalars.popFirst() {
                if s == "\u{07}" { break }
                if s == "\u{1B}" {
                    _ = scalars.popFirst()
                    break
                }
            }
        case "(", ")", "#":
            _ = scalars.popFirst()
        default:
            break
        }
    }

    private mutating func csi(_ final: Unicode.Scalar, _ parameters: String) {
        if parameters.hasPrefix("?") || parameters.hasPrefix(">") { return }
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let n = max(1, (numbers.first ?? nil) ?? 1)
        let first = (numbers.first ?? nil) ?? 0
        switch final {
        case "K":
            pad(column)
            switch first {
            case 1: for c in 0...min(column, grid[row].count - 1) where c >= 0 { grid[row][c] = " " }
            case 2: grid[row] = []
            default: grid[row].removeSubrange(min(column, grid[row].count)...)
            }
            pendingWrap = false
        case "J":
            if first == 2 || first == 3 {
                for r in top..<grid.count { grid[r] = [] }
            } else if first == 0 {
                grid[row].removeSubrange(min(column, grid[row].count)...)
                for r in (row + 1)..<grid.count { grid[r] = [] }
            }
        case "A":
            row = max(top, row - n)
            pendingWrap = false
        case "B":
            for _ in 0..<n { lineFeed() }
        case "C":
            column = min(columns - 1, column + n)
            pendingWrap = false
        case "D":
            column = max(0, column - n)
            pendingWrap = false
        case "G":
            column = min(columns - 1, n - 1)
            pendingWrap = false
        case "H", "f":
            let r = numbers.count > 0 ? max(1, numbers[0] ?? 1) : 1
            let c = numbers.count > 1 ? max(1, numbers[1] ?? 1) : 1
            row = top + r - 1
            while row >= grid.count {
                grid.append([])
                continues.append(false)
            }
            column = min(columns - 1, c - 1)
            pendingWrap = false
        case "P":
            if column < grid[row].count { grid[row].removeSubrange(column..<min(grid[row].count, column + n)) }
        case "@":
            pad(column)
            grid[row].insert(contentsOf: Array(repeating: " ", count: n), at: column)
            if grid[row].count > columns { grid[row].removeLast(grid[row].count - columns) }
        case "X":
            pad(column + n)
            for c in column..<(column + n) { grid[row][c] = " " }
        default:
            break
        }
    }
}
