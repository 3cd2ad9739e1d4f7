// Drive-in's service worker, served at /sw.js (the server puts self.DRIVEIN, the
// files to keep and a version, in front of this file). It keeps the static files,
// Today, the home visit form, the profile and one report form of no visit in
// particular (/visits/report-form/): without signal it answers every kept shift's
// report form with that one, and the page fills in the visit from the phone's
// kept bundle (static/js/kept.js). So an online Today fetches only what changed:
// the bundle by ETag, not a form per shift. Reports themselves wait in IndexedDB
// and are sent by the pages (static/js/outbox.js).
/* global self, caches */
// The queue's own code, so that Background Sync sends it with no page open (the
// server writes the address of static/js/outbox.js in here).
import { sendAll } from "drivein:outbox";

const CONFIG = self.DRIVEIN;
const STATIC_CACHE = `drivein-static-${CONFIG.version}`;
const PAGE_CACHE = "drivein-pages";
const NETWORK_TIMEOUT_MS = 5000;
// Pages worth keeping: personal, so they are cleared when the volunteer logs out.
const KEEPABLE = [/^\/today\/$/, /^\/visits\/report-form\/$/, /^\/home-visits\/new\/$/, /^\/profile\/$/, /^\/offline\/$/];
// A shift's report form: without signal, the kept form of no visit in particular.
const REPORT_FORM = /^\/visits\/\d+\/report\/$/;

function keepable(url) {
  return url.origin === self.location.origin && KEEPABLE.some((pattern) => pattern.test(url.pathname));
}

function pageKey(url) {
  // One copy per page whatever the query (?queued=… opens the same form).
  return new URL(url.pathname, url.origin).href;
}

async function keepPage(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", redirect: "follow" });
    // A redirect means the login page: logged out, nothing to keep.
    if (response.ok && !response.redirected) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(pageKey(new URL(url, self.location.origin)), response);
      return true;
    }
  } catch {
    // No signal now; the page is kept the next time it is opened.
  }
  return false;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(CONFIG.assets);
      await Promise.all(CONFIG.pages.map(keepPage));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("drivein-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    const reply = event.ports && event.ports[0];
    event.waitUntil(
      Promise.all(data.urls.map(keepPage)).then((kept) => {
        if (reply) reply.postMessage({ kept: kept.filter(Boolean).length });
      }),
    );
  } else if (data.type === "clear-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// Pages: the network first (fresh numbers); for the pages the phone keeps, the
// kept copy when there is no signal or it is too slow; else the offline page.
async function page(request) {
  const url = new URL(request.url);
  const cache = await caches.open(PAGE_CACHE);
  const network = fetch(request);
  const fallback = async () =>
    (await cache.match(pageKey(url), { ignoreVary: true })) ||
    (await cache.match(pageKey(new URL(CONFIG.offline, self.location.origin)), { ignoreVary: true }));
  if (REPORT_FORM.test(url.pathname)) {
    const shell = async () =>
      (await cache.match(pageKey(new URL(CONFIG.reportShell, self.location.origin)), { ignoreVary: true })) ||
      (await fallback());
    try {
      return await withTimeout(network, NETWORK_TIMEOUT_MS);
    } catch {
      return (await shell()) || network;
    }
  }
  if (!keepable(url)) {
    return network.catch(async () => (await fallback()) || Response.error());
  }
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (response.ok && !response.redirected) {
      await cache.put(pageKey(url), response.clone());
    }
    return response;
  } catch {
    // Slow rather than absent when nothing is kept: wait for the network after all.
    return (await fallback()) || network;
  }
}

// Static files: the kept copy, never fetched again (a change of any of them is a
// new version of this worker, which keeps them anew); others from the network.
async function asset(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(asset(request));
  } else if (request.mode === "navigate" || keepable(url)) {
    event.respondWith(page(request));
  }
});

// Background Sync (Chrome on Android): the pages register "drivein-outbox" when
// they keep an item; the browser fires it when there is signal, also with no page
// open. The pages' own triggers (open, online, visible, retries) are the fallback.
// Only the items of the user the server says is logged in are sent; logged out,
// they wait for the next login.
async function sendFromWorker() {
  const response = await fetch(CONFIG.bundleUrl, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { "If-None-Match": "*", Accept: "application/json" },
  });
  const user = Number(response.headers.get("X-Drivein-User"));
  if (!user) return;
  self.DRIVEIN_USER = user;
  const results = await sendAll();
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "outbox-sent" });
  }
  // Still waiting (no signal after all): failing the event makes the browser retry.
  if (results.some((item) => item.state === "waiting")) throw new Error("not sent yet");
}

self.addEventListener("sync", (event) => {
  if (event.tag === "drivein-outbox") event.waitUntil(sendFromWorker());
});

// Web Push (webpush/channel.py sends {title, body, url, tag}): show the message.
// A tag replaces an older message about the same visit instead of piling up; a
// tap opens the message's page on this site (Today when it names none).
function pageOfMessage(url) {
  try {
    const target = new URL(url || CONFIG.todayUrl, self.location.origin);
    if (target.origin === self.location.origin) return target.href;
  } catch {
    // Not an address: Today.
  }
  return new URL(CONFIG.todayUrl, self.location.origin).href;
}

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : "" };
  }
  const tag = message.tag || "drivein";
  event.waitUntil(
    self.registration.showNotification(message.title || "Drive-in", {
      body: message.body || "",
      tag,
      renotify: true,
      icon: CONFIG.icon,
      badge: CONFIG.icon,
      lang: "da",
      data: { url: pageOfMessage(message.url) },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = pageOfMessage(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const same = windows.find((client) => client.url === target);
      if (same) return same.focus();
      // An open Drive-in window: bring it forward on the message's page.
      for (const client of windows) {
        try {
          const moved = await client.navigate(target);
          if (moved) return moved.focus();
        } catch {
          // A window this worker does not control cannot be moved; try the next.
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});
