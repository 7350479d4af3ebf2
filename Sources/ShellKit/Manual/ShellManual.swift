import DeepSearch
import Manual

/// extruct-shell(1): the user manual, as psql(1) is. The options come from the command-line
/// parser, the commands from the same ``CommandSpec``s that `help` prints, the settings from
/// ``Settings/catalog``; the rest is written here once, for the man page and docs/manual.md.
@MainActor
public enum ShellManual {
    /// The page, with `options` (from ArgumentParser's description of the flags) as OPTIONS.
    public static func page(options: [ManualPage.Item], registry: CommandRegistry = .standard) -> ManualPage {
        ManualPage(
            name: "extruct-shell", summary: "an interactive shell for Extruct's Deep Search API",
            source: "extruct-shell \(ProductVersion.current)", date: ProductVersion.date,
            synopsis: [
                "extruct-shell [OPTIONS]",
                "extruct-shell [OPTIONS] SCRIPT",
                "extruct-shell [OPTIONS] -c COMMAND [-c COMMAND]… [-i]",
                "extruct-shell --demo",
                "extruct-shell --tutorial",
            ],
            sections: [
                .init("DESCRIPTION", description),
                .init("OPTIONS", [.items(options)]),
                .init("COMMANDS", commands(registry)),
                .init("SETTINGS", settings),
                .init("KEYS", keys),
                .init("CONFIGURATION", configuration),
                .init("NETWORK", network),
                .init("SCRIPTS", scripts),
                .init("TUTORIAL", tutorial),
                .init("ENVIRONMENT", [.items(environment)]),
                .init("FILES", [.items(files)]),
                .init("EXIT STATUS", [.items(exitStatus)]),
                .init("EXAMPLES", examples),
                .init(
                    "SEE ALSO",
                    [.paragraph("`extruct-sim`(1), `curl`(1); the API: https://docs.extruct.ai; tokens: https://app.extruct.ai/api-tokens.")]),
            ])
    }

    static let description: [ManualPage.Block] = [
        .paragraph(
            "extruct-shell talks to Extruct's Deep Search API: it starts company-discovery tasks, follows them through the funnel (discovered, enriched, evaluated, high-fit), pages through their results and resumes them for more, up to the 250-result cap. People use it by hand at a line-edited prompt, from scripts, and for live demos."
        ),
        .paragraph(
            "Without a script, on a terminal, it is interactive: history, Tab completion, a prompt that shows the current task. With SCRIPT, `-f`, `-c`, or standard input that is not a terminal, it plays the commands and exits with a status that says how it went."
        ),
        .paragraph(
            "The API URL comes from `--api-url`, else `EXTRUCT_API_URL`, else the profile of the configuration file, else https://api.extruct.ai. The token comes from `--token`, else `EXTRUCT_API_TOKEN`, else the profile. `--demo` needs neither: it starts a simulator of the API inside the shell."
        ),
        .paragraph(
            "Results go to standard output; prompts, progress and `error:` lines to standard error, so `extruct-shell -c 'use f2dc2742' -c 'results --all' --json > results.jsonl` holds only JSON: with `--json` (or `set output json`) each command prints one document, indented on a terminal and otherwise compact on one line (JSON Lines), which `jq` and any JSON Lines reader take line by line. Every error is one line that says what happened and what to do; the session stays as it was before the failed command."
        ),
    ]

    static func commands(_ registry: CommandRegistry) -> [ManualPage.Block] {
        let items = registry.commands.map { command -> ManualPage.Item in
            let spec = command.spec
            var blocks: [ManualPage.Block] = [.paragraph(spec.abstract)]
            if !spec.discussion.isEmpty { blocks.append(.paragraph(spec.discussion.split(separator: "\n").joined(separator: " "))) }
            if !spec.aliases.isEmpty { blocks.append(.paragraph("Also: " + spec.aliases.map { "`\($0)`" }.joined(separator: ", ") + ".")) }
            if !spec.flags.isEmpty {
                blocks.append(
                    .items(
                        spec.flags.map { flag in
                            let term = "`\(flag.name)`" + (flag.valueNames.isEmpty ? "" : " \(flag.valueNames)")
                            return ManualPage.Item(term, sentence(flag.help) + (flag.repeatable ? " Repeatable." : ""))
                        }))
            }
            blocks.append(.example(spec.examples))
            return ManualPage.Item("`\(spec.synopsis)`", blocks: blocks)
        }
        return [
            .paragraph(
                "Words are split as a POSIX shell splits them: single and double quotes, backslash escapes; `#` starts a comment outside quotes. `help` lists the commands and `help COMMAND` explains one, with the same text as here."
            ),
            .paragraph(
                "Wherever a command takes a task ID (`use`, `status`, `create --exclude-task`), the start of the id will do, such as the eight characters `tasks` shows, in any process: a task seen in this session is matched at once, any other is looked for in the task list, page by page. When several tasks begin with what you typed they are listed; when none does, the error says so (on `--demo`, whose tasks are new in every run, it says that too). `record` writes the whole id."
            ),
            .items(items),
        ]
    }

