/// The lessons that come with the shell, in order. They run on the built-in simulator, whose
/// sample tasks are always the same three: a finished one (f2dc2742), an exhausted one
/// (af181d0f) and a running one (a26bb1fb, which ends soon after the shell starts; the lesson on
/// watching starts a task of its own). `tutorial print N` shows each as a file, to start a lesson
/// of one's own from. A step that changes things runs only as written, so its say lines give the
/// exact line to type.
enum ShippedLessons {
    static let sources: [String] = [firstSteps, resume, exhaustion, watching, scripts, credits]

    static let firstSteps = """
        lesson first-steps
        title First steps
        about Tasks, use, status, results and show: read what a search found.

        say Deep Search finds companies that match a query. Each search is a discovery task that runs
        say on its own through a funnel: candidates are discovered, enriched and evaluated, and those
        say that fit best become high-fit results.
        say
        say This account already has a few tasks. List them: type tasks
        step tasks
        check error == 200
        hint tasks lists the tasks of the account, newest first.

        run set done_task f2dc2742-d69d-450d-9ad8-6c34ed7a510f
        say The third one, f2dc2742, is done. Make it the current task with use and its id: the first
        say few characters are enough (use f2dc), and Tab completes them.
        step use $done_task
        check id == $done_task
        hint use takes a task id, or the start of one: use f2dc

        say The prompt now shows the task and its status. status draws its funnel:
        step status
        check id == $done_task

        say results shows the best companies first, in a table fitted to your terminal. Type
        say results --limit 5 for the first five:
        step results --limit 5
        hint results --limit 5 shows the first five rows.

        say Each row has a rank. show prints one company in full: what it does, where it is, and how
        say it meets each criterion of the task. Type show 1:
        step show 1
        hint show takes a rank from the table: show 1

        say That is the loop: tasks, use, status, results, show. help lists every command, and
        say help COMMAND explains one.
        """

    static let resume = """
        lesson resume-and-the-cap
        title Resume and the 250 cap
        about Start a task, watch it, ask for more with resume, up to 250.

        run set poll_interval 0.5
        say create starts a task: the query describes the companies you want, --results says how
        say many. Type this line:
        say   create "vertical SaaS companies serving freight forwarding" --results 20
        step create "vertical SaaS companies serving freight forwarding" --results 20
        check desired_num_results == 20
        hint Type the whole line: create, the query in quotes, --results 20.

        say The task runs on its own. Type watch to follow it through the funnel until it is done
        say (Ctrl-C stops watching, never the task):
        step watch
        check status == done

        say Need more? resume asks the same task for more results, and it runs again from where it
        say stopped. resume 30 raises its target from 20 to 50:
        step resume 30
        check desired_num_results == 50
        hint resume 30 raises the target by 30.

        say Type watch again to follow it:
        step watch
        check status == done

        say One task holds at most 250 results. Ask for more than is left, and the target stops at
        say the cap: type resume 250
        step resume 250
        check desired_num_results == 250

        say At the cap, nothing more can be asked of this task. try runs a command that may fail and
        say goes on; the error says what to do instead. Type try resume 10:
        step try resume 10
        check error == 400
        hint try resume 10: the API refuses it, and the lesson expects that.

        say A task at the cap is full: the next results come from a new task, which can leave out
        say what this one found (the next lesson shows how).
        """

    static let exhaustion = """
        lesson exhaustion
        title Exhaustion and --exclude-task
        about A search that runs dry, and searching again without repeats.

        run set exhausted_task af181d0f-3b42-41d0-833e-08e6b53c9f20
        say Some searches run dry: the candidates run out before the target. The task still ends
        say done, with fewer results, and is_exhausted says so. Make the exhausted task current:
        say   use af181d0f
        step use $exhausted_task
        check id == $exhausted_task
        hint use af181d0f (Tab completes the id once tasks has listed it).

        say status shows how far it got:
        step status
        check id == $exhausted_task

        say resume cannot help: there is nothing more to find, and the API refuses. try shows the
        say error and goes on: type try resume 10
        step try resume 10
        check error == 400

        say To search again around the same idea without the companies you already have, start a new
        say task that leaves out what this one returned. Type this line:
        say   create "sustainable clothing manufacturers in Dongguan" --results 10 --exclude-task af181d0f
        step create "sustainable clothing manufacturers in Dongguan" --results 10 --exclude-task $exhausted_task
        check desired_num_results == 10
        hint create "sustainable clothing manufacturers in Dongguan" --results 10 --exclude-task af181d0f

        say --exclude DOMAIN leaves out single companies the same way. Exhausted is not failed: the
        say task did its work, the query was narrow.
        """

