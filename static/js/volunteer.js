// Every volunteer page: the service worker (pages and files kept for use without
// signal), the connection banner, copy buttons, and a warning before logging out
// with items that are not sent yet.
import { SENDING, WAITING, config, items, sendAll, text, unsentCount } from "./outbox.js";
import { forget } from "./kept.js";
import "./copy.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" }).catch(() => {
    // Without a service worker the pages still work online.
  });
}

const banner = document.getElementById("connection");

function showConnection() {
  if (!banner) return;
  banner.hidden = navigator.onLine;
  banner.textContent = navigator.onLine ? "" : text("offline");
}

window.addEventListener("online", showConnection);
window.addEventListener("offline", showConnection);
showConnection();

// Sending happens on every volunteer page, in the background, so a report reaches
// the server as soon as there is signal, whichever page is open: when a page
// opens, when the signal returns, when the phone shows the page again, and while
// anything still waits, again after 2, 4, 8 … up to 60 seconds.
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60000;
let retryDelay = RETRY_FIRST_MS;
let retryTimer = null;

async function sendWaiting() {
  clearTimeout(retryTimer);
  if (!(await items()).some((item) => item.state === WAITING || item.state === SENDING)) {
    retryDelay = RETRY_FIRST_MS;
    return;
  }
  if (navigator.onLine) await sendAll();
  if ((await items()).some((item) => item.state === WAITING)) {
    retryTimer = setTimeout(sendWaiting, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  } else {
    retryDelay = RETRY_FIRST_MS;
  }
}

function sendSoon() {
  retryDelay = RETRY_FIRST_MS;
  sendWaiting();
}
window.addEventListener("online", sendSoon);
// The service worker sent the queue by Background Sync: show it.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "outbox-sent") window.dispatchEvent(new CustomEvent("outbox-change"));
  });
}
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") sendSoon();
});
sendWaiting();

function clearKeptPages() {
  forget();
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "clear-pages" });
  }
}

const logoutForm = document.querySelector("form.logout");
const dialog = document.getElementById("logout-warning");
if (logoutForm && dialog && typeof dialog.showModal === "function") {
  logoutForm.addEventListener("submit", async (event) => {
    if (logoutForm.dataset.confirmed) return;
    event.preventDefault();
    const count = await unsentCount();
    if (count === 0) {
      clearKeptPages();
      logoutForm.dataset.confirmed = "1";
      logoutForm.submit();
      return;
    }
    dialog.querySelector(".logout-warning-count").textContent = text(
      count === 1 ? "unsentWarning_one" : "unsentWarning_other",
      { count },
    );
    dialog.showModal();
  });
  dialog.addEventListener("click", async (event) => {
    const choice = event.target.closest("[data-choice]")?.dataset.choice;
    if (!choice) return;
    dialog.close();
    if (choice === "send") {
      await sendAll();
      window.location.href = config().todayUrl;
    } else if (choice === "logout") {
      // The unsent items stay on the phone, for this user's next login.
      clearKeptPages();
      logoutForm.dataset.confirmed = "1";
      logoutForm.submit();
    }
  });
}


// Ask the browser to keep the queue and the kept data for good (not to clear
// them when the phone runs short of space), and say on the profile what it said.
async function persistStorage() {
  const line = document.getElementById("storage-state");
  if (!navigator.storage || !navigator.storage.persist) {
    if (line) line.textContent = text("storageUnknown");
    return;
  }
  const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  if (line) line.textContent = text(persisted ? "storagePersisted" : "storageNotPersisted");
}
persistStorage();
