// The phone's queue ("Ikke sendt endnu"): reports, home visits and check-ins kept
// in IndexedDB until the server has them. Each item carries a submission_id made
// here, so sending it twice (lost answer, two tabs, "Send nu" pressed again)
// counts once on the server. Refused items stay, with the server's reason, until
// the volunteer chooses what to do: nothing vanishes by itself except what was sent.

const DB_NAME = "drivein";
const STORE = "outbox";
const SEND_TIMEOUT_MS = 20000;
const KEEP_SENT_MS = 2 * 24 * 60 * 60 * 1000;

export const WAITING = "waiting";
export const SENDING = "sending";
export const SENT = "sent";
export const ATTENTION = "attention";

export function config() {
  const element = document.getElementById("drivein-config");
  return element ? JSON.parse(element.textContent) : { userId: null, texts: {}, labels: {} };
}

export function text(key, values = {}) {
  const template = config().texts[key] || key;
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

// A UUID v4: crypto.randomUUID where the phone has it, else from random bytes.
export function newSubmissionId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let dbPromise = null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: "submission_id" });
        store.createIndex("userId", "userId");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function withStore(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const result = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    transaction.onerror = () => reject(transaction.error);
  });
}

function changed() {
  window.dispatchEvent(new CustomEvent("outbox-change"));
}

export async function save(item) {
  await withStore("readwrite", (store) => store.put(item));
  changed();
  return item;
}

export async function remove(submissionId) {
  await withStore("readwrite", (store) => store.delete(submissionId));
  changed();
}

export async function get(submissionId) {
  return withStore("readonly", (store) => store.get(submissionId));
}

// This user's items, newest first. Items of another login on the same phone are
// neither shown nor sent: they wait for their own user.
export async function items() {
  const all = (await withStore("readonly", (store) => store.getAll())) || [];
  const userId = config().userId;
  return all
    .filter((item) => item.userId === userId)
    .sort((a, b) => (b.createdAt || "").localeCompare(a.createdAt || ""));
}

export async function unsentCount() {
  return (await items()).filter((item) => item.state !== SENT).length;
}

export async function pruneSent() {
  const now = Date.now();
  for (const item of await items()) {
    if (item.state === SENT && now - Date.parse(item.sentAt || item.createdAt) > KEEP_SENT_MS) {
      await withStore("readwrite", (store) => store.delete(item.submission_id));
    }
  }
}

export function newItem({ kind, url, title, visitId = null, payload }) {
  const submissionId = newSubmissionId();
  return {
    submission_id: submissionId,
    kind,
    url,
    title,
    visitId,
    userId: config().userId,
    payload: { ...payload, submission_id: submissionId },
    state: WAITING,
    reason: "",
    errors: null,
    server: null,
    createdAt: new Date().toISOString(),
    sentAt: null,
    attempts: 0,
  };
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function post(url, payload) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  try {
    return await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(payload),
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

function errorList(body) {
  const errors = body && body.errors ? body.errors : {};
  const labels = config().labels;
  return Object.entries(errors).map(([field, messages]) => {
    const label = labels[field] || (field === "__all__" ? "" : field);
    return (label ? `${label}: ` : "") + messages.join(" ");
  });
}

// Send one item and record what the server said. Never throws.
export async function send(item) {
  item.attempts = (item.attempts || 0) + 1;
  item.state = SENDING;
  await save(item);
  let response;
  let body = null;
  try {
    response = await post(item.url, item.payload);
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      body = await response.json();
    }
  } catch (error) {
    // No signal, or it timed out: the server may or may not have it; the
    // submission_id makes the next try safe either way.
    item.state = WAITING;
    item.reason = text("tryLater");
    return save(item);
  }
  const status = response.status;
  if ((status === 200 || status === 201) && body) {
    item.state = SENT;
    item.sentAt = new Date().toISOString();
    item.reason = "";
    item.errors = null;
    item.server = body;
  } else if (status === 409 && body) {
    item.state = ATTENTION;
    item.reason = body.detail || text("conflict");
    item.server = body;
    // Only a stored report of this visit is a choice; a submission id that is
    // another visit's (or a home visit's conflict) comes without one.
    item.conflict = Boolean(body.report);
  } else if (status === 403 && body && body.code === "csrf_failed") {
    // An old security token (a new login): it goes again once the page is reloaded.
    item.state = WAITING;
    item.reason = body.detail;
  } else if ((status === 400 || status === 403 || status === 404) && body) {
    item.state = ATTENTION;
    item.reason = body.detail || "";
    item.errors = errorList(body);
  } else if (status === 401) {
    item.state = WAITING;
    item.reason = text("loggedOut");
  } else {
    // A server error or a page in between (a proxy, an expired form): try again later.
    item.state = WAITING;
    item.reason = text("tryLater");
  }
  return save(item);
}

let sending = null;

// Send every waiting item of this user, one after the other. Concurrent calls
// share one run; two tabs sending at once are safe because of the submission_id.
export function sendAll() {
  if (!sending) {
    sending = (async () => {
      const results = [];
      for (const item of await items()) {
        if (item.state === WAITING || item.state === SENDING) {
          results.push(await send(item));
        }
      }
      return results;
    })().finally(() => {
      sending = null;
    });
  }
  return sending;
}

// The stored report of a conflict: the 409's `report` (items that conflicted
// before the phone spoke the API's shape hold it flat).
export function storedReport(item) {
  const server = item.server || {};
  return server.report || server;
}

// Referral counts by service type id, from the API's [{service_type, count}] (or
// the {id: count} of items queued before the phone spoke the API's shape).
export function referralCounts(referrals) {
  if (Array.isArray(referrals)) {
    return Object.fromEntries(referrals.map((r) => [String(r.service_type), Number(r.count)]));
  }
  return { ...(referrals || {}) };
}

// Resend a conflicting report so that it replaces the stored one: it names the
// stored version, under a new submission_id (the old one may be the stored one's).
export async function replaceStored(item) {
  const submissionId = newSubmissionId();
  await remove(item.submission_id);
  const { replaces_version: _old, ...payload } = item.payload;
  const replacement = {
    ...item,
    submission_id: submissionId,
    payload: { ...payload, submission_id: submissionId, version: storedReport(item).version },
    state: WAITING,
    reason: "",
    conflict: false,
    server: null,
    errors: null,
  };
  await save(replacement);
  return send(replacement);
}