    static let watching = """
        lesson watching
        title Watching a task
        about Follow a running task, and let the prompt say when one ends.

        run set poll_interval 0.5
        say watch follows a task while it runs. Start a big one, so there is something to follow
        say (it takes a minute or so here). Type this line:
        say   create "cybersecurity firms for hospitals" --results 250
        step create "cybersecurity firms for hospitals" --results 250
        check desired_num_results == 250
        hint Type the whole line: create, the query in quotes, --results 250.

        say watch draws the funnel as it fills: discovered, enriched, evaluated, high-fit. Type
        say watch; Ctrl-C stops watching (never the task): let it finish or stop it, either is fine.
        step watch

        say You do not have to watch. Start a small task and go on working; type this line:
        say   create "cold chain logistics startups in the Nordics" --results 5
        step create "cold chain logistics startups in the Nordics" --results 5
        check desired_num_results == 5

        say Meanwhile the prompt is yours. Look at the other tasks:
        step tasks

        say When a task you made, resumed or used ends, a line like
        say [1a2b3c4d done · 5 of 5 results · 1 min] appears above the prompt, and what you were
        say typing stays as it was. set notify off turns these lines off.
        """

    static let credits = """
        lesson credits
        title Credits, --until and collect
        about What a search spends, a budget for it, and lists longer than one task.

        run set poll_interval 0.5
        say Every high-fit result spends a credit. account shows who you are, your plan and the
        say credits left. Type account:
        step account
        hint account shows the account: its plan and the credits left.

        say create and resume say the most they can spend and what is left. Type this line:
        say   create "climate tech startups measuring soil carbon" --results 20
        step create "climate tech startups measuring soil carbon" --results 20
        check desired_num_results == 20
        hint Type the whole line: create, the query in quotes, --results 20.

        say resume --until N goes on in rounds (resume, then follow the task) until it has N results,
        say runs dry or reaches the 250 cap, with a line for each round. Type resume --until 60:
        step resume --until 60
        check num_results >= 60
        hint resume --until 60 keeps going until the task has 60 results.

        say A budget keeps a session or a script from spending too much: set max_credits 100 refuses
        say anything that would take what was asked for past 100 credits, before it is sent. Type
        say   set max_credits 100
        step set max_credits 100
        hint set max_credits 100 sets the budget (off removes it).

        say This shell has asked for up to 60 credits so far (20, then 40), or more after other
        say lessons, so resume 50 would pass the budget. try runs a command that may fail and goes
        say on; type this line, and read why nothing was sent:
        say   try resume 50
        step try resume 50
        hint try resume 50: the budget refuses it, and the lesson expects that.

        say At the prompt, set confirm_above N asks y/N before a command that may spend more than N;
        say a script never asks, so give it --max-credits N. Remove the budget: set max_credits off
        step set max_credits off

        say One task holds at most 250 results. collect N QUERY goes past that: a task, resumed to
        say the cap, then new tasks that leave out the earlier ones, until N companies, a pool that
        say runs dry, or the budget. This pool is small, so watch it run dry. Type this line:
        say   collect 150 "sustainable clothing manufacturers in Guangzhou" --results 50
        step collect 150 "sustainable clothing manufacturers in Guangzhou" --results 50
        hint Type the whole line: collect 150, the query in quotes, --results 50.

        say chain shows the tasks of the chain, what each added, and the totals:
        step chain

        say export --chain FILE writes every company of the chain once, with the task that found it;
        say collect --continue goes on with the chain, and chain clear starts over.
        """

    static let scripts = """
        lesson scripts
        title Scripts: record, expect, play back
        about Record what you type, check it with expect, play it back.

        run set done_task f2dc2742-d69d-450d-9ad8-6c34ed7a510f
        say Everything you type can become a script. record writes each command that works into a
        say file, from now until record stop. Type this line:
        say   record $lesson_dir/first.exsh
        step record $lesson_dir/first.exsh
        hint record $lesson_dir/first.exsh (a folder made for this lesson)

        say Do a little work. Pick the finished task: use f2dc2742
        step use $done_task
        check id == $done_task

        say expect checks a field of the last answer, and fails a script when it does not hold:
        say   expect status == done
        step expect status == done
        hint expect status == done

        say It compares numbers and text too: num_results, desired_num_results, results[0].company_name...
        say Type expect num_results >= 20
        step expect num_results >= 20

        say Stop recording: record stop
        step record stop

        say The file is plain text, one command a line. Play it back with source:
        say   source $lesson_dir/first.exsh
        step source $lesson_dir/first.exsh

        say From a terminal, extruct-shell first.exsh plays a script too; it stops at the first command
        say or expect that fails, with its file and line (exit status 3 for an expect), and --step
        say presents it live, one key at a time.
        """
}
