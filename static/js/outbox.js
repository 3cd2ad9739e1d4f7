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

// In a page, the page's configuration; in the service worker (which sends the
// queue by Background Sync), only the user the server says is logged in.
const IN_PAGE = typeof document !== "undefined";

export function config() {
  const element = IN_PAGE ? document.getElementById("drivein-config") : null;
  return element ? JSON.parse(element.textContent) : { userId: self.DRIVEIN_USER ?? null, texts: {}, labels: {} };
}

// The page's texts, and those of the kept bundle (static/js/kept.js) that Today
// and the kept report form are drawn with.
export function text(key, values = {}) {
  if (!IN_PAGE) return "";
  const template = config().texts[key] || (self.DRIVEIN_TEXTS || {})[key] || key;
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

// A UUID v4: crypto.randomUUID where the phone has it, else from random bytes.
export function newSubmissionId() {
  if (self.crypto && typeof self.crypto.randomUUID === "function") {
    return self.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  self.crypto.getRandomValues(bytes);
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
  if (IN_PAGE) window.dispatchEvent(new CustomEvent("outbox-change"));
}

export async function save(item) {
  await withStore("readwrite", (store) => store.put(item));
  changed();
  if (IN_PAGE && item.state === WAITING) syncLater();
  return item;
}

// Ask for Background Sync where the browser has it (Chrome on Android): the
// service worker then sends the queue when there is signal, with no page open.
export async function syncLater() {
  try {
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) await registration.sync.register("drivein-outbox");
  } catch {
    // No Background Sync here: the pages send it (static/js/volunteer.js).
  }
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

export function newItem({ kind, url, formUrl = null, title, visitId = null, payload }) {
  const submissionId = newSubmissionId();
  return {
    submission_id: submissionId,
    kind,
    url,
    formUrl,
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
    csrf: csrfToken(),
  };
}

// The page reads the CSRF cookie; the service worker cannot, and sends the token
// the page had when it kept the item (a stale one is a 403 that waits for a page).
function csrfToken(item) {
  if (!IN_PAGE) return (item && item.csrf) || "";
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// The API's doors (/api/v1/): a report is PUT to its visit, a home visit and a
// check-in are POSTed. Items queued before the phone spoke the API wait with the
// page's address (/visits/<id>/report/ …), which still takes them by POST.
function methodFor(item) {
  const path = new URL(item.url, self.location.origin).pathname;
  return item.kind === "report" && path.startsWith("/api/") ? "PUT" : "POST";
}

async function request(item) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  try {
    return await fetch(item.url, {
      method: methodFor(item),
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(item),
      },
      body: JSON.stringify(item.payload),
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

// A 400's messages per field: the API's {field: [messages]}, or the old door's
// {"detail": …, "errors": {…}}.
function fieldErrors(body) {
  if (!body) return {};
  if (body.errors) return body.errors;
  return Object.fromEntries(Object.entries(body).filter(([name]) => name !== "detail"));
}

function errorList(body) {
  const labels = config().labels;
  return Object.entries(fieldErrors(body)).map(([field, messages]) => {
    const general = field === "__all__" || field === "non_field_errors";
    const label = labels[field] || (general ? "" : field);
    const list = Array.isArray(messages) ? messages : [JSON.stringify(messages)];
    return (label ? `${label}: ` : "") + list.join(" ");
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
    response = await request(item);
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      body = await response.json();
    }
  } catch (error) {
    // No signal, or it timed out: the server may or may not have it; the
    // submission_id makes the next try safe either way.
    const current = await get(item.submission_id);
    if (!current || current.state === SENT) return current || item;
    item.state = WAITING;
    item.reason = text("tryLater");
    return save(item);
  }
  // Another sender (a tab, the service worker) may have finished it meanwhile, or
  // the volunteer replaced or removed it: never bring it back or undo a "sent".
  const current = await get(item.submission_id);
  if (!current) return item;
  if (current.state === SENT) return current;
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
  } else if (
    status === 403 &&
    body &&
    (body.code === "csrf_failed" || /CSRF/i.test(body.detail || ""))
  ) {
    // A stale CSRF token (the service worker's copy, a new login): a page sends it again.
    item.state = WAITING;
    item.reason = text("tryLater");
  } else if ((status === 400 || status === 403 || status === 404) && body) {
    item.state = ATTENTION;
    item.reason = body.detail || text("checkFields");
    item.errors = status === 400 ? errorList(body) : [];
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
