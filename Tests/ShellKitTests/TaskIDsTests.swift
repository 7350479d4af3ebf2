import DeepSearch
import Foundation
import Testing

@testable import ShellKit

/// Typed task ids: what is whole, what matches, what the messages list; the cache of ids for Tab;
/// recordings with whole ids.
@Suite struct TaskIDsTests {
    @Test func wholeIDsAreUUIDsAndPartsMatchInEitherCase() {
        #expect(TaskIDs.isWholeID("3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e"))
        #expect(TaskIDs.isWholeID("3F2A8C1E-5B7D-4C1E-9A0B-2D4E6F8A0C1E"))
        #expect(!TaskIDs.isWholeID("3f2a8c1e"))
        #expect(!TaskIDs.isWholeID("3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1g"))
        #expect(!TaskIDs.isWholeID("3f2a8c1e5-b7d-4c1e-9a0b-2d4e6f8a0c1e"))
        let ids = ["3f2a8c1e-aaaa", "3F9B0000-bbbb", "77777777-cccc"]
        #expect(TaskIDs.matches("3f", in: ids) == ["3f2a8c1e-aaaa", "3F9B0000-bbbb"])
        #expect(TaskIDs.matches("3F2A", in: ids) == ["3f2a8c1e-aaaa"])
        #expect(TaskIDs.matches("zzz", in: ids).isEmpty)
    }

    @Test func severalAreListedByAsMuchAsTellsThemApart() {
        #expect(TaskIDs.distinguishingLength(["3f2a8c1e-aaaa", "3f9b0000-bbbb"]) == 8)
        #expect(TaskIDs.distinguishingLength(["3f2a8c1e-aaaa", "3f2a8c1e-abbb"]) == 11)
        let ids = (0..<7).map { "ab\($0)00000-0000" }
        let failure = TaskIDs.ambiguous("ab", ids, for: "use")
        #expect(
            failure.message
                == "use: 'ab' begins 7 task ids (ab000000, ab100000, ab200000, ab300000, ab400000 and 2 more); type more of the one you mean")
    }

    @Test func noneSaysWhereToLook() {
        #expect(
            TaskIDs.notFound("zzz", for: "use", read: 12, onBuiltInSimulator: false)
                == "use: no task id begins with 'zzz' among your 12 tasks; tasks lists them")
        #expect(TaskIDs.notFound("zzz", for: "status", read: 0, onBuiltInSimulator: false).hasSuffix("there are no tasks yet (create starts one)"))
        #expect(TaskIDs.notFound("f2dc2742", for: "use", read: 3, onBuiltInSimulator: true).contains("each --demo starts with new tasks"))
        #expect(
            TaskIDs.notFound("a\u{1B}[2J", for: "use", read: 3, onBuiltInSimulator: false).contains("'a?'"), "an escape from the terminal is one ?")
    }

    @Test func theCacheKeepsTheLastIDsOfEachAPI() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = TaskIDCache(path: dir + "/extruct-shell/task-ids.json")
        #expect(cache.ids(for: "https://api.extruct.ai").isEmpty, "no file is an empty cache")
        try cache.save(["b", "a"], for: "https://api.extruct.ai")
        try cache.save(["x"], for: "http://127.0.0.1:8080")
        #expect(cache.ids(for: "https://api.extruct.ai") == ["b", "a"])
        #expect(cache.load().map(\.url) == ["http://127.0.0.1:8080", "https://api.extruct.ai"], "the API used last first")
        try cache.save((0..<300).map { "id\($0)" }, for: "https://api.extruct.ai")
        #expect(cache.ids(for: "https://api.extruct.ai").count == TaskIDCache.idsPerAPI)
        for port in 0..<10 { try cache.save(["p"], for: "http://127.0.0.1:\(port)") }
        #expect(cache.load().count == TaskIDCache.apiLimit)
        let mode = try FileManager.default.attributesOfItem(atPath: cache.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        _ = FileManager.default.createFile(atPath: cache.path, contents: Data("not json".utf8))
        #expect(cache.load().isEmpty, "a file that cannot be read is an empty cache")
    }

    @Test @MainActor func recordingsWriteIDsTypedInPartWhole() {
        let id = "3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e"
        let resolved = [(typed: "3f2a", id: id)]
        #expect(ScriptRecorder.writingWholeIDs(resolved, in: "use 3f2a") == "use \(id)")
        #expect(ScriptRecorder.writingWholeIDs(resolved, in: "status \"3f2a\"") == "status \"\(id)\"")
        #expect(
            ScriptRecorder.writingWholeIDs(resolved, in: "create \"3f2a rivals\" --exclude-task=3f2a")
                == "create \"3f2a rivals\" --exclude-task=\(id)")
        #expect(ScriptRecorder.writingWholeIDs([], in: "use 3f2a") == "use 3f2a")
    }
}
