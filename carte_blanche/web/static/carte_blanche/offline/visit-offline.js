/* The visit form without network (docs/offline-visits.md). Included by web/visit_form.html only.
 *
 * - draws the form's idempotency key (client_key) each time the form is shown or emptied;
 * - registers the service worker (visit-sw.js, served at /visites/sw.js);
 * - offline, a saved visit goes to a queue in IndexedDB instead of the network, and the form is
 *   emptied for the next person;
 * - when the network is back (the "online" event, each page load, every 30 s), each waiting
 *   visit is sent to the same URL with "X-Requested-With: carte-blanche-sync"; the server answers
 *   JSON and records a key once, so a visit sent twice is still one visit;
 * - a visit refused by the server (422) stays on the tablet in the "Visites à corriger" list;
 *   an ended session (redirect, 403) keeps everything and asks the agent to log in again.
 * Vanilla JavaScript, no dependency; the status is written in an aria-live region.
 */
(function () {
  "use strict";

  const form = document.querySelector("form[data-hors-ligne]");
  if (!form) return;
  const status = document.getElementById("etat-hors-ligne");
  const fixSection = document.getElementById("visites-a-corriger");
  const fixList = document.getElementById("liste-a-corriger");
  const agent = form.dataset.agent || "";
  const SYNC_HEADER = "carte-blanche-sync";
  const SYNC_EVERY_MS = 30000;
  const QUEUED_HASH = "#visite-en-attente";
  const RESUME_HASH = "#reprendre-";
  // Not form.action: the form has a button named "action", which that property would return.
  const formUrl = new URL(form.getAttribute("action") || window.location.pathname, window.location.href).href;
  const DB_NAME = "carte-blanche-hors-ligne";
  const STORE = "visites";

  // --- The queue (IndexedDB, shared with the service worker) -------------------------------

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, operation) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = operation(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        db.close();
        resolve(request ? request.result : undefined);
      };
      transaction.onerror = transaction.onabort = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  const allItems = () => withStore("readonly", (store) => store.getAll());
  const putItem = (item) => withStore("readwrite", (store) => store.put(item));
  const deleteItem = (key) => withStore("readwrite", (store) => store.delete(key));
  const mine = (item) => !item.agent || item.agent === agent;

  // --- The form -----------------------------------------------------------------------------

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function keyInput() {
    return form.elements.namedItem("client_key");
  }

  function drawKey() {
    const input = keyInput();
    if (input) input.value = newKey();
  }

  function csrfToken() {
    const input = form.elements.namedItem("csrfmiddlewaretoken");
    return input ? input.value : "";
  }

  function emptyForm() {
    form.reset();
    form.querySelectorAll("input[data-repris]").forEach((input) => input.remove());
    drawKey();
  }

  function fill(fields) {
    emptyForm();
    const values = new Map();
    for (const [name, value] of fields) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    for (const element of form.elements) {
      const name = element.name;
      if (!name || name === "csrfmiddlewaretoken" || element.type === "submit" || element.type === "button") continue;
      const given = values.get(name) || [];
      if (element.type === "checkbox" || element.type === "radio") element.checked = given.includes(element.value);
      else element.value = given.length ? given[0] : "";
    }
    // Procedures chosen in the queued visit but not drawn on this page are still sent.
    const drawn = new Set(Array.from(form.querySelectorAll("input[name='procedures']"), (input) => input.value));
    for (const value of values.get("procedures") || []) {
      if (drawn.has(value)) continue;
      const hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "procedures";
      hidden.value = value;
      hidden.dataset.repris = "";
      form.appendChild(hidden);
    }
  }

  function personOf(fields) {
    const found = fields.find(([name]) => name === "personne");
    return found ? found[1] : "";
  }

  // --- The status (aria-live) ----------------------------------------------------------------

  function plural(count, one, many) {
    return `${count} ${count > 1 ? many : one}`;
  }

  function say(parts, loginLink) {
    const text = parts.join(" ");
    const current = status.dataset.texte || "";
    if (text === current && Boolean(loginLink) === status.hasAttribute("data-reconnexion")) return;
    status.dataset.texte = text;
    status.textContent = text;
    status.toggleAttribute("data-reconnexion", Boolean(loginLink));
    if (loginLink) {
      const link = document.createElement("a");
      link.href = form.dataset.login;
      link.textContent = "Se reconnecter";
      if (status.dataset.linkClass) link.className = status.dataset.linkClass;
      status.append(" ", link);
    }
  }

  function drawFixList(invalid) {
    fixList.replaceChildren();
    fixSection.hidden = invalid.length === 0;
    invalid.sort((a, b) => String(a.queued_at).localeCompare(String(b.queued_at)));
    for (const item of invalid) {
      const li = document.createElement("li");
      const when = new Date(item.queued_at);
      const label = isNaN(when) ? "Visite" : `Visite du ${when.toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short" })}`;
      const text = document.createElement("p");
      text.textContent = `${label} : ${item.error || "refusée à l'envoi."}`;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Reprendre dans le formulaire";
      button.className = fixSection.dataset.buttonClass || "";
      button.addEventListener("click", () => resume(item));
      li.append(text, button);
      fixList.appendChild(li);
    }
  }

  async function report(outcome = {}) {
    let items = [];
    try {
      items = await allItems();
    } catch (error) {
      say(["Ce navigateur ne peut pas garder de visite hors connexion (stockage local indisponible)."]);
      return;
    }
    const own = items.filter(mine);
    const waiting = own.filter((item) => item.state !== "invalid").length;
    const invalid = own.filter((item) => item.state === "invalid");
    const others = items.length - own.length;
    const parts = [];
    if (outcome.queued && !outcome.sent) parts.push("Hors connexion : visite enregistrée sur la tablette, envoi automatique au retour du réseau.");
    else if (!navigator.onLine) parts.push("Hors connexion : les visites enregistrées restent sur la tablette jusqu'au retour du réseau.");
    if (outcome.resumed) parts.push("Visite reprise dans le formulaire : corrigez-la puis enregistrez-la.");
    if (outcome.sent) parts.push(`${plural(outcome.sent, "visite envoyée", "visites envoyées")}.`);
    if (waiting) parts.push(`${plural(waiting, "visite en attente d'envoi", "visites en attente d'envoi")}.`);
    if (invalid.length) parts.push(`${plural(invalid.length, "visite à corriger", "visites à corriger")}, voir la liste ci-dessous.`);
    if (others) {
      const verb = others > 1 ? "attendent" : "attend";
      parts.push(`${plural(others, "visite enregistrée", "visites enregistrées")} par un autre compte ${verb} sa connexion sur cette tablette.`);
    }
    if (outcome.session && waiting) parts.push("Votre session a pris fin : reconnectez-vous pour envoyer les visites en attente, elles restent sur la tablette.");
    if (outcome.offlineSuggestions) parts.push("Hors connexion : pas de suggestion de démarche. Les démarches déjà cochées sont gardées.");
    say(parts, outcome.session && waiting);
    drawFixList(invalid);
  }

  // --- Sending the queue ----------------------------------------------------------------------

  let syncing = false;

  function body(item) {
    const params = new URLSearchParams();
    const token = csrfToken() || item.csrf;
    for (const [name, value] of item.fields) {
      if (name !== "csrfmiddlewaretoken") params.append(name, value);
    }
    params.append("csrfmiddlewaretoken", token);
    return { params, token };
  }

  async function errorText(response) {
    try {
      const data = await response.json();
      if (data && data.message) return data.message;
    } catch (error) {
      // Not JSON: fall back to a generic message.
    }
    return `refusée par le serveur (erreur ${response.status}).`;
  }

  async function sync(base = {}) {
    if (syncing || !navigator.onLine) return report(base);
    syncing = true;
    const outcome = { ...base, sent: 0 };
    try {
      const items = (await allItems())
        .filter((item) => mine(item) && item.state !== "invalid")
        .sort((a, b) => String(a.queued_at).localeCompare(String(b.queued_at))); // in the order recorded
      for (const item of items) {
        const { params, token } = body(item);
        let response;
        try {
          response = await fetch(item.url || formUrl, {
            method: "POST",
            body: params,
            headers: { "X-Requested-With": SYNC_HEADER, "X-CSRFToken": token, Accept: "application/json" },
            credentials: "same-origin",
            redirect: "manual",
            cache: "no-store",
          });
        } catch (error) {
          break; // the network dropped again: the rest waits
        }
        if (response.ok) {
          await deleteItem(item.client_key);
          outcome.sent += 1;
        } else if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          outcome.session = true; // login page, second factor or refused token: keep everything
          break;
        } else if (response.status >= 400 && response.status < 500) {
          item.state = "invalid";
          item.error = await errorText(response);
          await putItem(item);
        } else {
          break; // server error: try again later
        }
      }
    } catch (error) {
      // IndexedDB unavailable: report() says so.
    } finally {
      syncing = false;
    }
    return report(outcome);
  }

  // --- Events ---------------------------------------------------------------------------------

  async function queue(submitter) {
    if (!keyInput().value) drawKey();
    const fields = [];
    for (const [name, value] of new FormData(form, submitter || undefined)) {
      if (typeof value === "string" && name !== "action") fields.push([name, value]);
    }
    try {
      await putItem({
        client_key: keyInput().value,
        agent,
        url: formUrl,
        fields,
        csrf: csrfToken(),
        queued_at: new Date().toISOString(),
        state: "waiting",
        error: "",
      });
    } catch (error) {
      console.error("File d'attente hors connexion :", error);
      say(["La visite n'a pas pu être gardée sur la tablette : notez-la sur papier et enregistrez-la au retour du réseau."]);
      return;
    }
    emptyForm();
    await report({ queued: true });
    window.scrollTo(0, 0);
  }

  async function resume(item) {
    const here = new URLSearchParams(window.location.search).get("personne") || "";
    const person = personOf(item.fields);
    if (person !== here) {
      // The form of the visit's person (or the anonymous one): the page opens it and fills it.
      const target = new URL(formUrl, window.location.href);
      target.search = person ? `?personne=${encodeURIComponent(person)}` : "";
      target.hash = `${RESUME_HASH}${item.client_key}`;
      window.location.assign(target.href);
      return;
    }
    fill(item.fields);
    await deleteItem(item.client_key);
    await report({ resumed: true });
    const first = form.querySelector("input:not([type='hidden']), select, textarea");
    if (first) first.focus();
  }

  form.addEventListener("submit", (event) => {
    if (navigator.onLine) return; // online: the normal sending (the worker catches a network failure)
    event.preventDefault();
    const submitter = event.submitter;
    if (submitter && submitter.name === "action" && submitter.value === "chercher") {
      const search = form.elements.namedItem("q");
      if (search) search.dispatchEvent(new Event("search"));
      return;
    }
    queue(submitter);
  });

  // The service worker's answer to a suggestion request without network and without cache.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-CB-Hors-Ligne")) {
      event.detail.shouldSwap = false;
      report({ offlineSuggestions: true });
    }
  });
  document.body.addEventListener("htmx:sendError", () => report({ offlineSuggestions: true }));

  window.addEventListener("online", () => sync());
  window.addEventListener("offline", () => report());
  window.setInterval(() => sync(), SYNC_EVERY_MS);

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !form.dataset.worker) return;
    navigator.serviceWorker
      .register(form.dataset.worker, { scope: form.dataset.scope })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const worker = registration.active;
        if (!worker) return;
        const assets = [
          ...Array.from(document.querySelectorAll("link[rel='stylesheet'][href], link[rel~='icon'][href]"), (link) => link.href),
          ...Array.from(document.querySelectorAll("script[src]"), (script) => script.src),
        ];
        worker.postMessage({ type: "cache", agent, assets });
      })
      .catch(() => {
        // No worker (private browsing, old browser): the queue still works while the page is open.
      });
  }

  async function start() {
    drawKey();
    registerWorker();
    let outcome = {};
    if (window.location.hash === QUEUED_HASH) {
      outcome = { queued: true };
      history.replaceState(null, "", window.location.pathname + window.location.search);
    } else if (window.location.hash.startsWith(RESUME_HASH)) {
      const key = decodeURIComponent(window.location.hash.slice(RESUME_HASH.length));
      history.replaceState(null, "", window.location.pathname + window.location.search);
      const item = (await allItems().catch(() => [])).find((candidate) => candidate.client_key === key);
      if (item) return resume(item);
    }
    return navigator.onLine ? sync(outcome) : report(outcome);
  }

  start();
})();
