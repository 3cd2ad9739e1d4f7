// "Mine vagter" and the open places. An answer ("Jeg kommer" / "Jeg kan ikke")
// goes through the phone's queue (static/js/outbox.js) to the API door, like a
// check-in: without signal it waits on the phone and is sent later, once, by its
// submission_id. Taking a place needs a connection: offline, the page says so.
import { newItem, save, send, text } from "./outbox.js";

document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form.answer-form");
  if (!form || !form.dataset.apiUrl) return;
  event.preventDefault();
  const data = new FormData(form);
  const item = newItem({
    kind: "answer",
    url: form.dataset.apiUrl,
    title: form.dataset.title,
    visitId: Number(form.dataset.visitId),
    payload: {
      answer: data.get("answer"),
      reason: data.get("reason") || "",
      note: data.get("note") || "",
    },
  });
  await save(item);
  if (navigator.onLine) {
    const result = await send(item);
    if (result.state === "sent") {
      window.location.reload();
      return;
    }
    if (result.state === "attention") {
      window.alert(result.reason);
      return;
    }
  }
  const box = form.closest(".answer");
  const note = document.createElement("p");
  note.className = "message warning";
  note.setAttribute("role", "status");
  note.textContent = text("answerQueued");
  box.replaceChildren(note);
});

const offlineNote = document.querySelector("[data-offline-text]");

function showConnection() {
  if (!offlineNote) return;
  offlineNote.hidden = navigator.onLine;
  for (const button of document.querySelectorAll("form.take-form button")) {
    button.disabled = !navigator.onLine;
  }
}

window.addEventListener("online", showConnection);
window.addEventListener("offline", showConnection);
showConnection();
