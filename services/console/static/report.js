// The report form: what is typed is kept in this browser (localStorage) at once and saved
// as the server's draft shortly after; sending goes by fetch, so a lost connection leaves
// the page and every typed character as they were, and the button simply sends again
// (the draft's submission key makes a repeat of an accepted report a repeat, not a copy).
(() => {
  const storeKey = (form) => "tidtam-draft:" + form.dataset.report;

  function typed(form) {
    const found = {};
    for (const element of form.elements) {
      if (element.name && element.name.includes(":") && element.type !== "file") found[element.name] = element.value;
    }
    return found;
  }

  function notice(kind) {
    const box = document.getElementById("connection");
    if (!box) return;
    box.textContent = box.dataset[kind] || "";
    box.hidden = !kind;
  }

  function body(form, submitter) {
    const data = new FormData(form);
    for (const element of form.elements) if (element.type === "file") data.delete(element.name);
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    return data;
  }

  function csrf() {
    const token = document.querySelector('meta[name="csrf-token"]');
    return token ? token.content : "";
  }

  let pending = null;
  async function saveDraft(form) {
    try {
      const answer = await fetch(form.dataset.report + "/draft", {
        method: "POST", body: body(form), headers: { "X-Requested-With": "fetch", "X-CSRF-Token": csrf() },
      });
      if (!answer.ok) return;
      const state = document.getElementById("draft-state");
      if (state) state.outerHTML = await answer.text();
      notice("");
    } catch (error) {
      notice("offline");
    }
  }

  function setUp(afterSend) {
    const form = document.getElementById("report-form");
    if (!form) return;
    const state = document.getElementById("draft-state");
    const savedAt = Number(state ? state.dataset.savedAt : 0);
    const report = document.getElementById("report");
    const outcome = report ? report.dataset.outcome : "";
    if (outcome === "accepted" || outcome === "repeat" || outcome === "sheet_accepted") {
      localStorage.removeItem(storeKey(form));
    } else if (!afterSend) {  // the page just answered a send: it holds what was sent
      const local = JSON.parse(localStorage.getItem(storeKey(form)) || "null");
      if (local && local.at > savedAt) {  // typed here after the server's draft: restore it
        for (const [name, value] of Object.entries(local.typed)) {
          const element = form.elements.namedItem(name);
          if (element && "value" in element) element.value = value;
        }
        notice("restored");
      }
    }
    form.addEventListener("input", () => {
      localStorage.setItem(storeKey(form), JSON.stringify({ at: Date.now(), typed: typed(form) }));
      clearTimeout(pending);
      pending = setTimeout(() => saveDraft(form), 1500);
    });
    form.addEventListener("submit", async (event) => {
      const submitter = event.submitter;
      if (!submitter || !submitter.hasAttribute("data-send")) return;  // draft, evidence: plain posts
      event.preventDefault();
      clearTimeout(pending);
      localStorage.setItem(storeKey(form), JSON.stringify({ at: Date.now(), typed: typed(form) }));
      submitter.disabled = true;
      try {
        const answer = await fetch(form.action, {
          method: "POST", body: body(form), headers: { "X-Requested-With": "fetch", "X-CSRF-Token": csrf() },
        });
        const page = new DOMParser().parseFromString(await answer.text(), "text/html");
        const fresh = page.getElementById("report");
        if (!fresh) throw new Error("no report in the answer");
        document.getElementById("report").replaceWith(fresh);
        setUp(true);
        const first = document.querySelector('#report [role="alert"]:not([hidden]), #report [role="status"]');
        if (first) first.scrollIntoView({ block: "center" });
      } catch (error) {
        submitter.disabled = false;
        notice("lost");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => setUp(false));
})();
