// The report and home visit forms: −/+ steppers, the same checks as the server
// (the limits are in the inputs' min/max and data- attributes), and sending
// through the phone's queue so that nothing is lost without signal.
import {
  ATTENTION,
  SENT,
  config,
  get,
  items,
  newItem,
  referralCounts,
  remove,
  save,
  send,
  text,
} from "./outbox.js";
import { dayLabel, kept, localDate } from "./kept.js";

const form = document.querySelector("form.phone-form");

function errorElement(input) {
  return document.getElementById(`${input.id}-error`);
}

function showError(input, message) {
  const element = errorElement(input);
  const field = input.closest(".field");
  if (element) {
    element.textContent = message;
    element.hidden = !message;
  }
  if (field) field.classList.toggle("has-error", Boolean(message));
  if (message) {
    input.setAttribute("aria-invalid", "true");
    if (element) input.setAttribute("aria-errormessage", element.id);
  } else {
    input.removeAttribute("aria-invalid");
  }
}

// The same rules as the server's form: whole numbers, min..max, "of whom new"
// not above "people met", a note without CPR or phone numbers.
// Whether the note holds what the server refuses (a CPR or phone number, an
// e-mail address). A browser that cannot read the pattern leaves it to the server,
// which answers with the same message: the report is never blocked here.
function forbidden(pattern, value) {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}

function check(input) {
  const value = input.value.trim();
  if (input.type === "number") {
    if (value === "") return "";
    if (!/^\d+$/.test(value)) {
      return /^-\d+$/.test(value) ? text("negative") : text("invalid");
    }
    const number = Number(value);
    if (input.min !== "" && number < Number(input.min)) {
      return Number(input.min) > 0 ? text("invalid") : text("negative");
    }
    if (input.max !== "" && number > Number(input.max)) {
      return text("tooBig", { limit_value: input.max });
    }
    const other = input.dataset.notAbove && form.elements[input.dataset.notAbove];
    if (other && /^\d+$/.test(other.value) && number > Number(other.value)) {
      return text("notAbove");
    }
    return "";
  }
  if (input.tagName === "TEXTAREA") {
    if (input.maxLength > 0 && value.length > input.maxLength) {
      return text("tooLong", { limit_value: input.maxLength });
    }
    if (input.dataset.forbidden && forbidden(input.dataset.forbidden, value)) {
      return text("identifier");
    }
  }
  if (input.required && !value) return text("invalid");
  return "";
}

function validate(input) {
  const message = check(input);
  showError(input, message);
  return !message;
}

function checkAll() {
  let first = null;
  for (const input of form.querySelectorAll("input[type=number], textarea, input[type=date]")) {
    if (!validate(input) && !first) first = input;
  }
  return first;
}

// The stop's usual range per figure (visits/ranges.py), from the page or the kept
// bundle: a number outside it is asked about, never refused. The volunteer corrects
// it or ticks "Yes, the numbers are right"; the server stores it either way.
function ranges() {
  try {
    return JSON.parse(form.dataset.ranges || "{}");
  } catch {
    return {};
  }
}

function rangeMessage(input) {
  const range = ranges()[input.name];
  const value = input.value.trim();
  if (!range || !/^\d+$/.test(value)) return "";
  const number = Number(value);
  if (number >= range.low && number <= range.high) return "";
  const key = input.name === "people_met" ? "rangePeople" : "rangeOther";
  return text(key, { low: range.low, high: range.high, value: number });
}

function warningElement(input) {
  let element = document.getElementById(`${input.id}-warning`);
  if (!element) {
    element = document.createElement("p");
    element.className = "field-warning";
    element.id = `${input.id}-warning`;
    element.setAttribute("role", "status");
    element.hidden = true;
    input.closest(".field").append(element);
  }
  return element;
}

// Shows each figure's warning and the confirmation; true when some figure is outside.
// While typing, only the figures the volunteer has touched (a 0 not yet reached is
// no slip); on sending, every one.
function checkRanges(every = false) {
  let outside = false;
  for (const name of Object.keys(ranges())) {
    const input = form.elements[name];
    if (!input || !input.id) continue;
    const message = every || input.dataset.touched ? rangeMessage(input) : "";
    const element = warningElement(input);
    element.textContent = message;
    element.hidden = !message;
    if (message) outside = true;
  }
  const confirm = document.getElementById("range-confirm");
  if (confirm) confirm.hidden = !outside;
  return outside;
}