    static var settings: [ManualPage.Block] {
        [
            .paragraph("`set NAME VALUE` changes a setting for the session, `set` shows them all, `unset NAME` puts one back to its default."),
            .items(
                Settings.table.map { setting in
                    let aliases = setting.aliases.map { " Also spelled `\($0)`." }.joined()
                    return ManualPage.Item(
                        "`\(setting.name)` \(setting.shape)", "\(sentence(setting.help))\(aliases) Default: \(setting.defaultValue).")
                }),
        ]
    }

    /// `text` as a sentence: a capital first and a full stop last.
    static func sentence(_ text: String) -> String {
        let capital = text.prefix(1).uppercased() + text.dropFirst()
        return capital.hasSuffix(".") ? capital : capital + "."
    }

    static let keys: [ManualPage.Block] = [
        .paragraph(
            "The prompt is libedit with Emacs bindings. Up and Down walk the history, Ctrl-R searches it, Tab completes commands, options, task ids (this session's, and the last ones seen on the same API, from the cache), setting names and file paths; it never asks the network."
        ),
        .items([
            .init(
                "Ctrl-C",
                "At the prompt, discards the line. During a request, cancels it and returns to the prompt. During `watch`, stops watching. In playback, stops the script (exit status 130)."
            ),
            .init("Ctrl-D", "On an empty line, leaves the shell."),
            .init("Ctrl-L", "Clears the screen."),
        ]),
        .paragraph("A line that starts with a space is not kept in the history. The terminal is restored on every way out, a crash included."),
        .paragraph(
            "What the shell draws is laid out for the terminal's width and laid out again when the window changes: the prompt keeps room to type (`lesson 2 · 3/6 extruct 3f2a8c1e [in_progress]>` becomes `2·3/6 3f2a8c1e>` at 40 columns), `watch` gives up its bar, then its long labels, rather than wrap, and no number in a table is cut. Keys typed while a command runs are not shown over its output; they wait for the next prompt, which shows them."
        ),
        .paragraph(
            "While the prompt waits, the tasks made, resumed or used in this session that have not ended are asked about quietly, at `poll_interval` but never more than once in 5 seconds a task, and less and less often while the API answers with errors. When one ends, a line such as `[f2dc2742 done · 50 of 50 results · 3 min]` or `[f2dc2742 failed · 40 s]` appears above the prompt; the line being typed stays as it was and the prompt shows the new status. Only the status decides (`is_exhausted` alone is no end). `set notify off` turns this off; there are no such requests in playback, with `--record-http`, `--replay-http` or `--dry-run`."
        ),
    ]

    static let configuration: [ManualPage.Block] = [
        .paragraph(
            "`$XDG_CONFIG_HOME/extruct-shell/config.toml` (by default ~/.config/extruct-shell/config.toml) is a TOML 1.0 file (https://toml.io) of named profiles; `--profile NAME` picks one, else `default_profile`, else a profile called `default`, else the only one there is. Flags and environment variables win over the profile."
        ),
        .paragraph(
            "A profile is a `[profiles.NAME]` table (`[profile.NAME]` and `[NAME]` work too, as do dotted keys and inline tables); keys at the top level are the profile `default`. A profile takes:"
        ),
        .items(ConfigFile.profileKeys.map { ManualPage.Item("`\($0.name)`", sentence($0.help)) }),
        .example(
            [
                "default_profile = \"work\"",
                "",
                "[profiles.work]",
                "api_url = \"https://api.extruct.ai\"",
                "token = \"…\"",
                "",
                "[profiles.local]",
                "api_url = \"http://127.0.0.1:8080\"",
                "token = \"demo\"",
            ], info: "toml"),
        .paragraph(
            "A syntax error names the line and column; an unknown key or a value of the wrong type names the line and the key. A file that holds a token must not be readable by group or others: the shell refuses it and says to run chmod 600."
        ),
    ]

