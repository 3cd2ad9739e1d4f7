// The Today page: the phone's queue with each item's state (sent / waiting /
// needs attention, with the server's reason), "Send nu", the choice when a report
// conflicts with a stored one, check-in through the queue, and keeping the
// coming week's report forms on the phone.
import {
  ATTENTION,
  SENDING,
  SENT,
  WAITING,
  config,
  items,
  newItem,
  pruneSent,
  referralCounts,
  remove,
  replaceStored,
  save,
  send,
  sendAll,
  storedReport,
  text,
} from "./outbox.js";
import { bundle, clock, dayLabel, localDate, updatedLine } from "./kept.js";

const section = document.getElementById("outbox");
const list = document.getElementById("outbox-list");
const status = document.getElementById("outbox-status");
const sendButton = document.getElementById("send-now");

const BADGES = { [WAITING]: "warn", [SENDING]: "warn", [SENT]: "ok", [ATTENTION]: "bad" };

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function time(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString(document.documentElement.lang || "da", {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
}

function compareTable(item) {
  const labels = config().labels;
  const stored = storedReport(item);
  const mine = item.payload || {};
  const rows = Object.keys(labels)
    .filter((name) => name in stored || name in mine)
    .map((name) => [labels[name], stored[name] ?? "", mine[name] ?? ""]);
  const storedReferrals = referralCounts(stored.referrals);
  const myReferrals = referralCounts(mine.referrals);
  if (Object.keys(storedReferrals).length || Object.keys(myReferrals).length) {
    const total = (counts) => Object.values(counts).reduce((sum, value) => sum + Number(value), 0);
    rows.push([text("referrals"), total(storedReferrals), total(myReferrals)]);
  }
  const head = element("thead", {}, [
    element("tr", {}, [
      element("th", { text: "" }),
      element("th", { class: "num", text: text("stored") }),
      element("th", { class: "num", text: text("mine") }),
    ]),
  ]);
  const body = element(
    "tbody",
    {},
    rows.map(([label, a, b]) =>
      element("tr", String(a) === String(b) ? {} : { class: "differs" }, [
        element("th", { scope: "row", text: label }),
        element("td", { class: "num", text: String(a) }),
        element("td", { class: "num", text: String(b) }),
      ]),
    ),
  );
  return element("table", { class: "data compare" }, [head, body]);
}

function actions(item) {
  const box = element("div", { class: "item-actions" });
  if (item.state !== ATTENTION) return box;
  if (item.conflict && item.server) {
    if (storedReport(item).can_replace) {
      box.append(
        element("button", {
          type: "button",
          class: "button primary",
          "data-action": "replace",
          "data-id": item.submission_id,
          text: text("replaceWithMine"),
        }),
      );
    }
    box.append(
      element("button", {
        type: "button",
        class: "button",
        "data-action": "keep",
        "data-id": item.submission_id,
        text: text("keepStored"),
      }),
    );
    return box;
  }
  if (item.kind === "report" && item.url) {
    box.append(
      element("a", {
        class: "button primary",
        href: `${item.url}?queued=${encodeURIComponent(item.submission_id)}`,
        text: text("fix"),
      }),
    );
  }
  box.append(
    element("button", {
      type: "button",
      class: "button danger",
      "data-action": "remove",
      "data-id": item.submission_id,
      text: text("remove"),
    }),
  );
  return box;
}

function render(all) {
  if (!section) return;
  section.hidden = all.length === 0;
  const unsent = all.filter((item) => item.state !== SENT);
  document.getElementById("outbox-title").textContent = unsent.length
    ? `${text("unsentHeading")} (${unsent.length})`
    : text("allSent");
  section.classList.toggle("all-sent", unsent.length === 0);
  sendButton.hidden = unsent.length === 0;
  list.replaceChildren(
    ...all.map((item) => {
      const state = element("span", {
        class: `badge ${BADGES[item.state] || ""}`,
        text: text(item.state),
      });
      const children = [
        element("p", { class: "item-head" }, [
          element("strong", { text: item.title || text(`kind_${item.kind}`) }),
          document.createTextNode(" "),
          state,
        ]),
        element("p", {
          class: "muted item-meta",
          text: `${text(`kind_${item.kind}`)} · ${time(item.createdAt)}`,
        }),
      ];
      const conflicted = item.conflict && item.server && item.state === ATTENTION;
      // A conflict says it once, below, with when the stored one was sent.
      if (item.reason && item.state !== SENT && !conflicted) {
        children.push(element("p", { class: "reason", text: item.reason }));
      }
      if (item.errors && item.errors.length) {
        children.push(
          element("ul", { class: "errorlist" }, item.errors.map((e) => element("li", { text: e }))),
        );
      }
      if (conflicted) {
        const stored = storedReport(item);
        const sentAt = stored.submitted_at ? ` ${text("storedSent", { when: time(stored.submitted_at) })}` : "";
        children.push(
          element("p", {
            class: "conflict-help",
            text: (stored.can_replace ? text("conflict") : text("conflictNoReplace")) + sentAt,
          }),
          compareTable(item),
        );
      }
      children.push(actions(item));
      return element(
        "li",
        { class: `outbox-item state-${item.state}`, "data-id": item.submission_id },
        children,
      );
    }),
  );
  markVisits(all);
  updateFlash(all);
}

// A visit card whose report waits on the phone says so, instead of "no report yet".
function markVisits(all) {
  for (const item of all) {
    if (!item.visitId) continue;
    const card = document.querySelector(`.visit[data-visit-id="${item.visitId}"]`);
    if (!card) continue;
    if (item.kind === "checkin") {
      const formElement = card.querySelector("form.check-in");
      if (formElement) {
        formElement.replaceWith(
          element("p", { class: "checked-in" }, [
            element("span", { class: "badge ok", text: text("checkedIn") }),
            document.createTextNode(` ${time(item.payload.at)}`),
          ]),
        );
      }
    } else if (item.kind === "report") {
      const stateLine = card.querySelector("[data-state-for]");
      const sent = item.state === SENT;
      if (stateLine) {
        stateLine.replaceChildren(
          element("span", {
            class: `badge ${sent ? "ok" : "warn"}`,
            text: sent ? text("reportSent") : text("queuedWaiting"),
          }),
        );
      }
      // The form opens the waiting report to change it, never a second, empty one.
      const link = card.querySelector("a[href$='/report/'], a[href*='/report/?queued=']");
      if (link && !sent) {
        link.href = `${item.formUrl || item.url}?queued=${encodeURIComponent(item.submission_id)}`;
        link.textContent = text("changeQueued");
        link.classList.remove("primary");
      }
    }
  }
}

async function refresh() {
  render(await items());
}

async function sendNow() {
  sendButton.disabled = true;
  status.textContent = text("sending");
  try {
    await sendAll();
  } finally {
    sendButton.disabled = false;
    status.textContent = "";
    await refresh();
  }
}

if (section) {
  sendButton.addEventListener("click", sendNow);
  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const all = await items();
    const item = all.find((candidate) => candidate.submission_id === button.dataset.id);
    if (!item) return;
    if (button.dataset.action === "replace") {
      await replaceStored(item);
    } else if (button.dataset.action === "keep") {
      await remove(item.submission_id);
    } else if (button.dataset.action === "remove" && window.confirm(text("removeConfirm"))) {
      await remove(item.submission_id);
    }
    await refresh();
  });
  window.addEventListener("outbox-change", refresh);
  window.addEventListener("online", async () => {
    status.textContent = text("backOnline");
    await sendAll();
    status.textContent = "";
    await refresh();
  });
}

