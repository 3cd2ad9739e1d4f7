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
      if (item.reason && item.state !== SENT) {
        children.push(element("p", { class: "reason", text: item.reason }));
      }
      if (item.errors && item.errors.length) {
        children.push(
          element("ul", { class: "errorlist" }, item.errors.map((e) => element("li", { text: e }))),
        );
      }
      if (item.conflict && item.server && item.state === ATTENTION) {
        children.push(
          element("p", {
            class: "conflict-help",
            text: storedReport(item).can_replace ? text("conflict") : text("conflictNoReplace"),
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
      if (stateLine) {
        const sent = item.state === SENT;
        stateLine.replaceChildren(
          element("span", {
            class: `badge ${sent ? "ok" : "warn"}`,
            text: sent ? text("reportSent") : text("queuedForVisit"),
          }),
        );
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
    url: formElement.action,
    title: formElement.dataset.title,
    visitId: Number(formElement.dataset.visitId),
    payload: { at: new Date().toISOString() },
  });
  await save(item);
  if (navigator.onLine) await send(item);
});

// A message from the form that was just sent (or kept on the phone).
const flash = sessionStorage.getItem("drivein-flash");
if (flash) {
  sessionStorage.removeItem("drivein-flash");
  const message = element("p", { class: "message success flash", role: "status", text: flash });
  document.querySelector("main").prepend(message);
}

// Keep the report forms of the coming week's visits on the phone, and say so.
async function keepForms() {
  const urls = JSON.parse(document.getElementById("offline-urls")?.textContent || "[]");
  if (!("serviceWorker" in navigator) || !window.MessageChannel) return;
  const registration = await navigator.serviceWorker.ready;
  if (!registration.active) return;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    const ready = document.getElementById("offline-ready");
    if (ready) {
      ready.textContent = text("offlineReady", { count: event.data.kept });
      ready.hidden = false;
    }
  };
  registration.active.postMessage({ type: "keep-pages", urls }, [channel.port2]);
}

pruneSent().then(refresh);
if (navigator.onLine) keepForms();
