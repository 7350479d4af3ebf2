import Testing

@testable import ShellKit

/// The lesson format: what it reads, what it refuses and where.
@MainActor
@Suite struct LessonTests {
    let knows: (String) -> Bool = { CommandRegistry.standard.command(named: $0) != nil }

    @Test func everyShippedLessonParses() throws {
        #expect(ShippedLessons.lessons.count == ShippedLessons.sources.count)
        for source in ShippedLessons.sources {
            let lesson = try Lesson.parse(source, knows: knows)
            #expect(!lesson.about.isEmpty && lesson.about.count <= 70, "\(lesson.name): one short line for the list")
            #expect(lesson.steps.count >= 4)
        }
        #expect(ShippedLessons.lessons.map(\.name) == ["first-steps", "resume-and-the-cap", "exhaustion", "watching", "scripts", "credits"])
        #expect(
            !ShippedLessons.lessons.contains { ["continue", "resume", "stop", "print", "reset"].contains($0.name) }, "a name is not a subcommand")
    }

    @Test func saysAndRunsBelongToTheStepAfterThemChecksAndHintsToTheStepBefore() throws {
        let lesson = try Lesson.parse(
            """
            # comment
            lesson demo-1
            title A demo
            about One line.
            say Hello
            say
            run set x 1
            step echo $x
            check error == 0
            hint echo it
            say Bye
            """, knows: knows)
        #expect(lesson.name == "demo-1" && lesson.title == "A demo" && lesson.about == "One line.")
        #expect(lesson.steps.count == 1)
        #expect(lesson.steps[0].before == [.say("Hello"), .say(""), .run("set x 1", line: 7)])
        #expect(lesson.steps[0].command == "echo $x" && lesson.steps[0].line == 8)
        #expect(lesson.steps[0].check == "error == 0" && lesson.steps[0].hint == "echo it")
        #expect(lesson.closing == [.say("Bye")])
    }

    @Test(arguments: [
        ("lesson x\nsya hi\nstep tasks", 2, "unknown directive 'sya'"),
        ("lesson x\ncheck status == done\nstep tasks", 2, "check belongs right after a step"),
        ("lesson x\nstep tsks", 2, "'tsks' is not a command of the shell"),
        ("lesson x\nstep echo \"open", 2, "unterminated"),
        ("lesson Big Name\nstep tasks", 1, "lower-case letters, digits and dashes"),
        ("lesson x\nstep tasks\nsay hi\nhint late", 4, "hint belongs right after a step"),
    ])
    func mistakesAreNamedWithTheirLine(_ source: String, _ line: Int, _ says: String) {
        #expect {
            try Lesson.parse(source, knows: knows)
        } throws: { error in
            guard let problem = error as? Lesson.Problem else { return false }
            return problem.line == line && problem.message.contains(says)
        }
        #expect(throws: Lesson.Problem.self) { try Lesson.parse("title no name\nstep tasks", knows: knows) }
        #expect(throws: Lesson.Problem.self) { try Lesson.parse("lesson empty\nsay nothing to do", knows: knows) }
    }

    @Test func aLineIsJudgedByTheCommandItNames() {
        let lesson = try! Lesson.parse("lesson x\nstep try resume 10\n", knows: knows)
        let tutor = Tutor(lesson: lesson, number: nil, index: 0, directory: "/tmp")
        let canonical: (String) -> String? = { CommandRegistry.standard.command(named: $0)?.spec.name }
        let words: (String) -> [String]? = {
            try? WordSplitter.split($0, resolve: { $0 == "t" ? "3f2a8c1e-5b7d-4c1e-9a0b-2d4e6f8a0c1e" : nil }).map(\.text)
        }
        #expect(tutor.verdict(for: "resume 10", canonical: canonical, words: words) == .attempt)
        #expect(tutor.verdict(for: "try resume 10", canonical: canonical, words: words) == .attempt)
        #expect(tutor.verdict(for: "try resume 250", canonical: canonical, words: words) == .refusedVariant, "resume 250 would spoil the steps after")
        #expect(tutor.verdict(for: "status", canonical: canonical) == .harmless)
        #expect(tutor.verdict(for: "use 3f2a", canonical: canonical) == .refused, "use changes the task the lesson relies on")
        #expect(tutor.verdict(for: "create x", canonical: canonical) == .refused)
        #expect(tutor.verdict(for: "export a.csv", canonical: canonical) == .refused)
        #expect(tutor.verdict(for: "help resume", canonical: canonical) == .aside)
        #expect(tutor.verdict(for: "nonsense", canonical: canonical) == .harmless, "the shell says what it may have meant")
        #expect(tutor.promptLesson == Prompt.Lesson(label: "x", step: "1/1"))
    }

    @Test func theStepsValuesAreComparedAsTheShellReadsThem() {
        let id = "af181d0f-3b42-41d0-833e-08e6b53c9f20"
        #expect(Tutor.sameValues(["create", "cold chain", "--exclude-task", id], ["create", "cold", "chain", "--exclude-task", id]))
        #expect(Tutor.sameValues(["create", "cold chain", "--exclude-task", "af181d0f"], ["create", "cold chain", "--exclude-task", id]))
        #expect(!Tutor.sameValues(["create", "cold chain", "--results", "21"], ["create", "cold chain", "--results", "20"]))
        #expect(!Tutor.sameValues(["create", "cold chain", "--exclude-task", "af"], ["create", "cold chain", "--exclude-task", id]))
        #expect(!Tutor.sameValues(nil, ["resume", "30"]))
    }
}