// Check in through the queue: it works without signal and is sent later.
document.addEventListener("submit", async (event) => {
  const formElement = event.target.closest("form.check-in");
  if (!formElement) return;
  event.preventDefault();
  const item = newItem({
    kind: "checkin",
    url: formElement.dataset.apiUrl || formElement.action,
    title: formElement.dataset.title,
    visitId: Number(formElement.dataset.visitId),
    payload: { at: new Date().toISOString() },
  });
  await save(item);
  if (navigator.onLine) await send(item);
});

// A message from the form that was just saved: "Gemt på telefonen – sendes",
// then what became of it (sent, or needs attention), never an old one.
let flashFor = null;
const flash = sessionStorage.getItem("drivein-flash");
if (flash) {
  sessionStorage.removeItem("drivein-flash");
  let message;
  try {
    message = JSON.parse(flash);
  } catch {
    message = { text: flash, id: null };
  }
  flashFor = message.id;
  const box = element("p", { class: "message success flash", role: "status", text: message.text });
  document.querySelector("main").prepend(box);
}

function updateFlash(all) {
  const box = document.querySelector(".flash");
  const item = flashFor && all.find((candidate) => candidate.submission_id === flashFor);
  if (!box || !item) return;
  if (item.state === SENT) box.textContent = text("sentThanks");
  else if (item.state === ATTENTION) {
    box.textContent = item.reason;
    box.classList.replace("success", "warning");
  }
}

// Today drawn from the kept bundle: when the phone's date is not the page's (the
// page was kept yesterday), or the page is a kept copy, the shifts are drawn
// again against the phone's own date, with when the data was last confirmed.
const KEPT_PAGE_AFTER_MS = 10 * 60 * 1000;

