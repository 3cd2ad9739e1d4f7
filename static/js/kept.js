// What the phone keeps to draw Today and the report forms without signal: the
// server's bundle (/today/bundle.json: the shifts of the coming week and last
// week's unreported ones, with stop, team, report state and the form's limits),
// and when the server last confirmed it. Online it is asked for with its version
// (If-None-Match), so nothing changed costs a 304 of a few bytes.
import { config, text } from "./outbox.js";

const FETCH_TIMEOUT_MS = 8000;

function key() {
  return `drivein-bundle-${config().userId}`;
}

function withTexts(stored) {
  if (stored && stored.bundle) self.DRIVEIN_TEXTS = stored.bundle.texts || {};
  return stored;
}

export function kept() {
  try {
    const stored = JSON.parse(localStorage.getItem(key()) || "null");
    return stored && stored.bundle && stored.bundle.userId === config().userId ? withTexts(stored) : null;
  } catch {
    return null;
  }
}

function keep(bundle, checkedAt) {
  try {
    localStorage.setItem(key(), JSON.stringify({ bundle, checkedAt }));
    return true;
  } catch {
    // Storage full or refused: Today still works online; say so where it is shown.
    return false;
  }
}

export function forget() {
  for (const name of Object.keys(localStorage)) {
    if (name.startsWith("drivein-bundle-")) localStorage.removeItem(name);
  }
}

// The bundle, fresh when there is signal, else the kept one. `changed` says
// that the server had a new version (the kept report form may need renewing).
export async function bundle() {
  const stored = kept();
  const url = config().bundleUrl;
  if (!url || !navigator.onLine) return { ...(stored || {}), fresh: false, changed: false };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    const headers = { Accept: "application/json" };
    if (stored) headers["If-None-Match"] = `"${stored.bundle.version}"`;
    const response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers,
      signal: controller.signal,
    });
    const now = Date.now();
    if (response.status === 304 && stored) {
      keep(stored.bundle, now);
      withTexts(stored);
      return { bundle: stored.bundle, checkedAt: now, fresh: true, changed: false };
    }
    if (response.ok) {
      const fresh = await response.json();
      const saved = keep(fresh, now);
      withTexts({ bundle: fresh });
      return { bundle: fresh, checkedAt: now, fresh: true, changed: true, saved };
    }
  } catch {
    // No signal after all, or too slow: the kept one.
  } finally {
    clearTimeout(timer);
  }
  return { ...(stored || {}), fresh: false, changed: false };
}

// The phone's own date, YYYY-MM-DD.
export function localDate(when = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}

function lang() {
  return document.documentElement.lang || "da";
}

// "onsdag 2. december" (Danish weekdays and months are lower case).
export function dayLabel(isoDate) {
  const [year, month, day] = isoDate.split("-").map(Number);
  const date = new Date(year, month - 1, day);
  const weekday = date.toLocaleDateString(lang(), { weekday: "long" });
  const monthName = date.toLocaleDateString(lang(), { month: "long" });
  return lang().startsWith("da") ? `${weekday} ${day}. ${monthName}` : `${weekday} ${day} ${monthName}`;
}

// "17.02" in Danish, "17:02" in English: the clock as the pages write it.
export function clock(when) {
  const pad = (n) => String(n).padStart(2, "0");
  const separator = lang().startsWith("da") ? "." : ":";
  return `${pad(when.getHours())}${separator}${pad(when.getMinutes())}`;
}

// "Opdateret i går kl. 17.02", against the phone's own date.
export function updatedLine(checkedAt, now = new Date()) {
  const when = new Date(checkedAt);
  const days = Math.round((Date.parse(localDate(now)) - Date.parse(localDate(when))) / 86400000);
  const time = clock(when);
  if (days === 0) return text("updatedToday", { time });
  if (days === 1) return text("updatedYesterday", { time });
  return text("updatedOn", { date: dayLabel(localDate(when)), time });
}
