import DeepSearchCore
import Manual

/// extruct-sim(1): the options as the parser describes them, the rest written here once.
enum SimulatorManual {
    static func page(options: [ManualPage.Item]) -> ManualPage {
        ManualPage(
            name: "extruct-sim", summary: "a deterministic simulator of Extruct's Deep Search API",
            source: "extruct-sim \(ProductVersion.current)", date: ProductVersion.date,
            synopsis: ["extruct-sim [OPTIONS]"],
            sections: [
                .init("DESCRIPTION", description),
                .init("OPTIONS", [.items(options)]),
                .init("ENDPOINTS", [.items(endpoints)]),
                .init("HTTPS", https),
                .init("FAULTS", faults),
                .init("EXAMPLES", examples),
                .init("SEE ALSO", [.paragraph("`extruct-shell`(1), whose `--demo` runs this simulator inside the shell.")]),
            ])
    }

    static let description: [ManualPage.Block] = [
        .paragraph(
            "extruct-sim serves the Deep Search API on loopback, as extruct-shell's api/deep-search.openapi.yaml describes it, so the shell, its tests and its demos run without the network and without spending credits."
        ),
        .paragraph(
            "It is deterministic for a given `--seed`: each query has a finite pool of candidates (30 to 1,200, so some tasks run dry before 250 results and some never do) that moves through the funnel (discovered, enriched, evaluated, high-fit) at `--rate` candidates a minute times `--speed`. `is_exhausted` turns true while evaluation still runs; results are the high-fit rows (at least 75 % of criteria graded 4 or 5), best first; validation errors are shaped as FastAPI's. Company data is plausible and varied, under the reserved `.example` domain."
        ),
        .paragraph(
            "It prints `extruct-sim listening on URL` on standard output when it is ready; with `--port 0` that is how to learn the port."
        ),
    ]

    static let endpoints: [ManualPage.Item] = [
        .init("`GET /v1/discovery_tasks`", "The tasks, newest first; `offset` and `limit`."),
        .init("`POST /v1/discovery_tasks`", "Start a task."),
        .init("`GET /v1/discovery_tasks/ID`", "A task and its counters."),
        .init("`GET /v1/discovery_tasks/ID/results`", "A page of results, best first; `offset` and `limit`."),
        .init("`POST /v1/discovery_tasks/ID/resume`", "Ask for `desired_new_results` more, within the 250 cap; 400 when the task is exhausted."),
        .init("`GET /_sim/health`", "Whether it is up (no token needed, as for every control endpoint)."),
        .init("`GET /_sim/requests`, `DELETE /_sim/requests`", "The API requests received, or forget them."),
        .init(
            "`GET|POST|DELETE /_sim/faults`", "The active faults; add one with `{\"spec\": \"503,count=2\"}` or the same fields as JSON; clear them."),
        .init(
            "`GET /_sim/account`, `POST /_sim/account`",
            "The credits left and spent; `{\"available_credits\": N}` sets the credits left."),
        .init("`GET /_sim/clock`, `POST /_sim/clock/advance`", "The simulated time; with `--manual-clock`, `{\"seconds\": N}` moves it."),
    ]

    static let https: [ManualPage.Block] = [
        .paragraph(
            "`--tls` serves HTTPS with a certificate authority made at start, for `localhost`, 127.0.0.1, ::1 and each `--tls-name`; the CA certificate is written to a file (`--tls-ca-file`, or one in the temporary folder) whose path is printed on the line after the URL. Trust it with `extruct-shell --ca-file FILE` or `curl --cacert FILE`. `--tls-cert` and `--tls-key` serve a certificate chain and key of your own instead."
        ),
        .paragraph(
            "Over HTTPS the simulator speaks HTTP/2 or HTTP/1.1, as the client chooses, as an API's front end does; plain HTTP is HTTP/1.1. It counts the connections it accepts (`GET /_sim/requests`), so a test can see keep-alive at work."
        ),
    ]

    static let faults: [ManualPage.Block] = [
        .paragraph(
            "Faults are off by default. Give them with `--fault SPEC` (repeatable) or at run time through `POST /_sim/faults`. A spec is a kind, then optional `,KEY=VALUE` parts: `method=GET`, `path=/results` (a substring of the path), `count=N` (gone after N requests), `skip=N` (let N matching requests through first)."
        ),
        .items([
            .init("`latency=MS`", "Answer MS milliseconds late."),
            .init("`500`, `502`, `503`, `504`", "That status with a JSON detail."),
            .init("`html`", "A 502 whose body is an HTML page, as a proxy sends."),
            .init("`429[=RETRY_AFTER]`", "Rate limited, with `Retry-After` when given."),
            .init("`402[=ERROR]`", "A billing gate: `plan_required`, `insufficient_credits` or `payment_failed`."),
            .init("`reset`", "The connection is reset before any answer."),
            .init("`truncated`, `invalid_json`, `empty_body`", "A 200 whose body is cut, not JSON, or empty."),
            .init("`huge_body[=BYTES]`", "A 200 with a body of several MiB."),
            .init(
                "`hostile[=huge|past|negative|fractional|empty|long]`",
                "The normal answer with absurd but well-formed data: numbers at or past the ends of a 64-bit integer, negative or fractional; or strings empty, or 10 KB of escapes and wide characters."
            ),
        ]),
    ]

    static let examples: [ManualPage.Block] = [
        .paragraph("A simulator for a session of the shell, with three sample tasks, ten times faster than real:"),
        .example(
            [
                "extruct-sim --port 8080 --token demo --speed 10 --demo-tasks",
                "EXTRUCT_API_URL=http://127.0.0.1:8080 EXTRUCT_API_TOKEN=demo extruct-shell",
            ], info: "sh"),
        .paragraph("HTTPS with a throwaway CA, the shell trusting it:"),
        .example(
            [
                "extruct-sim --tls --port 8443 --tls-ca-file sim-ca.pem",
                "extruct-shell --api-url https://127.0.0.1:8443 --ca-file sim-ca.pem --token demo",
            ], info: "sh"),
        .paragraph("Every results page answers 503 twice, then normally:"),
        .example(["extruct-sim --fault 503,count=2,path=/results"], info: "sh"),
    ]
}