// "Jeg kommer" / "Jeg kan ikke" on a kept card: static/js/shifts.js queues the answer.
function answerForm(shift, answer, label, kind) {
  return element(
    "form",
    {
      method: "post",
      class: "answer-form",
      "data-api-url": shift.apiAnswerUrl,
      "data-visit-id": String(shift.id),
      "data-title": shift.community,
    },
    [
      element("input", { type: "hidden", name: "answer", value: answer }),
      element("button", { type: "submit", class: `button big wide ${kind}`, text: text(label) }),
    ],
  );
}

function answerBlock(shift) {
  const states = {
    confirmed: ["ok", "youAreComing"],
    declined: ["bad", "youCannotCome"],
    "": ["warn", "notAnsweredYet"],
  };
  const [badge, label] = states[shift.answer] || states[""];
  const block = element("div", { class: "answer", "data-assignment-id": String(shift.id) }, [
    element("p", { class: "answer-state" }, [element("span", { class: `badge ${badge}`, text: text(label) })]),
  ]);
  if (shift.answer !== "confirmed") block.append(answerForm(shift, "confirmed", "iAmComing", "primary"));
  if (shift.answer !== "declined") block.append(answerForm(shift, "declined", "iCannotCome", ""));
  return block;
}

function shiftCard(shift, today) {
  const future = shift.date > today;
  const showDate = shift.date !== today;
  const card = element("article", {
    class: `visit card${shift.cancelled ? " cancelled" : ""}`,
    "data-visit-id": String(shift.id),
  });
  const when = element("p", { class: "when" });
  if (showDate) when.append(element("span", { class: "day", text: dayLabel(shift.date) }), " ");
  when.append(element("strong", { text: `${shift.start}–${shift.end}` }));
  card.append(
    when,
    element("h3", { class: "place", text: shift.community }),
    element("p", { class: "venue", text: [shift.venue, shift.address].filter(Boolean).join(" · ") }),
  );
  if (!future && (shift.coverage === "none" || shift.coverage === "weak")) {
    card.append(
      element("p", {
        class: "coverage",
        text: text(shift.coverage === "none" ? "noSignalHere" : "weakSignalHere"),
      }),
    );
  }
  card.append(...placeDetails(shift));
  if (shift.team.length) {
    const team = element("p", { class: "team" }, [
      element("span", { class: "label", text: text("onTheTeam") }),
      document.createTextNode(" "),
    ]);
    shift.team.forEach((member, index) => {
      team.append(
        element("span", {
          class: `member${member.me ? " me" : ""}`,
          text: `${member.me ? text("you") : member.name} (${member.role})`,
        }),
      );
      if (index < shift.team.length - 1) team.append(", ");
    });
    card.append(team);
  }
  if (shift.cancelled) {
    card.append(
      element("p", { class: "state" }, [
        element("span", { class: "badge bad", text: text("cancelled") }),
        document.createTextNode(` ${shift.cancelReason || ""}`),
      ]),
    );
    return card;
  }
  if (shift.report) {
    card.append(
      element("p", { class: "state" }, [
        element("span", { class: "badge ok", text: text("reportSent") }),
        document.createTextNode(` ${text("peopleMet", { count: shift.report.people_met })}`),
      ]),
    );
  } else if (!future) {
    card.append(
      element("p", { class: "state", "data-state-for": String(shift.id) }, [
        element("span", { class: "badge warn", text: text("noReportYet") }),
      ]),
    );
  }
  if (!shift.report && shift.apiAnswerUrl && shift.date >= today) card.append(answerBlock(shift));
  if (future) return card;
  const buttons = element("div", { class: "actions" });
  if (shift.checkedInAt) {
    buttons.append(
      element("p", { class: "checked-in" }, [
        element("span", { class: "badge ok", text: text("checkedIn") }),
        document.createTextNode(` ${clock(new Date(shift.checkedInAt))}`),
      ]),
    );
  } else if (shift.date === today) {
    buttons.append(
      element(
        "form",
        {
          method: "post",
          action: shift.checkInUrl,
          "data-api-url": shift.apiCheckInUrl,
          class: "check-in",
          "data-visit-id": String(shift.id),
          "data-title": shift.community,
        },
        [element("button", { type: "submit", class: "button big", text: text("checkIn") })],
      ),
    );
  }
  if (shift.report) {
    buttons.append(
      element("a", {
        class: "button big",
        href: shift.reportUrl,
        text: text(shift.report.canEdit ? "correctReport" : "seeReport"),
      }),
    );
  } else {
    buttons.append(
      element("a", {
        class: "button primary big",
        href: shift.reportUrl,
        "data-report-for": String(shift.id),
        text: text("writeReport"),
      }),
    );
  }
  card.append(buttons);
  return card;
}