    static let network: [ManualPage.Block] = [
        .paragraph(
            "Every request to an https:// API verifies the server's certificate; there is no switch to turn that off. The certificate authorities trusted are the system's, plus the PEM bundle named by `--ca-file`, else `EXTRUCT_CA_FILE`, else the profile's `ca_file`, plus `SSL_CERT_FILE` when it is set. A bundle adds to the system's roots, it does not replace them: a bundle holding only a TLS-inspecting gateway's CA is enough, and the API stays trusted without the gateway. `--ca-file` is checked at start; the others are read when the first https:// request needs them, so a stale one never stops `--demo` or plain http: a missing or unusable `SSL_CERT_FILE` (common after an upgrade) is one warning and is left out; one from `EXTRUCT_CA_FILE` or a profile fails each https:// request until it is fixed."
        ),
        .paragraph(
            "A proxy is taken from `--proxy`, else the profile's `proxy`, else `https_proxy` or `HTTPS_PROXY` (for https:// URLs), `http_proxy` or `HTTP_PROXY` (for http://), `all_proxy` or `ALL_PROXY` (for both), as curl reads them; only http:// proxies are supported, and https:// goes through them with CONNECT, so the proxy resolves the API's name. Credentials in the proxy URL (`http://USER:PASSWORD@HOST:PORT`) are sent as `Proxy-Authorization` and never printed, logged, recorded or kept. `no_proxy` or `NO_PROXY` lists hosts reached directly: host names (each also covering its subdomains; a leading dot is optional), IP addresses and ranges (`10.0.0.0/8`), each with an optional `:PORT`, or `*` for all. A URL whose host is this machine (`localhost`, 127.0.0.0/8, ::1) always goes direct, so `--demo` and a local simulator work whatever the proxy. A proxy that will not open the tunnel is named with its answer: 403, it refuses the host (ask for it to be allowed, or use `NO_PROXY`); 407, it wants credentials or refused them; 502, 503 or 504 (or squid naming a failure to connect or resolve), it could not reach the API; any other status, its own failure."
        ),
        .paragraph(
            "A certificate that is not trusted, expired or issued for another host, a server that does not speak TLS, and a proxy that refuses are each one error line that names the host or the proxy and says what to do; they cannot heal by themselves and are not retried. At the start of an interactive session the shell opens its connection (TCP, TLS, a proxy's tunnel) while you type, so the first command costs one round trip. `results --all` and `export` ask for their pages together, at most four at a time."
        ),
        .paragraph(
            "`doctor` checks each step on its own, in the order a request takes them: the API URL, the host name looked up (or the proxy's, when the proxy looks the API's up), the proxy and where it came from (a CONNECT through it), the TLS handshake with the trust above (the server's certificate: whom it is for, who issued it, until when; the CA files in use), `GET /v1/healthcheck`, the token, the plan and the credits. Each step that fails says what to do, and the steps it blocks are shown skipped; each network step waits at most 10 seconds (or `timeout`, when shorter) and Ctrl-C ends it."
        ),
    ]

