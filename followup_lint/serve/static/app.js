/* followup-lint serve: the page. Plain JavaScript, no build step, no external resources.
 *
 * The writer's view builds the draft from the subject and body fields
 * ("Subject: S\n\n" + body, or the body alone), asks the server to lint it, and maps every
 * span back to its field. Offsets from the server are UTF-16 code units, the units of
 * JavaScript strings, so text.slice(start, end) is exactly a finding's span.
 */
"use strict";

(function () {
  // How long the page waits after a keystroke before asking for a lint. The server also
  // coalesces: a request still waiting when a newer one arrives is dropped.
  const LINT_DELAY_MS = 60;
  const KEYS = ["kind", "setting", "interview_date", "reply_promised_by", "send_date", "interviewer", "company", "role"];

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  };

  // --- the token (as Jupyter does: in the URL the command printed) -------------------------
  const params = new URLSearchParams(location.search);
  let token = params.get("token");
  if (token) {
    sessionStorage.setItem("followup-lint-token", token);
    history.replaceState(null, "", location.pathname + location.hash);  // keep it out of sight
  } else {
    token = sessionStorage.getItem("followup-lint-token") || "";
  }
  const channel = "tab-" + Math.random().toString(36).slice(2);

  async function api(path, body) {
    const init = { headers: { "X-Followup-Token": token }, cache: "no-store" };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    let data = {};
    try { data = await res.json(); } catch (e) { /* empty */ }
    if (!res.ok) {
      const err = new Error(data.error || res.statusText);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function fatal(message) {
    const box = $("fatal");
    box.textContent = message;
    box.hidden = false;
  }

  // --- state -------------------------------------------------------------------------------
  const subjectEl = $("draft-subject");
  const bodyEl = $("draft-body");
  const state = {
    edits: 0,          // bumped on every change; a lint answer for an older edit is not shown
    seq: 0,
    timer: null,
    result: null,      // the last lint shown, with the layout it was computed for
    file: null,        // {path, format, sha, writable, why_readonly} in a draft from the folder
    ignore: [],
    dirty: false,
    folder: null,
    sort: { key: "score", dir: 1 },
    drafts: [],
    delay: LINT_DELAY_MS,
    shown: null,
  };
  window.followupLint = state;  // for the browser test and the curious

  function oneLine(s) { return s.replace(/[\r\n]+/g, " "); }

  // The draft as the linter sees it, and where each field starts in it.
  function buildDraft() {
    const subject = oneLine(subjectEl.value);
    const body = bodyEl.value;
    const hasSubject = subject.trim() !== "";
    const prefix = hasSubject ? "Subject: " : "";
    const subjectStart = prefix.length;
    const bodyStart = hasSubject ? subjectStart + subject.length + 2 : 0;
    const text = (hasSubject ? prefix + subject + "\n\n" : "") + body;
    return { text, subject, body, hasSubject, subjectStart, bodyStart };
  }

  // A span of the draft -> {field, start, end} within one field, or null.
  function toField(layout, start, end) {
    if (layout.hasSubject && start >= layout.subjectStart && end <= layout.subjectStart + layout.subject.length) {
      return { field: "subject", start: start - layout.subjectStart, end: end - layout.subjectStart };
    }
    if (start >= layout.bodyStart && end <= layout.bodyStart + layout.body.length) {
      return { field: "body", start: start - layout.bodyStart, end: end - layout.bodyStart };
    }
    return null;
  }

  function contextValues() {
    const out = {};
    for (const key of KEYS) out[key] = $("ctx-" + key).value.trim();
    out.ignore = state.ignore;
    return out;
  }

  // --- linting --------------------------------------------------------------------------------
  function changed() {
    state.edits += 1;
    state.inputAt = performance.now();  // bench/serve_latency.py: keystroke -> underline
    if (state.file) setDirty(true);
    else saveSession();
    autoGrow();
    scheduleLint(LINT_DELAY_MS);
  }

  function scheduleLint(delay) {
    clearTimeout(state.timer);
    state.pending = true;
    state.timer = setTimeout(lintNow, delay);
  }

  async function lintNow() {
    state.pending = false;
    const layout = buildDraft();
    const edits = state.edits;
    const seq = ++state.seq;
    if (!layout.text.trim()) {
      render({ findings: [], score: null, verdict: null, fix_all: [], notes: [], schedule: null, field_errors: {} }, layout);
      $("status").textContent = "";
      return;
    }
    $("status").textContent = "Checking…";
    let res;
    try {
      res = await api("/api/lint", {
        text: layout.text, context: contextValues(), channel, seq,
        format: state.file && state.file.format === "md" ? "md" : "txt",
      });
    } catch (err) {
      $("status").textContent = "Could not check the draft: " + err.message;
      return;
    }
    if (res.superseded || seq !== state.seq || edits !== state.edits) return;  // a newer edit is on its way
    render(res, layout);
    // The frame that shows the underlines (bench/serve_latency.py reads this).
    requestAnimationFrame(() => {
      state.shown = { edits, at: performance.now() };
      window.dispatchEvent(new CustomEvent("followup-lint-shown"));
    });
  }

  // --- rendering --------------------------------------------------------------------------
  function render(res, layout) {
    state.result = { res, layout };
    const restore = focusKey();
    const placed = res.findings.map((f) => ({ f, at: f.start < f.end ? toField(layout, f.start, f.end) : null }));
    paint(subjectEl, $("subject-backdrop"), placed.filter((p) => p.at && p.at.field === "subject"));
    paint(bodyEl, $("body-backdrop"), placed.filter((p) => p.at && p.at.field === "body"));
    renderGauge(res);
    renderFindings(placed, layout);
    renderNotes(res);
    renderSchedule(res);
    renderFieldErrors(res.field_errors || {});
    const fixable = (res.fix_all || []).filter((e) => toField(layout, e.start, e.end)).length;
    const allFixes = $("fix-all");
    allFixes.disabled = fixable === 0;
    allFixes.textContent = fixable ? `Apply all safe fixes (${fixable})` : "Apply all safe fixes";
    $("status").textContent = res.error ? res.error : "";
    $("writer").dataset.lintSeq = String(state.seq);  // the browser test waits on this
    restoreFocus(restore);
    syncActive();
  }

  // The backdrop: the field's text with each finding wrapped in <mark>; overlapping
  // findings split into pieces that carry every finding id covering them.
  function paint(textarea, backdrop, items) {
    const text = textarea.value;
    const cuts = new Set([0, text.length]);
    for (const { at } of items) { cuts.add(at.start); cuts.add(at.end); }
    const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
    const order = { error: 0, warning: 1, info: 2 };
    backdrop.textContent = "";
    for (let i = 0; i + 1 < points.length; i++) {
      const s = points[i], e = points[i + 1];
      const piece = text.slice(s, e);
      const covering = items.filter(({ at }) => at.start <= s && at.end >= e);
      if (!covering.length) { backdrop.append(piece); continue; }
      covering.sort((a, b) => order[a.f.severity] - order[b.f.severity]);
      backdrop.append(el("mark", {
        class: "sev-" + covering[0].f.severity,
        "data-ids": covering.map((c) => c.f.id).join(" "),
        text: piece,
      }));
    }
    backdrop.append("\u200b");  // keeps a trailing newline's height, as the textarea has it
  }

  function renderGauge(res) {
    const gauge = $("gauge");
    const score = res.score;
    $("score").textContent = score === null || score === undefined ? "–" : String(score);
    $("gauge-arc").setAttribute("stroke-dashoffset", String(100 - (score || 0)));
    gauge.setAttribute("aria-valuenow", String(score || 0));
    gauge.setAttribute("aria-valuetext", score === null || score === undefined ? "no score yet" : `${score} out of 100, ${res.verdict}`);
    gauge.className = "gauge " + (res.verdict || "");
    $("verdict").textContent = res.verdict ? res.verdict : "Start typing";
    $("kind-line").textContent = res.kind ? `Kind: ${res.kind}${res.kind_source && res.kind_source !== "stated" ? " (" + res.kind_source + ")" : ""}` : "";
  }

  function where(layout, f, at) {
    if (!at) return "whole email";
    if (at.field === "subject") return "subject";
    const before = layout.body.slice(0, at.start);
    return "line " + (before.split("\n").length);
  }

  function renderFindings(placed, layout) {
    const list = $("findings");
    list.textContent = "";
    placed.sort((a, b) => (a.f.start - b.f.start) || (a.f.id - b.f.id));
    $("count").textContent = placed.length ? `(${placed.length})` : "";
    if (!placed.length && state.result.res.score !== null && state.result.res.score !== undefined) {
      list.append(el("li", { class: "hint", text: "Nothing to fix: this draft reads well." }));
    }
    placed.forEach(({ f, at }, index) => {
      const item = el("li", { class: "finding sev-" + f.severity, "data-id": f.id, "data-rule": f.rule });
      item.append(el("div", { class: "head" },
        el("span", { class: "sev", text: f.severity }),
        el("code", { text: f.rule }),
        el("span", { class: "where", text: "· " + where(layout, f, at) })));
      item.append(el("p", { class: "message", text: f.message }));
      if (f.why) item.append(el("p", { class: "why" }, el("strong", { text: "Why it matters: " }), f.why));
      if (f.suggestion) item.append(el("p", { class: "instead" }, el("strong", { text: "Instead: " }), f.suggestion));
      const buttons = el("div", { class: "buttons" });
      if (at) {
        buttons.append(el("button", {
          type: "button", class: "small show", "data-focus": `show-${index}`,
          "aria-label": `Show ${f.rule} in the ${at.field}`, text: "Show in text",
          onclick: () => select(at),
        }));
      }
      if (f.fix) {
        const fixable = f.fix.edits.every((e) => toField(layout, e.start, e.end));
        buttons.append(el("button", {
          type: "button", class: "small fix " + (f.fix.safe ? "safe" : "unsafe"), "data-focus": `fix-${index}`,
          disabled: !fixable,
          text: (f.fix.safe ? "Fix: " : "Preview: ") + f.fix.title,
          onclick: () => (f.fix.safe ? applyEdits(f.fix.edits, `Applied: ${f.fix.title}`) : preview(item, f, index)),
        }));
      }
      item.append(buttons);
      const more = el("details", { "data-focus": `more-${index}` }, el("summary", { text: `More about ${f.rule}` }));
      more.addEventListener("toggle", () => explain(more, f.rule), { once: true });
      item.append(more);
      list.append(item);
    });
  }

  async function explain(details, rule) {
    const pre = el("pre", { text: "Loading…" });
    details.append(pre);
    try {
      const res = await api("/api/explain?rule=" + encodeURIComponent(rule));
      pre.textContent = res.text;
    } catch (err) {
      pre.textContent = "Could not load the explanation: " + err.message;
    }
  }

  // An unsafe fix is shown first: the words it removes and adds, then Apply or Cancel.
  function preview(item, f, index) {
    const old = item.querySelector(".preview");
    if (old) old.remove();
    const { layout } = state.result;
    const box = el("div", { class: "preview", role: "group", "aria-label": "Preview of the change" });
    for (const e of f.fix.edits) {
      const s = Math.max(0, e.start - 40), t = Math.min(layout.text.length, e.end + 40);
      box.append(el("p", {},
        (s > 0 ? "…" : "") + layout.text.slice(s, e.start),
        e.end > e.start ? el("del", { text: layout.text.slice(e.start, e.end) }) : null,
        e.replacement ? el("ins", { text: e.replacement }) : null,
        layout.text.slice(e.end, t) + (t < layout.text.length ? "…" : "")));
    }
    const apply = el("button", { type: "button", class: "small primary", "data-focus": `apply-${index}`, text: "Apply this change",
      onclick: () => applyEdits(f.fix.edits, `Applied: ${f.fix.title}`) });
    const cancel = el("button", { type: "button", class: "small", "data-focus": `cancel-${index}`, text: "Cancel",
      onclick: () => { box.remove(); item.querySelector(".fix").focus(); } });
    box.append(el("p", { class: "hint", text: "This change rewrites your words: read it before you apply it." }),
      el("div", { class: "buttons" }, apply, cancel));
    item.querySelector(".buttons").after(box);
    apply.focus();
  }

  // Apply edits (offsets into the draft the last lint saw) to the fields they fall in.
  function applyEdits(edits, message) {
    const { layout } = state.result;
    const current = buildDraft();
    if (current.text !== layout.text) { $("status").textContent = "The draft changed; try again in a moment."; return; }
    let subject = layout.subject, body = layout.body;
    const sorted = edits.map((e) => ({ e, at: toField(layout, e.start, e.end) })).filter((x) => x.at)
      .sort((a, b) => b.at.start - a.at.start);
    for (const { e, at } of sorted) {
      if (at.field === "subject") subject = subject.slice(0, at.start) + e.replacement + subject.slice(at.end);
      else body = body.slice(0, at.start) + e.replacement + body.slice(at.end);
    }
    subjectEl.value = oneLine(subject);
    bodyEl.value = body;
    changed();
    clearTimeout(state.timer);
    lintNow();
    $("copy-status").textContent = message;
  }

  function select(at) {
    const field = at.field === "subject" ? subjectEl : bodyEl;
    field.focus();
    field.setSelectionRange(at.start, at.end);
    syncActive();
  }

  // The finding under the caret is highlighted in the text and in the list.
  function syncActive() {
    if (!state.result) return;
    const active = document.activeElement;
    let ids = [];
    if (active === subjectEl || active === bodyEl) {
      const name = active === subjectEl ? "subject" : "body";
      const pos = active.selectionStart;
      ids = state.result.res.findings.filter((f) => {
        const at = f.start < f.end ? toField(state.result.layout, f.start, f.end) : null;
        return at && at.field === name && at.start <= pos && pos <= at.end;
      }).map((f) => String(f.id));
    }
    document.querySelectorAll(".hl mark").forEach((m) => {
      m.classList.toggle("active", m.dataset.ids.split(" ").some((id) => ids.includes(id)));
    });
    document.querySelectorAll(".finding").forEach((li) => li.classList.toggle("active", ids.includes(li.dataset.id)));
  }

  function focusKey() {
    const a = document.activeElement;
    if (!a || !$("findings").contains(a)) return null;
    const keyed = a.closest("[data-focus]");
    return keyed ? keyed.dataset.focus : "list";
  }

  function restoreFocus(key) {
    if (!key) return;
    const target = document.querySelector(`#findings [data-focus="${key}"]`);
    if (target && !target.disabled) {
      (target.tagName === "DETAILS" ? target.querySelector("summary") : target).focus();
      return;
    }
    const first = document.querySelector("#findings button:not(:disabled)");
    (first || $("findings-title")).focus();
  }

  function renderNotes(res) {
    const list = $("notes");
    list.textContent = "";
    for (const note of res.notes || []) list.append(el("li", { text: note }));
  }

  function day(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function renderSchedule(res) {
    const box = $("schedule");
    const plan = res.schedule;
    if (!plan) {
      box.textContent = "";
      box.append(el("p", { class: "hint", text: "Give the interview date (and the date they said you would hear back) to see when to send the thank-you and the earliest check-in." }));
      return;
    }
    box.textContent = "";
    if (plan.interview_date) {
      box.append(el("p", {}, el("strong", { text: "Thank-you: " }),
        `send it on ${day(plan.interview_date)} or the next day (by ${day(plan.thank_you_by)} at the latest).`));
    }
    if (plan.reply_promised_by) box.append(el("p", { text: `They promised news by ${day(plan.reply_promised_by)}.` }));
    if (plan.checkin_from) {
      box.append(el("p", {}, el("strong", { text: "Earliest check-in: " }), `${day(plan.checkin_from)} (${plan.checkin_basis}).`));
      box.append(el("p", { text: "The check-in should:" }));
      box.append(el("ul", {}, ...plan.checkin_should.map((s) => el("li", { text: s }))));
    }
    if (plan.draft) {
      const late = (plan.draft.days_early || 0) > 0 || (plan.draft.days_late || 0) > 0;
      box.append(el("p", { class: late ? "late" : "ok", id: "schedule-verdict",
        text: `This ${plan.draft.kind} draft, sent ${day(plan.draft.send_date)}: ${plan.draft.verdict}.` }));
    }
  }

  function renderFieldErrors(errors) {
    for (const key of ["interview_date", "reply_promised_by", "send_date"]) {
      $("err-" + key).textContent = errors[key] || "";
      $("ctx-" + key).setAttribute("aria-invalid", errors[key] ? "true" : "false");
    }
  }

  // --- the fields ---------------------------------------------------------------------------
  function autoGrow() {
    for (const t of [subjectEl, bodyEl]) {
      t.style.height = "0px";  // so scrollHeight is the text's own height (min-height still applies)
      t.style.height = t.scrollHeight + 2 + "px";
    }
  }

  subjectEl.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); bodyEl.focus(); } });
  subjectEl.addEventListener("input", () => {
    if (/[\r\n]/.test(subjectEl.value)) subjectEl.value = oneLine(subjectEl.value);
    changed();
  });
  bodyEl.addEventListener("input", changed);
  // A pasted email that starts with "Subject: ..." into an empty subject: split it.
  bodyEl.addEventListener("paste", () => setTimeout(() => {
    const m = /^[ \t]*subject:[ \t]*(.*)\r?\n(?:[ \t]*\r?\n)*/i.exec(bodyEl.value);
    if (m && !subjectEl.value.trim()) {
      subjectEl.value = m[1].trim();
      bodyEl.value = bodyEl.value.slice(m[0].length);
      changed();
    }
  }, 0));
  for (const t of [subjectEl, bodyEl]) {
    for (const ev of ["keyup", "click", "focus", "select"]) t.addEventListener(ev, syncActive);
  }
  for (const key of KEYS) {
    $("ctx-" + key).addEventListener(key === "kind" || key === "setting" ? "change" : "input", changed);
  }
  window.addEventListener("resize", autoGrow);

  // --- copy -------------------------------------------------------------------------------
  async function copy(text, what) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (e) {
      const scratch = el("textarea", { "aria-hidden": "true", class: "visually-hidden" });
      scratch.value = text;
      document.body.append(scratch);
      scratch.select();
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      scratch.remove();
    }
    state.copied = text;
    $("copy-status").textContent = ok ? `Copied the ${what}.` : `Could not copy; select the ${what} and copy it yourself.`;
  }
  $("copy").addEventListener("click", () => copy(bodyEl.value.replace(/\s+$/, "") + "\n", "email"));
  $("copy-subject").addEventListener("click", () => copy(oneLine(subjectEl.value).trim(), "subject"));
  $("fix-all").addEventListener("click", () => {
    const edits = state.result ? state.result.res.fix_all : [];
    applyEdits(edits, `Applied ${edits.length} safe fix${edits.length === 1 ? "" : "es"}.`);
  });

  // --- a draft from the folder, and Save ---------------------------------------------------
  function setDirty(dirty) {
    state.dirty = dirty;
    $("dirty").hidden = !dirty;
  }

  function setFields(subject, body, context) {
    subjectEl.value = oneLine(subject || "");
    bodyEl.value = body || "";
    for (const key of KEYS) {
      const input = $("ctx-" + key);
      const value = (context && context[key]) || "";
      input.value = input.tagName === "SELECT" ? (value || (key === "kind" ? "auto" : "unknown")) : value;
    }
    state.ignore = (context && context.ignore) || [];
    $("ignored").hidden = !state.ignore.length;
    $("ignored").textContent = state.ignore.length ? "This draft's front matter turns off: " + state.ignore.join(", ") : "";
  }

  async function openFile(path) {
    $("status").textContent = "Opening " + path + "…";
    let res;
    try {
      res = await api("/api/file?path=" + encodeURIComponent(path));
    } catch (err) {
      $("status").textContent = "Could not open " + path + ": " + err.message;
      return;
    }
    state.file = res;
    setFields(res.subject, res.body, res.context);
    $("file-bar").hidden = false;
    $("file-name").textContent = res.path;
    $("save").disabled = !res.writable;
    $("save-status").textContent = res.writable ? "" : res.why_readonly;
    setDirty(false);
    state.edits += 1;
    autoGrow();
    lintNow();
  }

  $("save").addEventListener("click", async () => {
    if (!state.file) return;
    $("save-status").textContent = "Saving…";
    try {
      const res = await api("/api/save", {
        path: state.file.path, subject: subjectEl.value, body: bodyEl.value, context: contextValues(), sha: state.file.sha,
      });
      state.file.sha = res.sha;
      setDirty(false);
      $("save-status").textContent = res.changed ? "Saved." : "Saved (no changes).";
    } catch (err) {
      $("save-status").textContent = "Not saved: " + err.message;
    }
  });
  window.addEventListener("beforeunload", (e) => { if (state.dirty) { e.preventDefault(); e.returnValue = ""; } });

  function saveSession() {
    try {
      sessionStorage.setItem("followup-lint-draft", JSON.stringify({ subject: subjectEl.value, body: bodyEl.value, context: contextValues() }));
    } catch (e) { /* private mode: fine */ }
  }

  function restoreSession() {
    try {
      const saved = JSON.parse(sessionStorage.getItem("followup-lint-draft") || "null");
      if (saved) setFields(saved.subject, saved.body, saved.context);
    } catch (e) { /* ignore */ }
  }

  // --- the coach's view ----------------------------------------------------------------------
  async function loadFolder() {
    $("folder-status").textContent = "Checking every draft…";
    try {
      const res = await api("/api/folder");
      state.drafts = res.drafts;
      $("folder-name").textContent = res.folder;
      renderTable();
      renderChart(res.frequency);
      const problems = (res.problems || []).map((p) => p.path + ": " + p.error);
      const errors = res.drafts.filter((d) => d.error).length;
      $("folder-status").textContent = `${res.drafts.length} draft${res.drafts.length === 1 ? "" : "s"}` +
        (errors ? `, ${errors} could not be read` : "") + (problems.length ? ". " + problems.join("; ") : ".");
    } catch (err) {
      $("folder-status").textContent = "Could not read the folder: " + err.message;
    }
  }

  function renderTable() {
    const { key, dir } = state.sort;
    const rows = [...state.drafts].sort((a, b) => {
      const x = a[key], y = b[key];
      if (x === y) return a.path.localeCompare(b.path);
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (typeof x === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
    });
    document.querySelectorAll("#drafts th").forEach((th) => {
      if (th.dataset.key === key) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    const body = document.querySelector("#drafts tbody");
    body.textContent = "";
    for (const d of rows) {
      body.append(el("tr", { "data-path": d.path },
        el("td", {}, el("a", { href: "#/draft/" + encodeURIComponent(d.path), text: d.path })),
        el("td", { text: d.error ? "—" : d.kind }),
        el("td", { class: "num", text: d.score === null ? "—" : String(d.score) }),
        el("td", {}, d.error ? el("span", { text: d.error }) : el("span", { class: "verdict-" + d.verdict, text: d.verdict })),
        el("td", { class: "num", text: String(d.findings) })));
    }
  }

  document.querySelectorAll("#drafts th button").forEach((b) => b.addEventListener("click", () => {
    const key = b.dataset.key;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
    renderTable();
  }));

  function renderChart(frequency) {
    const chart = $("chart");
    chart.textContent = "";
    if (!frequency.length) { chart.append(el("li", { class: "hint", text: "No rule fired in this folder." })); return; }
    const max = Math.max(...frequency.map((r) => r.count));
    for (const r of frequency) {
      const fill = el("span", { class: "fill" });
      fill.style.width = (100 * r.count / max).toFixed(1) + "%";  // CSSOM: allowed by the CSP
      chart.append(el("li", { "data-rule": r.rule, title: r.title },
        el("span", { class: "label" }, el("code", { text: r.rule })),
        el("span", { class: "bar", "aria-hidden": "true" }, fill),
        el("span", { class: "n", text: String(r.count), "aria-label": `${r.count} finding${r.count === 1 ? "" : "s"}` })));
    }
  }

  // --- views --------------------------------------------------------------------------------
  function route() {
    const hash = location.hash || (state.folder ? "#/folder" : "#/");
    const coach = hash === "#/folder";
    $("coach").hidden = !coach;
    $("writer").hidden = coach;
    for (const [id, on] of [["nav-write", !coach], ["nav-folder", coach]]) {
      if (on) $(id).setAttribute("aria-current", "page"); else $(id).removeAttribute("aria-current");
    }
    if (coach) loadFolder();
    if (hash.startsWith("#/draft/")) {
      openFile(decodeURIComponent(hash.slice("#/draft/".length)));
    } else if (!coach && state.file) {
      state.file = null;
      $("file-bar").hidden = true;
      setDirty(false);
      setFields("", "", {});
      restoreSession();
      changed();
    }
  }

  window.addEventListener("hashchange", (e) => {
    if (state.dirty && !confirm("This draft has unsaved changes. Leave without saving?")) {
      history.replaceState(null, "", new URL(e.oldURL).hash);  // stay on the draft
      return;
    }
    route();
  });

  async function start() {
    try {
      const info = await api("/api/info");
      state.folder = info.folder;
      state.today = info.today;
      $("nav-folder").hidden = !info.folder;
      $("ctx-send_date").placeholder = "today (" + info.today + ")";
    } catch (err) {
      fatal(err.status === 401
        ? "This page needs the address `followup-lint serve` printed (it carries a token). Open that address again."
        : "The followup-lint server is not answering: " + err.message);
      return;
    }
    restoreSession();
    autoGrow();
    route();
    if (!location.hash.startsWith("#/draft/") && buildDraft().text.trim()) lintNow();
  }
  start();
})();
