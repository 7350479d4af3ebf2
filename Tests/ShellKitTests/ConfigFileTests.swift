import Testing

@testable import ShellKit

/// config.toml is TOML 1.0, read by TOMLKit: every string form, dotted keys, inline tables, the
/// old spellings; unknown keys, wrong types and syntax errors named by file, line and key.
@Suite struct ConfigFileTests {
    func parse(_ text: String) throws(ConfigFile.Problem) -> ConfigFile { try ConfigFile.parse(text, path: "config.toml") }

    /// The example the README and the manual give.
    static let documentedExample = """
        # profiles
        default_profile = "work"

        [profiles.work]
        api_url = "https://api.extruct.ai"  # the real one
        token = "tok-work-123456789"

        [profiles.local]
        api_url = "http://127.0.0.1:8080"
        token = "demo"
        """

    /// The problem `text` causes (an issue is recorded if it causes none).
    func problem(_ text: String) -> String {
        do {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
            return ""
        } catch {
            return error.description
        }
    }

    @Test func theDocumentedExampleReadsAsBefore() throws {
        let config = try parse(Self.documentedExample)
        #expect(try config.profile(nil)?.name == "work")
        #expect(config.profiles["work"] == .init(apiURL: "https://api.extruct.ai", token: "tok-work-123456789"))
        #expect(config.profiles["local"] == .init(apiURL: "http://127.0.0.1:8080", token: "demo"))
    }

    @Test func everyStringFormIsReadAsTOMLSays() throws {
        let config = try parse(
            #"""
            [profiles.basic]
            token = "ab\"cd\\ef\u00e9\U0001F600\t"

            [profiles.literal]
            token = 'C:\no\escapes "here"'

            [profiles.multi]
            token = """
            first \
              second"""

            [profiles.multiliteral]
            token = '''
            raw \n'''
            """#)
        #expect(config.profiles["basic"]?.token == "ab\"cd\\efé😀\t")
        #expect(config.profiles["literal"]?.token == #"C:\no\escapes "here""#)
        #expect(config.profiles["multi"]?.token == "first second")
        #expect(config.profiles["multiliteral"]?.token == #"raw \n"#)
    }

    @Test func dottedKeysInlineTablesAndTheOldSpellingsAreProfiles() throws {
        let config = try parse(
            """
            profiles.work.api_url = "https://api.extruct.ai"
            profiles.work.token = "w-token"
            profiles.inline = { url = "http://127.0.0.1:9", token = "i-token" }

            [profile.old]
            url = "https://old.example"

            [bare]
            token = "b-token"
            """)
        #expect(config.profiles["work"] == .init(apiURL: "https://api.extruct.ai", token: "w-token"))
        #expect(config.profiles["inline"] == .init(apiURL: "http://127.0.0.1:9", token: "i-token"))
        #expect(config.profiles["old"]?.apiURL == "https://old.example")
        #expect(config.profiles["bare"]?.token == "b-token")
        #expect(try config.profile(nil) == nil, "four profiles and no default: none is chosen")
    }

    @Test func topLevelKeysAreTheDefaultProfile() throws {
        let config = try parse("api_url = \"http://127.0.0.1:8080\"\ntoken = \"t\"\n")
        #expect(try config.profile(nil)?.name == "default")
        #expect(try config.profile(nil)?.profile == .init(apiURL: "http://127.0.0.1:8080", token: "t"))
    }

    @Test func anUnknownKeyNamesTheFileTheLineAndTheKey() {
        #expect(
            problem("[profiles.work]\napi_url = \"x\"\ntokn = \"t\"\n")
                == "config.toml:3: profiles.work.tokn: unknown key; a profile takes api_url, token, ca_file and proxy")
        #expect(
            problem("default_profile = \"w\"\n\ndefaultprofile = \"w\"\n").hasPrefix(
                "config.toml:3: defaultprofile: unknown key; the top level takes default_profile"))
        #expect(problem("profiles.work.tokn = \"t\"\n").hasPrefix("config.toml:1: profiles.work.tokn: unknown key"))
        #expect(problem("[profiles.\"my work\"]\n\"to ken\" = \"t\"\n").hasPrefix(#"config.toml:2: profiles."my work"."to ken": unknown key"#))
        #expect(problem("[profiles]\nwork = { token = \"t\", proxi = \"p\" }\n").hasPrefix("config.toml:2: profiles.work.proxi: unknown key"))
    }

    @Test func aWrongTypeSaysWhatIsExpected() {
        #expect(problem("[profiles.work]\n\ntoken = 12345\n") == "config.toml:3: profiles.work.token: expected a string in quotes, not an integer")
        #expect(problem("default_profile = true\n") == "config.toml:1: default_profile: expected a string in quotes, not true or false")
        #expect(problem("profiles = \"work\"\n").hasPrefix("config.toml:1: profiles: expected a table of profiles"))
        #expect(problem("[profiles]\nwork = 3\n").hasPrefix("config.toml:2: profiles.work: expected a profile table"))
        #expect(problem("[work]\napi_url = [\"a\"]\n").contains("config.toml:2: work.api_url: expected a string in quotes, not an array"))
    }

    @Test func syntaxErrorsAndDuplicatesNameTheLineAndColumnTOMLKitReports() {
        let unquoted = problem("[work]\ntoken = two words\n")
        #expect(unquoted.hasPrefix("config.toml:2:"), "\(unquoted)")
        #expect(unquoted.hasSuffix("the file is TOML 1.0 (https://toml.io)"))
        let duplicateKey = problem("[work]\ntoken = \"a\"\ntoken = \"b\"\n")
        #expect(duplicateKey.hasPrefix("config.toml:3:"), "\(duplicateKey)")
        let duplicateTable = problem("[profiles.work]\ntoken = \"a\"\n\n[profiles.work]\napi_url = \"b\"\n")
        #expect(duplicateTable.hasPrefix("config.toml:4:"), "\(duplicateTable)")
        #expect(problem("[work]\napi_url = \"a\"\nurl = \"b\"\n").hasPrefix("config.toml:3: work.url: give api_url or url, not both"))
        #expect(
            problem("[profile.work]\ntoken = \"a\"\n[profiles.work]\ntoken = \"b\"\n").contains("profile work is already defined as profile.work"))
    }

    @Test func aDefaultProfileThatIsNotThereIsAProblem() throws {
        let config = try parse("default_profile = \"gone\"\n[profiles.work]\ntoken = \"t\"\n")
        #expect(throws: ConfigFile.Problem.self) { try config.profile(nil) }
        #expect(throws: ConfigFile.Problem.self) { try config.profile("missing") }
    }

    @Test func theLocatorFindsKeysInEveryFormAndSkipsMultiLineStrings() {
        let text = #"""
            top = 1
            [a."b c"]
            x = """
            y = 2
            """
            y = 3
            'lit'.z = 4
            [[arr]]
            """#
        let locator = TOMLKeyLocator(text)
        #expect(locator.line(of: ["top"]) == 1)
        #expect(locator.line(of: ["a", "b c"]) == 2)
        #expect(locator.line(of: ["a", "b c", "x"]) == 3)
        #expect(locator.line(of: ["a", "b c", "y"]) == 6, "the y inside the multi-line string is not a key")
        #expect(locator.line(of: ["a", "b c", "lit", "z"]) == 7)
        #expect(locator.line(of: ["nowhere"]) == nil)
        #expect(TOMLKeyLocator.display("my work") == "\"my work\"")
        #expect(TOMLKeyLocator.display("work-1") == "work-1")
    }
}