function step(button) {
  const input = document.getElementById(button.dataset.for);
  const size = Number(input.dataset.step || 1) * Number(button.dataset.dir);
  const current = /^\d+$/.test(input.value) ? Number(input.value) : 0;
  let next = current + size;
  // Steps of 15 minutes land on the quarter hour.
  if (Math.abs(size) > 1) next = Math.round(next / Math.abs(size)) * Math.abs(size);
  const min = input.min === "" ? 0 : Number(input.min);
  const max = input.max === "" ? Infinity : Number(input.max);
  input.value = String(Math.min(max, Math.max(min, next)));
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

// The report as the API takes it: referrals as [{service_type, count}], and the
// stored report's `version` when this one corrects it.
function payload() {
  const data = { referrals: [] };
  for (const element of form.elements) {
    if (!element.name || element.name === "csrfmiddlewaretoken" || element.name === "submission_id") continue;
    if (element.type === "checkbox") {
      data[element.name] = element.checked;
    } else if (element.name.startsWith("referral_")) {
      const count = Number(element.value || 0);
      if (count) data.referrals.push({ service_type: Number(element.name.slice("referral_".length)), count });
    } else if (element.type === "number") {
      data[element.name] = element.value === "" ? 0 : Number(element.value);
    } else if (element.name === "version") {
      if (element.value) data.version = Number(element.value);
    } else {
      data[element.name] = element.value;
    }
  }
  return data;
}

function fill(data) {
  for (const [name, value] of Object.entries(data)) {
    if (name === "referrals") continue;
    const element = form.elements[name];
    if (element && element.type !== "hidden") element.value = value;
  }
  const counts = referralCounts(data.referrals);
  for (const element of form.querySelectorAll("input[name^=referral_]")) {
    element.value = counts[element.name.slice("referral_".length)] || 0;
  }
  // Items queued before the phone spoke the API's field names say replaces_version.
  const version = data.version ?? data.replaces_version;
  if (version && form.elements.version) form.elements.version.value = version;
}

function checkFuture() {
  const visitDate = form.dataset.visitDate;
  if (!visitDate) return;
  const future = visitDate > localDate();
  const notice = document.getElementById("future-notice");
  if (notice) notice.hidden = !future;
  form.querySelector("button[type=submit]").disabled = future;
}

const FLASH_KEY = "drivein-flash";

async function submit(event) {
  event.preventDefault();
  const invalid = checkAll();
  if (invalid) {
    invalid.focus();
    invalid.scrollIntoView({ block: "center" });
    return;
  }
  const confirmed = form.elements.outliers_confirmed;
  if (checkRanges(true) && confirmed && !confirmed.checked) {
    const hint = document.getElementById("range-confirm-hint");
    if (hint) hint.textContent = text("rangeConfirm");
    confirmed.focus();
    confirmed.closest(".field").scrollIntoView({ block: "center" });
    return;
  }
  if (confirmed && !checkRanges(true)) confirmed.checked = false;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const data = payload();
  const replacing = replacingItem;
  // A change of a waiting report that was sent meanwhile corrects the sent one.
  if (replacing && replacing.state === SENT && replacing.server && !data.version) {
    data.version = replacing.server.version;
  }
  // When the volunteer pressed send, by the phone's clock (the server checks it).
  if (form.dataset.kind === "report") data.captured_at = new Date().toISOString();
  const item = newItem({
    kind: form.dataset.kind,
    url: form.dataset.apiUrl || form.action,
    formUrl: window.location.pathname,
    title: form.dataset.title,
    visitId: form.dataset.visitId ? Number(form.dataset.visitId) : null,
    payload: data,
  });
  // Kept on the phone first: whatever the network, it is not lost, and the
  // volunteer sees so at once. Today sends it in the background (with retries).
  await save(item);
  if (replacing) await remove(replacing.submission_id);
  const saved = document.getElementById("saved-status");
  if (saved) {
    saved.textContent = text("savedSending");
    saved.hidden = false;
  }
  // Coordinators have no Today with the queue: send now, then back to the week.
  if (form.dataset.after) {
    const result = navigator.onLine ? await send(item) : item;
    if (result.state === ATTENTION) {
      // Refused or in conflict: the server's own page says why, and offers the choice.
      await remove(item.submission_id);
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    window.location.href = form.dataset.after;
    return;
  }
  sessionStorage.setItem(FLASH_KEY, JSON.stringify({ text: text("savedSending"), id: item.submission_id }));
  window.location.href = config().todayUrl;
}

// The waiting report being changed (?queued=…, or the one waiting for this visit).
let replacingItem = null;

// The form of no visit in particular (kept by the service worker), filled in from
// the kept bundle: the visit, its suggested minutes, or why it cannot be reported.
function fillShell() {
  const match = window.location.pathname.match(/\/visits\/(\d+)\/report\/$/);
  const stored = kept();
  const id = match ? Number(match[1]) : null;
  const all = stored ? [...stored.bundle.shifts, ...(stored.bundle.othersToday || [])] : [];
  const shift = all.find((candidate) => candidate.id === id);
  const missing = document.getElementById("shell-missing");
  if (!shift || shift.cancelled) {
    // The page says why in its own words; a cancelled shift says so.
    if (shift) missing.textContent = text("cancelled");
    missing.hidden = false;
    return false;
  }
  if (shift.report && !shift.report.canEdit) {
    const box = document.getElementById("shell-stored");
    box.querySelector(".shell-stored-line").textContent = text("peopleMet", { count: shift.report.people_met });
    box.hidden = false;
    return false;
  }
  form.action = shift.reportUrl;
  form.dataset.apiUrl = shift.apiReportUrl;
  form.dataset.visitId = String(shift.id);
  form.dataset.visitDate = shift.date;
  form.dataset.ranges = JSON.stringify(shift.ranges || {});
  form.dataset.title = `${shift.community}, ${dayLabel(shift.date)}`;
  const line = document.getElementById("shell-visit-line");
  line.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = shift.community;
  line.append(strong, ` · ${dayLabel(shift.date)} · ${shift.start}–${shift.end}`);
  const minutes = form.elements.volunteer_minutes;
  const hint = minutes.closest(".field").querySelector(".hint");
  if (hint) {
    hint.textContent = hint.textContent
      .replace("<m>", shift.durationMinutes)
      .replace("<t>", shift.teamSize)
      .replace("<s>", shift.suggestedMinutes);
  }
  if (shift.report) {
    fill(shift.report);
    document.querySelector("h1").textContent = text("correctReport");
  } else {
    minutes.value = shift.suggestedMinutes;
  }
  form.hidden = false;
  return true;
}

async function prefillFromQueue() {
  const queued = new URLSearchParams(window.location.search).get("queued");
  let item = queued ? await get(queued) : null;
  if (!item && form.dataset.visitId) {
    const visitId = Number(form.dataset.visitId);
    item = (await items()).find((i) => i.kind === "report" && i.visitId === visitId && i.state !== SENT);
  }
  if (!item || item.userId !== config().userId) return;
  replacingItem = item;
  fill(item.payload);
  checkAll();
  const notice = document.getElementById("queued-notice");
  if (notice) {
    notice.textContent = text("editingQueued");
    notice.hidden = false;
  }
}

if (form) {
  form.noValidate = true;
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button.step");
    if (button) step(button);
  });
  form.addEventListener("input", (event) => {
    if (event.target.matches("input, textarea")) {
      validate(event.target);
      // "Of whom new" depends on "people met".
      const dependant = form.querySelector(`[data-not-above="${event.target.name}"]`);
      if (dependant) validate(dependant);
      if (event.target.name in ranges()) {
        event.target.dataset.touched = "1";
        checkRanges();
      }
    }
  });
  // Select the whole number on focus, so typing replaces the 0. A tap places the
  // caret where the finger landed after the focus (on a slow phone, before the first
  // key: "9" became "90"), so the tap's click selects it again.
  form.addEventListener("focusin", (event) => {
    const input = event.target;
    if (input.type !== "number") return;
    input.select();
    const again = () => input.select();
    input.addEventListener("click", again, { once: true });
    input.addEventListener("blur", () => input.removeEventListener("click", again), {
      once: true,
    });
  });
  form.addEventListener("submit", submit);
  const dateField = form.querySelector("[data-default-today] input[type=date]");
  if (dateField) {
    dateField.value = localDate();
    dateField.max = localDate();
  }
  if (form.hasAttribute("data-shell") && !fillShell()) {
    // Nothing to report here: the page says why.
  } else {
    checkFuture();
    prefillFromQueue().then(checkRanges);
  }
}
