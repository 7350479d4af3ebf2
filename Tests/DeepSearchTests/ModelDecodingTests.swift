import Testing

@testable import DeepSearch

/// Lenient decoding of real-shaped JSON, quirks included.
@Suite struct ModelDecodingTests {
    @Test func unknownFieldsAreIgnoredAndUnknownEnumsKept() throws {
        let json = try JSONParser.parse(
            """
            {"id": "t1", "created_at": "2026-03-01T10:00:00.123456", "status": "paused", "query": "q",
             "desired_num_results": 10, "brand_new_field": {"x": 1}, "data_sources": ["web_search", "satellite"],
             "results": [{"id": "r1", "task_id": "t1", "company_name": "Acme", "company_website": "acme.example",
                          "relevance": 88, "source": "extruct_db", "employee_count": "10001+", "scores": {}, "surprise": true}]}
            """)
        let page = try TaskResultsPage(json: json)
        #expect(page.task.status.rawValue == "paused")
        #expect(!page.task.status.isTerminal)
        #expect(page.task.dataSources.map(\.rawValue) == ["web_search", "satellite"])
        #expect(page.results[0].source == .extructDB)
        #expect(page.results[0].employeeCount?.rawValue == "10001+")
        #expect(page.task.createdAt?.date != nil, "a naive FastAPI time is read as UTC")
    }

    @Test func nullsAreAcceptedInEveryOptionalField() throws {
        let json = try JSONParser.parse(
            """
            {"id": "t1", "created_at": null, "status": null, "query": null, "desired_num_results": null, "is_exhausted": null,
             "num_results_discovered": null, "num_results_enriched": null, "num_results_evaluated": null, "num_results": null,
             "table_id": null, "auto_data_sources": null, "data_sources": null, "criteria": null, "exclude_domains": null,
             "results": [{"id": "r", "task_id": "t1", "company_name": "A", "company_description": null, "company_website": null,
                          "relevance": null, "created_at": null, "company_profile_id": null, "source": null,
                          "scores": {"k": {"grade": 4, "explanation": null, "sources": null}, "j": null}, "founding_year": null,
                          "employee_count": null, "hq_country": null, "hq_state_province": null, "hq_city": null,
                          "company_full_description": null}]}
            """)
        let page = try TaskResultsPage(json: json)
        #expect(page.task.status == .created, "a missing status reads as created")
        #expect(page.task.numResults == 0 && page.task.criteria.isEmpty && page.task.autoDataSources)
        #expect(page.results[0].score(for: "k")?.grade == 4)
        #expect(page.results[0].score(for: "j")?.grade == nil)
        #expect(page.results[0].headquarters == nil)
    }

    @Test func legacyFieldNamesAreRead() throws {
        let json = try JSONParser.parse(
            """
            {"id": "t1", "created_at": "2025-01-01T00:00:00Z", "status": "done", "query": "q", "desired_num_results": 5,
             "num_results": 3, "discovered_num_results": 40, "num_search_results": 7, "discovered_num_search_results": 9,
             "results": [{"id": "r", "task_id": "t1", "src_search_query": "q", "src_result_position": 1,
                          "src_result_link": "https://acme.example", "src_result_title": "Acme", "src_result_snippet": "Makes things",
                          "justification": "It fits."}]}
            """)
        let page = try TaskResultsPage(json: json)
        #expect(page.task.numResultsDiscovered == 40)
        #expect(page.results[0].companyName == "Acme")
        #expect(page.results[0].companyWebsite == "https://acme.example")
        #expect(page.results[0].companyDescription == "Makes things")
        #expect(page.results[0].justification == "It fits.")
    }

    @Test func rawNewlinesAndUnicodeStayIntact() throws {
        let text = "{\"id\": \"t\", \"query\": \"line one\nline two \u{1F680} 東京\", \"status\": \"done\"}"
        let task = try DiscoveryTask(json: try JSONParser.parse(text))
        #expect(task.query == "line one\nline two 🚀 東京")
        let escaped = try JSONParser.parse(#"{"id": "t", "query": "\u00e9\ud83d\ude80\n"}"#)
        #expect(try DiscoveryTask(json: escaped).query == "é🚀\n")
    }

    @Test func numbersSentAsStringsAreRead() throws {
        let task = try DiscoveryTask(json: try JSONParser.parse(#"{"id": 42, "num_results": "7", "desired_num_results": 10.0}"#))
        #expect(task.id == "42" && task.numResults == 7 && task.desiredNumResults == 10)
    }

    @Test func aMissingIdOrAWrongShapeSaysWhere() {
        #expect(throws: ResponseShapeError(path: "id", expectation: "missing")) { try DiscoveryTask(json: .object([:])) }
        #expect(throws: ResponseShapeError(path: "the response", expectation: "expected an object, got array")) {
            try DiscoveryTask(json: .array([]))
        }
        #expect(throws: ResponseShapeError(path: "results[0]", expectation: "expected an object, got number")) {
            try TaskResultsPage(json: .object(["id": "t", "results": [1]]))
        }
    }

    @Test func theRawJSONRoundTripsInOrder() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"k":"v\n\u001b"},"n":-1.5e3}"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.compact(value) == text)
        #expect(value["n"]?.doubleValue == -1500)
    }

    @Test(arguments: [
        ("{\"a\": 1", "unexpected end of input"), ("{\"a\" 1}", "expected ':'"), ("[1, 2,]", "expected a value"),
        ("{\"a\": tru}", "expected true"), ("\"\\x\"", "invalid escape"), ("01", "unexpected text after the document"),
        ("", "unexpected end of input"),
    ])
    func syntaxErrorsSayWhere(_ text: String, _ reason: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
            #expect(error.description.contains("line 1, column"))
        }
    }

    /// What the writer writes is JSON, whatever the value: infinity and NaN (which a Double can
    /// hold and JSON cannot) and numbers made by hand become null.
    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan, Double("1e309")!, 0.5, 42])
    func everyDoubleIsWrittenAsJSON(_ value: Double) throws {
        let text = JSONWriter.compact(.object(["speed": .double(value)]))
        let back = try JSONParser.parse(text)
        #expect(value.isFinite ? back["speed"]?.doubleValue == value : back["speed"] == .null, "\(text)")
    }

    @Test(arguments: ["inf", "nan", "1.", ".5", "01", "-", "1e", "0x10", "", "1 2"])
    func aNumberMadeByHandThatIsNotOneIsWrittenAsNull(_ literal: String) throws {
        #expect(JSONWriter.compact(.array([.number(literal)])) == "[null]")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test func timestampsRoundTrip() {
        let t = Timestamp(text: "2026-11-29T06:49:26.123456Z")
        #expect(t.date != nil)
        #expect(Timestamp(date: t.date!).text == "2026-11-29T06:49:26.123456Z")
        #expect(Timestamp(text: "2026-11-29T08:49:26+02:00").date == Timestamp(text: "2026-11-29T06:49:26Z").date)
        #expect(Timestamp(text: "yesterday").date == nil)
    }
}
