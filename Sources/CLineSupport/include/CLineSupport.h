// Signal plumbing and the line editor's read function. Signal handlers only write
// the signal number to a pipe; everything else happens outside signal context.
#ifndef EXTRUCT_CLINESUPPORT_H
#define EXTRUCT_CLINESUPPORT_H

#include <histedit.h>
#include <stdio.h>
#include <wchar.h>

/// Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGWINCH that write the
/// signal number to a pipe, and ignores SIGPIPE. Returns the pipe's read end, or -1.
/// Idempotent: later calls return the same descriptor.
int ex_signals_install(void);

/// Reasons the editor is woken while it waits for a key.
enum { EX_WAKE_STOP = 1, EX_WAKE_RESIZE = 2, EX_WAKE_NOTICE = 3 };

/// Wakes a waiting ex_read_char: EX_WAKE_STOP makes it report end of input, now and on every
/// later call (the shell is leaving), EX_WAKE_RESIZE makes it re-read the window size.
void ex_editor_wake(int reason);

/// Shows `text` (copied) on a line of its own above the line being edited, without disturbing
/// it: at once if the editor waits for a key, else when it next does. Any thread.
void ex_editor_post_notice(const char *text);

/// Whether a stop was requested (EX_WAKE_STOP).
int ex_editor_stop_requested(void);

/// The libedit read function (EL_GETCFN): waits for a key on standard input or a wake-up,
/// decodes UTF-8, follows window resizes. Returns 1 with a character, 0 at end of input.
int ex_read_char(EditLine *el, wchar_t *out);

#endif

#ifndef EXTRUCT_CLINESUPPORT_OUTPUT
#define EXTRUCT_CLINESUPPORT_OUTPUT
/// Called with every chunk the line editor writes (after it reached the terminal).
typedef void (*ex_output_observer)(const char *bytes, size_t count);

/// A write-only FILE on `fd` (which it owns and closes) for the line editor's output; every
/// write is also shown to the observer set with ex_output_set_observer. (glibc's fopencookie.)
FILE *ex_output_open(int fd);
void ex_output_set_observer(ex_output_observer observer);
#endif

#ifndef EXTRUCT_CLINESUPPORT_TERMINAL
#define EXTRUCT_CLINESUPPORT_TERMINAL
/// Saves the terminal settings of `fd` (when it is a terminal) so every way out can restore
/// them, and installs handlers for fatal signals (SEGV, BUS, ILL, ABRT, TRAP, FPE) that restore
/// them before the process dies. Returns 0 when settings were saved.
int ex_terminal_save(int fd);
/// Puts the saved terminal settings back (async-signal-safe); does nothing if none were saved.
void ex_terminal_restore(void);
#endif
