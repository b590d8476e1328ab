// Claims: the list with its states, and the entry form with live validation. Nothing typed is
// ever lost: an invalid claim is kept as a draft, a refused one stays editable beside RAMQ's
// messages.
import { routeParams } from "../main.js";
import { clear, el, field, formatDate, formatMoney } from "../dom.js";
import { t } from "../i18n.js";

const STATES = ["", "draft", "ready", "queued", "sent", "receivable", "refused", "paid"];

export async function render(root, ctx) {
  const params = routeParams();
  if (params.new) return form(root, ctx, null);
  if (params.id) return form(root, ctx, Number(params.id));
  return list(root, ctx, params.state || "");
}

async function list(root, ctx, state) {
  const lang = ctx.lang();
  const { claims, limitedTo } = await ctx.api.claims(state);
  const filter = el("select", { id: "state-filter", "aria-label": t("claims.filter") },
    ...STATES.map((s) => el("option", { value: s, text: s ? t(`state.${s}`) : t("claims.all"), selected: s === state })));
  filter.addEventListener("change", () => ctx.go(filter.value ? `claims?state=${filter.value}` : "claims"));
  const rows = claims.map((c) => el("tr", { "data-claim-id": String(c.id), "data-state": c.state },
    el("td", { text: c.externalId }),
    el("td", { text: formatDate(c.serviceDate, lang) }),
    el("td", { text: c.patient }),
    el("td", { class: "num", text: formatMoney(c.total, lang) }),
    el("td", {}, el("span", { class: `pill pill-${c.state}`, text: t(`state.${c.state}`) })),
    el("td", {}, c.editable
      ? el("button", { type: "button", class: "small", "data-edit": String(c.id), text: c.state === "refused" ? t("claims.fix") : t("claims.edit"), onclick: () => ctx.go(`claims?id=${c.id}`) })
      : null)));
  root.append(el("section", { class: "card" },
    el("div", { class: "toolbar" },
      el("h2", { i18n: "claims.title" }),
      filter,
      el("button", { id: "new-claim", type: "button", i18n: "claims.new", onclick: () => ctx.go("claims?new=1") }),
      el("button", { id: "import-claims", type: "button", class: "secondary", i18n: "claims.import", onclick: () => importForm(root, ctx) })),
    limitedTo ? el("p", { class: "muted", id: "claims-limited", text: t("claims.limited").replace("{n}", limitedTo) }) : null,
    claims.length === 0 ? el("p", { class: "muted", id: "no-claims", i18n: "claims.none" }) :
      el("table", { class: "list", id: "claims-table" },
        el("thead", {}, el("tr", {}, ...["claims.ref", "claims.date", "claims.patient", "claims.total", "claims.state", ""].map((k) => el("th", { text: k ? t(k) : "" })))),
        el("tbody", {}, ...rows))));
}

function importForm(root, ctx) {
  const box = el("p", { class: "error form-error", role: "alert", hidden: true });
  const result = el("div", { id: "import-result", "aria-live": "polite" });
  const text = el("textarea", { id: "csv-text", rows: "8", "aria-label": t("claims.import.paste") });
  const file = el("input", { type: "file", id: "csv-file", accept: ".csv,text/csv", "aria-label": t("claims.import.file") });
  file.addEventListener("change", async () => { if (file.files[0]) text.value = await file.files[0].text(); });
  clear(root).append(el("section", { class: "card" },
    el("h2", { i18n: "claims.import" }),
    el("p", { class: "muted", i18n: "claims.import.help" }),
    file, text, box, result,
    el("div", { class: "choices" },
      el("button", { id: "import-run", type: "button", i18n: "claims.import.run", onclick: run }),
      el("button", { type: "button", class: "secondary", i18n: "common.back", onclick: () => ctx.go("claims") }))));
  async function run() {
    box.hidden = true;
    try {
      const r = await ctx.api.importClaims(text.value);
      clear(result).append(el("p", { id: "import-summary", text: t("claims.import.done").replace("{ok}", r.imported).replace("{bad}", r.rejected.length) }),
        ...r.rejected.map((row) => el("p", { class: "error", text: `${t("claims.import.row")} ${row.row}: ${row.problems.map((p) => p.message).join(" ")}` })));
    } catch (error) { box.textContent = error.message; box.hidden = false; }
  }
}