// The stop's access notes and a link that opens the phone's maps app there.
function placeDetails(shift) {
  const parts = [];
  if (shift.accessNotes) {
    parts.push(
      element("p", { class: "access" }, [
        element("span", { class: "label", text: `${text("accessNotes")}: ` }),
        document.createTextNode(shift.accessNotes),
      ]),
    );
  }
  if (shift.maps && shift.maps.geo) {
    parts.push(
      element("p", { class: "maps" }, [
        element("a", {
          class: "maps-link",
          href: mapsHref(shift.maps),
          "data-geo": shift.maps.geo,
          text: text("openMap"),
        }),
      ]),
    );
  }
  return parts;
}

// geo: opens the maps app on Android; other phones (iPhones) get the route planner.
function mapsHref(maps) {
  return /android/i.test(navigator.userAgent) ? maps.geo : maps.web;
}

// The server's cards link the route planner (stops/maps.py); Android phones open their maps app instead.
for (const link of document.querySelectorAll("a.maps-link[data-geo]")) {
  link.href = mapsHref({ geo: link.dataset.geo, web: link.href });
}

function shiftSection(id, heading, cards, empty) {
  const children = [];
  if (heading) children.push(element("h2", { id: `${id}-title`, text: heading }));
  children.push(...cards);
  if (!cards.length && empty) children.push(empty);
  return element("section", { "aria-labelledby": `${id}-title`, id }, children);
}

function drawShifts(kept, today) {
  const root = document.getElementById("shifts");
  const lower = new Date(Date.parse(today) - 7 * 86400000).toISOString().slice(0, 10);
  const upper = new Date(Date.parse(today) + 7 * 86400000).toISOString().slice(0, 10);
  const shifts = kept.shifts.filter((s) => s.date >= lower && s.date <= upper);
  const todays = shifts.filter((s) => s.date === today);
  const missing = shifts.filter((s) => s.date < today && !s.report && !s.cancelled);
  const coming = shifts.filter((s) => s.date > today);
  const todaySection = shiftSection(
    "today-shifts",
    "",
    todays.map((s) => shiftCard(s, today)),
    element("p", { class: "card empty", text: text("noShiftToday") }),
  );
  todaySection.prepend(
    element("h2", { id: "today-shifts-title", class: "visually-hidden", text: text("myShiftsToday") }),
  );
  const parts = [todaySection];
  if (missing.length) parts.push(shiftSection("missing", text("missingHeading"), missing.map((s) => shiftCard(s, today))));
  parts.push(
    shiftSection(
      "upcoming",
      text("comingHeading"),
      coming.map((s) => shiftCard(s, today)),
      element("p", { class: "muted", text: text("noShiftsComing") }),
    ),
  );
  root.replaceChildren(...parts);
  root.dataset.drawnFor = today;
  // The other cafés of the centre are the server's "today" only.
  const others = document.querySelector("details.others");
  if (others && kept.serverDate !== today) others.hidden = true;
  document.getElementById("today-date").textContent = dayLabel(today);
}

function reportableCount(kept) {
  return kept.shifts.filter((s) => !s.cancelled && !s.report).length + (kept.othersToday || []).length;
}

// The service worker in charge of this page: only then does it answer the next
// page without signal (it takes charge once it has kept its pages).
async function inCharge() {
  if (!("serviceWorker" in navigator) || !window.MessageChannel) return false;
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }),
    );
  }
  return true;
}

// Ask the service worker to keep pages again (the report form when the bundle changed).
async function keepPages(urls) {
  if (!(await inCharge())) return false;
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data.kept === urls.length);
    navigator.serviceWorker.controller.postMessage({ type: "keep-pages", urls }, [channel.port2]);
  });
}

async function fromKept() {
  const root = document.getElementById("shifts");
  const result = await bundle();
  if (!root || !result.bundle) return;
  const today = localDate();
  const pageIsOld =
    root.dataset.serverDate !== today || Date.now() - Date.parse(root.dataset.renderedAt) > KEPT_PAGE_AFTER_MS;
  if (pageIsOld) {
    drawShifts(result.bundle, today);
    await refresh();
  }
  const updated = document.getElementById("updated");
  if (updated && (pageIsOld || !result.fresh) && result.checkedAt) {
    updated.textContent = updatedLine(result.checkedAt);
    updated.hidden = false;
  }
  if (result.fresh) {
    const kept = result.changed ? await keepPages([config().reportShellUrl]) : await inCharge();
    if (!kept) return;
    const ready = document.getElementById("offline-ready");
    if (ready) {
      ready.textContent = text("offlineReady", { count: reportableCount(result.bundle) });
      ready.hidden = false;
    }
  }
}

pruneSent().then(refresh).then(fromKept);