    static let scripts: [ManualPage.Block] = [
        .paragraph(
            "A script (`.exsh`) is UTF-8 text, one command a line, in the prompt's language: `#` comments, blank lines, a trailing backslash continues a line; CRLF line ends and a byte-order mark are accepted. A comment line that starts with `#:` is narration: shown, dimmed, where commands are shown (`--echo`, `--typing`, `--step`), a comment otherwise. A first line `#!/usr/bin/env extruct-shell` makes a script with its run bit a program."
        ),
        .paragraph(
            "The whole file is checked for quoting and unknown commands before anything runs. Playback stops at the first failed command with `error: FILE:LINE: COMMAND: message` and the chain of scripts that sourced it; `--continue-on-error` goes on and still exits non-zero."
        ),
        .items([
            .init(
                "Variables",
                "`set NAME VALUE`, then `$NAME` or `${NAME}`. Environment variables expand the same way. `$task` is the current task, `$last.FIELD` a field of the last response (`$last.results[0].company_name`). An unset variable is an error that names it."
            ),
            .init(
                "Checks",
                "`expect LHS OP RHS` with `==`, `!=`, `<`, `<=`, `>`, `>=`, or `~` (contains, or `/regex/`). LHS is a field of the last response, `error` (the last HTTP status, 0 when no answer came) or a value such as `$last.query`. A failed check prints what it saw and stops the script with status 3."
            ),
            .init(
                "Expected failures",
                "`try COMMAND` runs a command that may fail: its error is shown, the script goes on, and `error` holds its status (`try resume 25`, then `expect error == 400`)."
            ),
            .init(
                "Recording",
                "`record FILE` writes every command that succeeds from then on as a runnable script, until `record stop`: task ids made by `create` become variables, ids typed in part are written whole, a token is written as `$EXTRUCT_API_TOKEN`."
            ),
            .init(
                "Cassettes",
                "`--record-http FILE` appends every HTTP exchange to FILE (JSON Lines, mode 0600, `Authorization: Bearer …`); `--replay-http FILE` answers every request from it, in order, once each, offline."
            ),
            .init(
                "Demos",
                "`--echo` prints each command as it would appear at the prompt; `--typing MS` types it out key by key; `sleep` and `echo` pace a script; `--dry-run` prints the HTTP request each command would send and sends nothing, and the session goes on as if each were answered: `use ID` makes the task current, and after `create` the placeholder `NEW-TASK-ID` stands for the id the API would return."
            ),
            .init(
                "Casts",
                "`--cast FILE` records what the terminal shows, in playback or at the prompt, as an asciicast v2 file (`asciinema play FILE` plays it; asciinema.org and its web player share it): each write at the time it happened, typing as it was typed, pauses longer than `--cast-idle-limit S` (default 2) cut to that. The file is mode 0600 and holds no token: a line typed at the prompt that history would not keep as typed (`token VALUE`) is recorded as history keeps it, and a discarded line as the prompt and `^C`."
            ),
            .init(
                "Presenting",
                "`--step` paces a script for a live audience: before each command the prompt is shown and the shell waits for a key, then types the command out (at `--typing MS`, default 40) and waits for Enter to run it. `s` skips the command (shown as skipped), `q`, Ctrl-C or Ctrl-D stops (exit 130), `i` opens the prompt on the session as it stands and Ctrl-D there goes back to the script. After `i`, a command that fails (an `expect` the changes broke) does not end the demo: the presenter chooses `r` to run it again, `c` to go on, `q` to stop, or `i` for the prompt. `pause [TEXT]` shows TEXT and waits for a key under `--step`, and does nothing in any other playback, so the same script runs unattended in CI. `--step` needs a terminal on standard input."
            ),
        ]),
    ]

    static let tutorial: [ManualPage.Block] = [
        .paragraph(
            "`extruct-shell --tutorial` starts the shell on the built-in simulator and lists the lessons; `tutorial N` (or its name) starts one. A lesson explains a step, then waits for you to type it; the prompt shows where you are (`lesson 2 · 3/6 extruct>`). The command the step asks for runs and is checked; the same command with other values is not run when the step changes things (`resume 40` when it asks for `resume 30`), and the exact line is shown; another command runs too if it only reads, and a hint follows; after two misses, or on `hint`, the lesson shows the command; Ctrl-C in the step's command is no miss; `skip` runs it for you; `tutorial stop` or Ctrl-D leaves the lesson, `tutorial N` goes on where you left it, and `tutorial continue` goes on with the lesson you were in last."
        ),
        .paragraph(
            "Lessons never run on the API: on any other session a lesson starts the built-in simulator for itself and puts the session back when it ends. The lessons shipped: first steps (tasks, use, status, results, show), resume and the 250 cap, exhaustion and `create --exclude-task`, watching a task, and scripts (record, expect, source)."
        ),
        .paragraph(
            "A lesson is a file a team can write for its own searches (`tutorial ./ours.lesson`; `tutorial print 1` shows a shipped one): a line `lesson NAME`, `title` and `about`, then `say TEXT` lines to show, `run COMMAND` lines done quietly, and for each step `step COMMAND` (what to type), optionally `check EXPRESSION` (an `expect` that must hold afterwards) and `hint TEXT`. `$lesson_dir` is a folder made for the lesson's files."
        ),
    ]

