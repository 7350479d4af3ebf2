/// A manual page as data: rendered to roff for `man` and to Markdown for the docs, so the two
/// say the same thing. Text may hold `code spans` in backticks (bold in roff, code in Markdown).
public struct ManualPage: Sendable, Hashable {
    /// The program, e.g. `extruct-shell`.
    public var name: String
    /// The manual section (1 for commands).
    public var section: Int
    /// The one line after the name in NAME.
    public var summary: String
    /// Shown in the footer, e.g. `extruct-shell 0.2.0`.
    public var source: String
    /// The page's date, `YYYY-MM-DD`.
    public var date: String
    /// The SYNOPSIS lines, each a usage.
    public var synopsis: [String]
    public var sections: [Section]

    /// A page with these parts.
    public init(name: String, section: Int = 1, summary: String, source: String, date: String, synopsis: [String], sections: [Section]) {
        self.name = name
        self.section = section
        self.summary = summary
        self.source = source
        self.date = date
        self.synopsis = synopsis
        self.sections = sections
    }

    /// A section: `OPTIONS`, `COMMANDS`…
    public struct Section: Sendable, Hashable {
        public var title: String
        public var blocks: [Block]

        /// A section titled `title` (upper case by convention) holding `blocks`.
        public init(_ title: String, _ blocks: [Block]) {
            self.title = title
            self.blocks = blocks
        }
    }

    /// A piece of a section.
    public indirect enum Block: Sendable, Hashable {
        /// Running text.
        case paragraph(String)
        /// Terms, each with its description: options, commands, settings, files.
        case items([Item])
        /// Lines shown as they are, in a fixed-width font; `info` is the Markdown fence's info
        /// string (`toml`, `sh needs a presenter at a terminal`), which the docs' checks read.
        case example([String], info: String = "")
        /// A heading inside a section, with what belongs to it.
        case subsection(String, [Block])
    }

    /// A term and what it means.
    public struct Item: Sendable, Hashable {
        /// The term, e.g. `` `--api-url` URL ``.
        public var term: String
        public var blocks: [Block]

        /// An item whose description is `text`.
        public init(_ term: String, _ text: String) {
            self.term = term
            self.blocks = [.paragraph(text)]
        }

        /// An item described by `blocks`.
        public init(_ term: String, blocks: [Block]) {
            self.term = term
            self.blocks = blocks
        }
    }

    /// The section called `title`, if there is one.
    public func section(_ title: String) -> Section? { sections.first { $0.title == title } }

    /// Every term and every word of running text, for checks that something is documented.
    public var allText: String {
        func text(_ blocks: [Block]) -> [String] {
            blocks.flatMap { block -> [String] in
                switch block {
                case .paragraph(let p): [p]
                case .items(let items): items.flatMap { [$0.term] + text($0.blocks) }
                case .example(let lines, _): lines
                case .subsection(let title, let inner): [title] + text(inner)
                }
            }
        }
        return ([summary] + synopsis + sections.flatMap { [$0.title] + text($0.blocks) }).joined(separator: "\n")
    }
}

extension ManualPage {
    /// The forms a page can be written in.
    public enum Format: String, Sendable, CaseIterable {
        /// man(7) macros, for `man`.
        case roff
        /// Markdown, for the docs folder.
        case markdown
    }

    /// The page written in `format`.
    public func rendered(as format: Format) -> String {
        switch format {
        case .roff: roff
        case .markdown: markdown
        }
    }
}
