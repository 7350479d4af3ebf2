// One-line wrappers around libedit's variadic calls (el_wset, el_wget, history_w),
// which Swift cannot call directly. Nothing here holds state.
#ifndef EXTRUCT_CEDITLINE_SHIM_H
#define EXTRUCT_CEDITLINE_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <stdio.h>
#include <wchar.h>

typedef wchar_t *(*ex_prompt_fn)(EditLine *);
typedef unsigned char (*ex_edit_fn)(EditLine *, int);

static inline int ex_el_set_prompt(EditLine *el, ex_prompt_fn f, wchar_t ignore) {
    return el_wset(el, EL_PROMPT_ESC, f, ignore);
}
static inline int ex_el_set_editor(EditLine *el, const wchar_t *mode) { return el_wset(el, EL_EDITOR, mode); }
static inline int ex_el_set_signal(EditLine *el, int on) { return el_wset(el, EL_SIGNAL, on); }
static inline int ex_el_set_history(EditLine *el, HistoryW *h) { return el_wset(el, EL_HIST, history_w, h); }
static inline int ex_el_set_clientdata(EditLine *el, void *data) { return el_wset(el, EL_CLIENTDATA, data); }
static inline void *ex_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_wget(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int ex_el_add_function(EditLine *el, const wchar_t *name, const wchar_t *help, ex_edit_fn f) {
    return el_wset(el, EL_ADDFN, name, help, f);
}
static inline int ex_el_bind(EditLine *el, const wchar_t *key, const wchar_t *function) {
    return el_wset(el, EL_BIND, key, function, (const wchar_t *)NULL);
}
static inline int ex_el_setty(EditLine *el, const wchar_t *a, const wchar_t *b, const wchar_t *c) {
    return el_wset(el, EL_SETTY, a, b, c, (const wchar_t *)NULL);
}
static inline int ex_el_set_getcfn(EditLine *el, el_rfunc_t f) { return el_wset(el, EL_GETCFN, f); }
static inline int ex_el_get_columns(EditLine *el) {
    int columns = 0;
    if (el_wget(el, EL_GETTC, "co", &columns) != 0) return 0;
    return columns;
}

static inline int ex_history_set_size(HistoryW *h, int size) {
    HistEventW ev;
    return history_w(h, &ev, H_SETSIZE, size);
}
static inline int ex_history_set_unique(HistoryW *h, int on) {
    HistEventW ev;
    return history_w(h, &ev, H_SETUNIQUE, on);
}
static inline int ex_history_enter(HistoryW *h, const wchar_t *line) {
    HistEventW ev;
    return history_w(h, &ev, H_ENTER, line);
}
static inline int ex_history_clear(HistoryW *h) {
    HistEventW ev;
    return history_w(h, &ev, H_CLEAR);
}

#endif
