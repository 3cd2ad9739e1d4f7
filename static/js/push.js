// The profile's "Få beskeder på telefonen": asks the browser's permission first,
// then subscribes this phone with the site's VAPID public key and hands the
// subscription to the server (webpush/views.py); "Stop" undoes both. The service
// worker (static/js/sw.js) shows the messages. Texts and addresses come from the
// page (#push-config): this file holds no language of its own.
const card = document.getElementById("push");
const configNode = document.getElementById("push-config");
const READY_TIMEOUT_MS = 10000;

function fromBase64Url(value) {
  const base64 = (value + "=".repeat((4 - (value.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(buffer, key) {
  if (!buffer) return true; // The browser does not say: assume it is ours.
  const mine = new Uint8Array(buffer);
  return mine.length === key.length && mine.every((byte, index) => byte === key[index]);
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`answered ${response.status}`);
  return response.json();
}

function ready() {
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error("no service worker")), READY_TIMEOUT_MS)),
  ]);
}

function isIphoneInBrowser() {
  const apple = /iPhone|iPad|iPod/.test(navigator.userAgent);
  const installed = navigator.standalone || window.matchMedia("(display-mode: standalone)").matches;
  return apple && !installed;
}

if (card && configNode) {
  const config = JSON.parse(configNode.textContent);
  const state = document.getElementById("push-state");
  const onButton = document.getElementById("push-on");
  const offButton = document.getElementById("push-off");
  const key = fromBase64Url(config.publicKey);

  const show = (textName, subscribed) => {
    state.textContent = config.texts[textName];
    card.dataset.state = textName;
    onButton.hidden = subscribed !== false;
    offButton.hidden = subscribed !== true;
    onButton.disabled = offButton.disabled = false;
  };
  const working = () => {
    state.textContent = config.texts.working;
    onButton.disabled = offButton.disabled = true;
  };

  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    show(isIphoneInBrowser() ? "iphone" : "unsupported", null);
  } else {
    (async () => {
      try {
        const registration = await ready();
        let subscription = await registration.pushManager.getSubscription();
        if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, key)) {
          // Made with the site's old key pair: it can never be sent to again.
          await post(config.unsubscribeUrl, { endpoint: subscription.endpoint }).catch(() => {});
          await subscription.unsubscribe();
          subscription = null;
        }
        if (subscription && Notification.permission === "granted") {
          // Tell the server again: it may have dropped it, or another volunteer used this phone.
          await post(config.subscribeUrl, subscription.toJSON());
          show("on", true);
        } else if (Notification.permission === "denied") {
          show("denied", null);
        } else {
          show("off", false);
        }
      } catch {
        show("off", false);
      }
    })();

    onButton.addEventListener("click", async () => {
      working();
      // The browser's own question first; only a yes subscribes.
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        show(permission === "denied" ? "denied" : "dismissed", permission === "denied" ? null : false);
        return;
      }
      try {
        const registration = await ready();
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key,
        });
        await post(config.subscribeUrl, subscription.toJSON());
        show("on", true);
      } catch {
        show("failed", false);
      }
    });

    offButton.addEventListener("click", async () => {
      working();
      try {
        const registration = await ready();
        const subscription = await registration.pushManager.getSubscription();
        if (subscription) {
          await post(config.unsubscribeUrl, { endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        show("off", false);
      } catch {
        show("failed", true);
      }
    });
  }
}
