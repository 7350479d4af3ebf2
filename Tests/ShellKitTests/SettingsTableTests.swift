import LineEditing
import Testing

@testable import ShellKit

/// Every setting, through the one table that `set`, `unset`, completion, `help set` and the
/// manual read: set, read back, unset to the default, refused when the value is not one it takes.
@Suite struct SettingsTableTests {
    /// A value the setting takes that is not its default, as typed and as read back.
    static func otherValue(_ setting: Setting) -> (typed: String, shown: String) {
        let current = setting.defaultValue
        switch setting.kind {
        case .words(let words):
            let word = words.first { $0 != current }!
            return (word.uppercased(), word)
        case .onOff: return current == "on" ? ("no", "off") : ("yes", "on")
        case .whole(let range):
            let value = String(range.upperBound) == current ? range.lowerBound : range.upperBound
            return (String(value), String(value))
        case .seconds(let range):
            let value = Settings.format(range.upperBound) == current ? range.lowerBound : range.upperBound
            return (String(value), Settings.format(value))
        case .columns(let range): return (String(range.lowerBound), String(range.lowerBound))
        case .limit(let range): return (String(range.upperBound), String(range.upperBound))
        }
    }

    /// Values the setting must refuse: not its kind, nan and infinities, just past each end.
    static func badValues(_ setting: Setting) -> [String] {
        let notNumbers = ["nan", "inf", "-inf", "1e309", "-1e309", "1e18", "", " 5", "9223372036854775808", "-9223372036854775809"]
        switch setting.kind {
        case .words: return ["purple", "", " text", "on off"] + notNumbers
        case .onOff: return ["maybe", "", "2", "onn"] + notNumbers
        case .whole(let range): return [String(range.lowerBound - 1), String(range.upperBound + 1), "1.5", "auto"] + notNumbers
        case .seconds(let range):
            return [Settings.format(range.lowerBound / 2), Settings.format(range.upperBound * 2), "-1", "5s"] + notNumbers
        case .columns(let range): return [String(range.lowerBound - 1), String(range.upperBound + 1), "automatic"] + notNumbers
        case .limit(let range): return [String(range.lowerBound - 1), String(range.upperBound + 1), "1.5", "none"] + notNumbers
        }
    }

    @Test(arguments: Settings.table.map(\.name))
    func setReadBackAndUnset(_ name: String) throws {
        let setting = try #require(Settings.setting(name))
        let value = Self.otherValue(setting)
        var settings = Settings()
        #expect(settings.value(of: name) == setting.defaultValue)
        try settings.set(name, to: value.typed)
        #expect(settings.value(of: name) == value.shown, "set \(name) \(value.typed)")
        #expect(settings != Settings(), "set \(name) changed the settings")
        let known = settings.reset(name)
        #expect(known)
        #expect(settings == Settings(), "unset \(name) puts the default back")
    }

    @Test(arguments: Settings.table.map(\.name))
    func aBadValueIsRefusedWithOneLineNamingTheSettingAndItsRange(_ name: String) throws {
        let setting = try #require(Settings.setting(name))
        for text in Self.badValues(setting) {
            var settings = Settings()
            do {
                try settings.set(name, to: text)
                Issue.record("set \(name) '\(text)' was taken")
            } catch {
                let line = ErrorPresenter.line(for: error)
                #expect(line == "error: \(name) takes \(setting.kind.expectation), not '\(text)'")
                #expect(!line.contains("\n"))
            }
            #expect(settings == Settings(), "set \(name) '\(text)' changed nothing")
        }
    }

    @Test func theRefusalsSayTheRange() {
        #expect(Settings.setting("page_size")?.kind.expectation == "a whole number from 1 to 250")
        #expect(Settings.setting("poll_interval")?.kind.expectation == "seconds between 0.01 and 3600")
        #expect(Settings.setting("width")?.kind.expectation == "auto or a whole number from 20 to 1000")
        #expect(Settings.setting("color")?.kind.expectation == "auto, on or off")
        #expect(Settings.setting("output")?.kind.expectation == "text or json")
        #expect(Settings.setting("debug")?.kind.expectation == "on or off")
    }

    @Test func namesAreUniqueAndAliasesReachTheirSetting() throws {
        let spellings = Settings.table.flatMap { [$0.name] + $0.aliases }
        #expect(Set(spellings).count == spellings.count)
        var settings = Settings()
        try settings.set("colour", to: "off")
        #expect(settings.color == .off && settings.value(of: "colour") == "off")
        let reset = settings.reset("colour")
        #expect(reset && settings.color == .auto)
        let unknown = settings.reset("nope")
        #expect(Settings.setting("nope") == nil && settings.value(of: "nope") == nil && !unknown)
        do {
            try settings.set("nope", to: "1")
            Issue.record("set nope took a value")
        } catch {
            #expect(error.message == "there is no setting nope")
        }
    }

    @Test func everyDefaultIsAValueTheSettingTakes() throws {
        for setting in Settings.table {
            var settings = Settings()
            try setting.set(setting.defaultValue, in: &settings)
            #expect(settings == Settings(), "\(setting.name) \(setting.defaultValue)")
        }
    }

    /// `set NAME <Tab>` offers the words the setting takes, and each of them is taken.
    @Test @MainActor func completionOffersTheValuesOfEverySetting() throws {
        let completer = Completer(specs: CommandRegistry.standard.commands.map { $0.spec }, taskIDs: [], variables: [])
        for setting in Settings.table {
            #expect(completer.complete("set \(setting.name) ").candidates == setting.completions, "set \(setting.name)")
            for word in setting.completions {
                var settings = Settings()
                try setting.set(word, in: &settings)
                #expect(setting.value(in: settings) == word)
            }
        }
        #expect(completer.complete("set colour ").candidates == ["auto", "on", "off"])
        #expect(completer.complete("set debug o").candidates == ["on", "off"])
    }

    /// `help set` names every setting with what it takes.
    @Test @MainActor func helpSetListsEverySetting() {
        let discussion = SetCommand.spec.discussion
        for setting in Settings.table { #expect(discussion.contains("\(setting.name) (\(setting.shape))"), "\(setting.name)") }
    }
}