function emptyClaim(settings) {
  const today = settings.today;
  return {
    external_id: "", professional: settings.professional || "", place: settings.place || "",
    patient: { kind: "with_nam", nam: "", surname: "", first_name: "" },
    remuneration: "RFP", clientele: settings.clientele || "physicians", late_allowed: false,
    lines: [{ billing_code: "", service_date: today, role: "1", units: 1, amount: "" }],
  };
}

async function form(root, ctx, id) {
  const settings = await ctx.api.settings();
  const loaded = id ? await ctx.api.claim(id) : null;
  const claim = loaded ? loaded.claim : emptyClaim(settings);
  const box = el("p", { class: "error form-error", role: "alert", hidden: true });
  const ramq = el("ul", { id: "ramq-messages", class: "ramq-messages" });
  const linesBox = el("div", { id: "lines" });
  const f = el("form", { id: "claim-form", novalidate: true },
    el("fieldset", {}, el("legend", { i18n: "claim.patient" }),
      el("div", { class: "field inline" },
        el("label", {}, el("input", { type: "checkbox", id: "without-nam", checked: claim.patient.kind === "without_nam" }), " ", t("claim.withoutNam"))),
      field({ id: "nam", label: t("claim.nam"), value: claim.patient.nam || "", attrs: { autocomplete: "off", placeholder: "TREM 0412 1925" } }),
      field({ id: "surname", label: t("claim.surname"), value: claim.patient.surname, attrs: { autocomplete: "off" } }),
      field({ id: "first-name", label: t("claim.firstName"), value: claim.patient.first_name, attrs: { autocomplete: "off" } }),
      field({ id: "birth-date", label: t("claim.birthDate"), type: "date", value: claim.patient.birth_date || "" }),
      field({ id: "sex", label: t("claim.sex"), type: "select" })),
    el("fieldset", {}, el("legend", { i18n: "claim.service" }),
      field({ id: "professional", label: t("claim.professional"), value: claim.professional, attrs: { inputmode: "numeric" } }),
      field({ id: "place", label: t("claim.place"), value: claim.place, attrs: { inputmode: "numeric" } }),
      el("div", { class: "field inline" },
        el("label", {}, el("input", { type: "checkbox", id: "late-allowed", checked: claim.late_allowed }), " ", t("claim.lateAllowed")))),
    el("fieldset", {}, el("legend", { i18n: "claim.lines" }), linesBox,
      el("button", { type: "button", class: "secondary small", id: "add-line", i18n: "claim.addLine", onclick: () => { claim.lines.push({ billing_code: "", service_date: claim.lines.at(-1)?.service_date || "", role: "1", units: 1, amount: "" }); drawLines(); } })),
    box,
    el("div", { class: "choices" },
      el("button", { id: "save-claim", type: "submit", i18n: "claim.save" }),
      el("button", { type: "button", class: "secondary", i18n: "common.back", onclick: () => ctx.go("claims") })));
  const sex = f.querySelector("#sex");
  for (const s of ["female", "male"]) sex.append(el("option", { value: s, text: t(`claim.sex.${s}`), selected: claim.patient.sex === s }));
  const withoutNam = f.querySelector("#without-nam");
  const toggleKind = () => {
    for (const sel of ["#birth-date", "#sex"]) f.querySelector(sel).closest(".field").hidden = !withoutNam.checked;
    f.querySelector("#nam").closest(".field").hidden = withoutNam.checked;
  };
  withoutNam.addEventListener("change", () => { toggleKind(); validate(); });
  toggleKind();

  function drawLines() {
    clear(linesBox);
    claim.lines.forEach((line, i) => {
      linesBox.append(el("div", { class: "line", "data-line": String(i) },
        field({ id: `line-${i}-billing_code`, label: t("claim.code"), value: line.billing_code, attrs: { class: "short" } }),
        field({ id: `line-${i}-service_date`, label: t("claim.date"), type: "date", value: line.service_date }),
        field({ id: `line-${i}-role`, label: t("claim.role"), value: line.role, attrs: { class: "tiny" } }),
        field({ id: `line-${i}-units`, label: t("claim.units"), type: "number", value: line.units, attrs: { min: "1", class: "tiny" } }),
        field({ id: `line-${i}-amount`, label: t("claim.amount"), value: line.amount, attrs: { inputmode: "decimal", class: "short", placeholder: "0.00" } })));
    });
  }
  drawLines();

  function read() {
    const v = (sel) => f.querySelector(sel).value.trim();
    claim.professional = v("#professional");
    claim.place = v("#place");
    claim.late_allowed = f.querySelector("#late-allowed").checked;
    claim.patient = withoutNam.checked
      ? { kind: "without_nam", surname: v("#surname"), first_name: v("#first-name"), birth_date: v("#birth-date") || null, sex: v("#sex") }
      : { kind: "with_nam", nam: v("#nam"), surname: v("#surname"), first_name: v("#first-name") };
    claim.lines = claim.lines.map((_, i) => ({
      billing_code: v(`#line-${i}-billing_code`), service_date: v(`#line-${i}-service_date`) || null,
      role: v(`#line-${i}-role`), units: Number(v(`#line-${i}-units`) || 0), amount: v(`#line-${i}-amount`).replace(",", "."),
    }));
    return claim;
  }

  function show(problems) {
    for (const msg of f.querySelectorAll(".field-msg")) { msg.textContent = ""; msg.className = "field-msg"; }
    for (const input of f.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const general = [];
    for (const p of problems) {
      const target = f.querySelector(`#${fieldId(p.field)}-msg`);
      if (!target) { general.push(p.message); continue; }
      target.textContent = [target.textContent, p.message].filter(Boolean).join(" ");
      target.classList.add(p.severity === "warning" ? "warn" : "bad");
      target.dataset.code = p.code;
      if (p.severity !== "warning") f.querySelector(`#${fieldId(p.field)}`)?.setAttribute("aria-invalid", "true");
    }
    box.textContent = general.join(" ");
    box.hidden = general.length === 0;
  }

  let timer = null;
  async function validate() {
    // A blank invoice number is assigned on save: not a problem while typing.
    const blankId = !claim.external_id.trim();
    try {
      const problems = await ctx.api.validateClaim(read());
      show(problems.filter((p) => !(blankId && p.code === "external_id_missing")));
    } catch (error) { ctx.showError(error); }
  }
  f.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(validate, 250); });
  f.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    try {
      const saved = await ctx.api.saveClaim(id, read());
      id = saved.id;
      claim.external_id = saved.externalId;
      show(saved.problems);
      if (saved.state === "ready") ctx.go("claims");
      else { box.textContent = t("claim.savedDraft"); box.hidden = false; }
    } catch (error) { box.textContent = error.message; box.hidden = false; }
  });

  const lang = ctx.lang();
  if (loaded && loaded.ramqMessages.length) {
    ramq.append(el("li", { class: "title", i18n: "claim.ramqSaid" }),
      ...loaded.ramqMessages.map((m) => el("li", { "data-code": m.code, text: `${m.code} — ${m.text}` })));
  }
  root.append(el("section", { class: "card" },
    el("h2", { text: id ? `${t("claim.editTitle")} ${claim.external_id}` : t("claim.newTitle") }),
    loaded ? el("p", { class: "muted", text: `${t("claims.state")}: ${t(`state.${loaded.state}`)} · ${formatMoney(loaded.total, lang)}` }) : null,
    ramq, f));
  for (const m of loaded?.ramqMessages || []) {
    const target = m.field && f.querySelector(`#${fieldId(m.field)}-msg`);
    if (target) { target.textContent = `RAMQ ${m.code}: ${m.text}`; target.classList.add("bad"); }
  }
  if (id) validate();
}

// "patient.nam" -> "nam", "lines[0].service_date" -> "line-0-service_date".
function fieldId(path) {
  const line = /^lines\[(\d+)\]\.(\w+)$/.exec(path);
  if (line) return `line-${line[1]}-${line[2]}`;
  const map = { "patient.nam": "nam", "patient.surname": "surname", "patient.first_name": "first-name",
    "patient.birth_date": "birth-date", "patient.sex": "sex", professional: "professional", place: "place" };
  return map[path] || "none";
}