    static let environment: [ManualPage.Item] = [
        .init(
            "`EXTRUCT_API_TOKEN`",
            "The API token, from https://app.extruct.ai/api-tokens. Preferred to `--token`, which other users can see in ps(1)."),
        .init("`EXTRUCT_API_URL`", "The API base URL, when `--api-url` is not given."),
        .init(
            "`EXTRUCT_DEMO_SPEED`",
            "How much faster than real the built-in simulator of `--demo`, `--tutorial` and lessons runs: a number from 0.001 to 1000000 (default 10)."
        ),
        .init("`EXTRUCT_CA_FILE`", "A PEM bundle of certificate authorities to trust besides the system's, when `--ca-file` is not given."),
        .init("`SSL_CERT_FILE`", "Another PEM bundle to trust, as curl and git read it."),
        .init("`https_proxy`, `HTTPS_PROXY`", "The proxy for https:// URLs, when `--proxy` and the profile name none."),
        .init("`http_proxy`, `HTTP_PROXY`", "The proxy for http:// URLs."),
        .init("`all_proxy`, `ALL_PROXY`", "The proxy for both, when the two above are not set."),
        .init("`no_proxy`, `NO_PROXY`", "Hosts reached without the proxy (see NETWORK)."),
        .init("`NO_COLOR`", "When set, no ANSI colour (as `--no-color`)."),
        .init(
            "`TERM`",
            "`dumb`, or a terminal terminfo does not know, gets plain text: no colour, no cursor movement, no line editor (the terminal's own line editing), `watch` prints a line per change, and no notices are drawn over the prompt."
        ),
        .init("`COLUMNS`", "The width to lay text out for when standard output and standard error are not a terminal (default 100)."),
        .init("`XDG_CONFIG_HOME`", "Where the configuration file lives (default ~/.config)."),
        .init("`XDG_STATE_HOME`", "Where the history, the tutorial's progress and the chain live (default ~/.local/state)."),
        .init("`XDG_CACHE_HOME`", "Where the task ids Tab completes are kept (default ~/.cache)."),
        .init("`HOME`", "The home directory; `~` in paths."),
    ]

    static let files: [ManualPage.Item] = [
        .init(
            "`$XDG_STATE_HOME/extruct-shell/history`",
            "The interactive history: mode 0600 (a looser mode is tightened), appended right after each command so a killed shell loses nothing; repeats and lines starting with a space are left out, and a token typed inline is kept as `token …`."
        ),
        .init(
            "`$XDG_STATE_HOME/extruct-shell/tutorial.json`",
            "How far you got in each lesson (mode 0600); `tutorial reset` forgets it."
        ),
        .init(
            "`$XDG_STATE_HOME/extruct-shell/chain.json`",
            "The chain `collect` made on each API (its tasks, what each found), so a later shell shows it and `collect --continue` goes on (mode 0600, written whole). Not kept for `--demo`, a dry run or a cassette's replay; `chain clear` forgets it."
        ),
        .init(
            "`$XDG_CACHE_HOME/extruct-shell/task-ids.json`",
            "The task ids last seen on each API (the last `tasks` list and the tasks made or used since), for Tab in a later shell (mode 0600). Not kept for `--demo`, whose tasks last as long as the process. Safe to delete."
        ),
        .init(
            "`$XDG_CONFIG_HOME/extruct-shell/config.toml`",
            "Profiles: `[profiles.NAME]` tables of `api_url` and `token`, and `default_profile = \"NAME\"`. A file that holds a token is refused when group or others can read it (run chmod 600)."
        ),
    ]

    static let exitStatus: [ManualPage.Item] = [
        .init("0", "Every command succeeded (interactive sessions also end with 0 on `exit` or Ctrl-D)."),
        .init("1", "A command failed: an HTTP or transport error, a refused value."),
        .init("2", "A usage error, or a script that cannot be read or parsed (bad quoting, an unknown command, invalid UTF-8, a NUL byte)."),
        .init("3", "An `expect` did not hold."),
        .init("130", "Playback interrupted by Ctrl-C; 128 plus the signal number for SIGTERM and SIGHUP."),
    ]

    static let examples: [ManualPage.Block] = [
        .paragraph("Try it without a token, on the built-in simulator, or learn it lesson by lesson:"),
        .example(["extruct-shell --demo", "extruct-shell --tutorial"], info: "sh"),
        .paragraph("Present a demo live, one key at a time, and keep a recording of it:"),
        .example(["extruct-shell --demo --step --cast demo.cast demo.exsh"], info: "sh needs a presenter at a terminal"),
        .paragraph("Start a task, follow it, and keep the results:"),
        .example(
            [
                "export EXTRUCT_API_TOKEN=…",
                "extruct-shell -c 'create \"vertical SaaS for freight forwarding\" --results 50' -c watch -c 'export saas.csv'",
            ], info: "sh"),
        .paragraph("A script that stops when an expectation fails:"),
        .example(
            [
                "#!/usr/bin/env extruct-shell",
                "use $TASK",
                "expect status == done",
                "results --limit 10",
            ], info: "sh"),
    ]
}
