/* Service worker of the visit form (docs/offline-visits.md).
 *
 * Served by the view web:visit_service_worker at /visites/sw.js, so its scope is /visites/.
 * - the visit form page: network first, the last copy in cache when the network is missing;
 *   the cache is emptied when the session ends (redirect to the login page) or the agent changes;
 * - the theme's CSS, JS, fonts and images: from the cache, refreshed in the background;
 * - the procedure suggestions (HTMX fragment): network first, the same query from the cache,
 *   else a French "no suggestion offline" fragment (the page script keeps the ticked procedures);
 * - a visit form sent while the network fails: kept in the IndexedDB queue of the page script
 *   (visit-offline.js), then the form is shown again with a "waiting" status.
 * Vanilla JavaScript, no dependency.
 */
"use strict";

const VERSION = "v1";
const PAGES = `cb-visites-pages-${VERSION}`;
const ASSETS = `cb-visites-assets-${VERSION}`;
const SUGGESTIONS = `cb-visites-suggestions-${VERSION}`;
const META = `cb-visites-meta-${VERSION}`;
const KNOWN = [PAGES, ASSETS, SUGGESTIONS, META];
const SCOPE = new URL(self.registration.scope).pathname; // "/visites/"
const FORM_PATH = `${SCOPE}nouvelle/`;
const SUGGESTIONS_PATH = `${SCOPE}demarches/`;
const AGENT_KEY = `${SCOPE}__agent__`;
const ASSET_DESTINATIONS = new Set(["style", "script", "font", "image"]);
const OFFLINE_HEADER = "X-CB-Hors-Ligne";

// The queue shared with visit-offline.js (same database, same store, same item shape).
const DB_NAME = "carte-blanche-hors-ligne";
const STORE = "visites";

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function enqueue(item) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, "readwrite");
    transaction.objectStore(STORE).put(item);
    transaction.oncomplete = () => {
      db.close();
      resolve();
    };
    transaction.onerror = transaction.onabort = () => {
      db.close();
      reject(transaction.error);
    };
  });
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("cb-visites-") && !KNOWN.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function html(body, status = 200, headers = {}) {
  return new Response(body, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
}

function offlinePage() {
  return html(
    `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Hors connexion — Carte Blanche</title></head>` +
      `<body><main><h1>Hors connexion</h1><p>Cette page n'a pas encore été ouverte sur cette tablette : ` +
      `elle n'est pas disponible sans réseau. Le formulaire de visite anonyme l'est, ` +
      `<a href="${FORM_PATH}">ouvrez-le ici</a>.</p></main></body></html>`,
    503,
  );
}

async function agentId() {
  const meta = await caches.open(META);
  const stored = await meta.match(AGENT_KEY);
  return stored ? stored.text() : "";
}

async function setAgent(id) {
  const meta = await caches.open(META);
  if ((await agentId()) !== String(id)) {
    // Another account on this tablet: the previous agent's pages must not be shown to it.
    await caches.delete(PAGES);
    await meta.put(AGENT_KEY, new Response(String(id)));
  }
}

async function endSession() {
  await caches.delete(PAGES);
  await (await caches.open(META)).delete(AGENT_KEY);
}

async function formPage(request) {
  try {
    const response = await fetch(request);
    if (response.type === "opaqueredirect" || response.redirected) {
      // The session ended (login or second factor): forget the pages, they belong to it.
      await endSession();
    } else if (response.ok && response.type === "basic") {
      await (await caches.open(PAGES)).put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await (await caches.open(PAGES)).match(request.url, { ignoreVary: true });
    return cached || offlinePage();
  }
}

async function postedForm(event) {
  const request = event.request;
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    // The network failed under the POST: keep the visit on the tablet rather than lose it.
    const sameOrigin = request.referrer && new URL(request.referrer).origin === self.location.origin;
    const back = sameOrigin ? request.referrer : new URL(FORM_PATH, self.location.origin).href;
    const data = await copy.formData();
    if (data.get("action") === "chercher") {
      const cached = await (await caches.open(PAGES)).match(back, { ignoreVary: true });
      return cached || offlinePage();
    }
    const fields = [];
    for (const [name, value] of data.entries()) if (typeof value === "string") fields.push([name, value]);
    const key = data.get("client_key") || (self.crypto.randomUUID ? self.crypto.randomUUID() : String(Date.now()));
    if (!data.get("client_key")) fields.push(["client_key", key]);
    await enqueue({
      client_key: key,
      agent: await agentId(),
      url: request.url,
      fields,
      csrf: data.get("csrfmiddlewaretoken") || "",
      queued_at: new Date().toISOString(),
      state: "waiting",
      error: "",
    });
    return Response.redirect(`${back.split("#")[0]}#visite-en-attente`, 303);
  }
}

async function suggestions(request) {
  const cache = await caches.open(SUGGESTIONS);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request.url, { ignoreVary: true });
    if (cached) return cached;
    return html(
      "<p>Hors connexion : pas de suggestion de démarche pour cette recherche. " +
        "Les démarches déjà cochées sont gardées ; vous pourrez en ajouter au retour du réseau.</p>",
      200,
      { [OFFLINE_HEADER]: "1" },
    );
  }
}

async function asset(event) {
  const request = event.request;
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request, { ignoreVary: true });
  const network = fetch(request).then(async (response) => {
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => undefined));
    return cached;
  }
  return network;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (request.mode === "navigate" && url.pathname === FORM_PATH) event.respondWith(postedForm(event));
    return; // the queue's own POSTs (fetch) go straight to the network
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    if (url.pathname === FORM_PATH) event.respondWith(formPage(request));
    return; // the other pages under /visites/ need the network
  }
  if (url.pathname === SUGGESTIONS_PATH) {
    event.respondWith(suggestions(request));
    return;
  }
  if (ASSET_DESTINATIONS.has(request.destination) && !url.pathname.startsWith(SCOPE)) {
    event.respondWith(asset(event));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "agent") {
    event.waitUntil(setAgent(message.id));
  } else if (message.type === "cache") {
    // Sent by the page after its first load, which did not go through this worker.
    event.waitUntil(
      (async () => {
        await setAgent(message.agent);
        const assets = await caches.open(ASSETS);
        for (const href of message.assets || []) {
          const url = new URL(href, self.location.origin);
          if (url.origin !== self.location.origin || (await assets.match(url.href))) continue;
          try {
            const response = await fetch(url.href, { credentials: "same-origin" });
            if (response.ok) await assets.put(url.href, response);
          } catch (error) {
            // Offline already: it will be cached at the next fetch.
          }
        }
        // The anonymous form names nobody: fetching it again reads no file (a person's form is
        // cached only when the agent opens it, so that no extra read is journaled).
        const pages = await caches.open(PAGES);
        const form = new URL(FORM_PATH, self.location.origin).href;
        if (await pages.match(form, { ignoreVary: true })) return;
        try {
          const response = await fetch(form, { credentials: "same-origin", redirect: "manual" });
          if (response.ok && response.type === "basic") await pages.put(form, response);
        } catch (error) {
          // Offline: nothing to refresh.
        }
      })(),
    );
  }
});
