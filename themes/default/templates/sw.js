/* fiches — service worker, written by `fiches build` (offline.rs).
 *
 * One cache per build, named after a hash of the whole output: a new build
 * is downloaded whole (unchanged files are copied from the previous cache,
 * each file is checked against its SHA-256) and waits until the reader
 * accepts the update ("recharger"), so that a tab never mixes two versions.
 * Pages are served from this version's cache first; a page that is not there
 * comes from the network and is kept; with no network, the offline page.
 */
'use strict';
var F = {{ config | safe }};
var SCOPE = self.registration.scope;
var PREFIX = 'fiches:' + SCOPE + ':';
var CACHE = PREFIX + F.version;
// [path, hash, size] of each precached file, from the list grouped by
// folder ([folder, [[name, hash, size]…]], src/offline.rs `by_folder`).
var PRECACHE = [];
F.precache.forEach(function (g) {
  g[1].forEach(function (e) { PRECACHE.push([g[0] + e[0], e[1], e[2]]); });
});
var HASH = 'x-fiches-hash';
/* Pages opened under the previous version, fetched again on update. */
var REFETCH_MAX = 150;

/* Cache key of a URL of the site: no query, no fragment, `dir/` as
 * `dir/index.html`; null outside the scope. `v` is the version query. */
function keyOf(url) {
  var u = new URL(url, SCOPE);
  if (u.origin !== self.location.origin || u.href.indexOf(SCOPE) !== 0) return null;
  var v = u.searchParams.get('v');
  u.search = '';
  u.hash = '';
  if (/\/$/.test(u.pathname)) u.pathname += 'index.html';
  return { href: u.href, v: v };
}

function hex(buf) {
  return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
}

function stored(res, body, hash) {
  var h = new Headers();
  ['content-type', 'content-language'].forEach(function (k) { if (res.headers.get(k)) h.set(k, res.headers.get(k)); });
  if (hash) h.set(HASH, hash);
  return new Response(body, { status: 200, statusText: 'OK', headers: h });
}

/* Runs `fn` over `items`, `n` at a time. */
function pool(items, n, fn) {
  var i = 0;
  function next() {
    if (i >= items.length) return Promise.resolve();
    var item = items[i++];
    return fn(item).then(next);
  }
  var workers = [];
  for (var k = 0; k < Math.min(n, items.length); k++) workers.push(next());
  return Promise.all(workers);
}

function olderCaches() {
  return caches.keys().then(function (keys) {
    return keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; });
  });
}

function install() {
  var wanted = {};
  PRECACHE.forEach(function (e) { wanted[new URL(e[0], SCOPE).href] = e[1]; });
  return Promise.all([caches.open(CACHE), olderCaches().then(function (names) {
    return Promise.all(names.map(function (n) { return caches.open(n); }));
  })]).then(function (r) {
    var cache = r[0], old = r[1];
    function reuse(url, hash) {
      return old.reduce(function (p, c) {
        return p.then(function (found) {
          if (found) return found;
          return c.match(url).then(function (res) { return res && res.headers.get(HASH) === hash ? res : null; });
        });
      }, Promise.resolve(null));
    }
    function one(e) {
      var url = new URL(e[0], SCOPE).href;
      return reuse(url, e[1]).then(function (res) {
        if (res) return cache.put(url, res);
        return fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' })).then(function (res) {
          if (!res.ok) throw new Error('fiches: ' + e[0] + ' : HTTP ' + res.status);
          return res.arrayBuffer().then(function (body) {
            return crypto.subtle.digest('SHA-256', body).then(function (d) {
              // A file of another build (a publication under way, a host
              // that rewrites pages): this version is not installed.
              if (hex(d).slice(0, 16) !== e[1]) throw new Error('fiches: ' + e[0] + ' ne correspond pas à cette version du site');
              return cache.put(url, stored(res, body, e[1]));
            });
          });
        });
      });
    }
    return pool(PRECACHE, 6, one).then(function () {
      // Pages read under the previous version stay available, in this one.
      if (!old.length) return null;
      return old[old.length - 1].keys().then(function (reqs) {
        var urls = reqs.map(function (q) { return q.url; }).filter(function (u) { return !wanted[u]; }).slice(-REFETCH_MAX);
        return pool(urls, 4, function (u) {
          return fetch(new Request(u, { cache: 'reload', credentials: 'same-origin' })).then(function (res) {
            if (res.ok && res.type === 'basic') return cache.put(u, res);
            return null;
          }).catch(function () { return null; });
        });
      });
    });
  });
}

self.addEventListener('install', function (event) {
  event.waitUntil(install());
});

self.addEventListener('activate', function (event) {
  event.waitUntil(olderCaches().then(function (names) {
    return Promise.all(names.map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('message', function (event) {
  if (event.data === 'fiches:update') self.skipWaiting();
});

/* A newer version is installing or waiting: what the network gives now
 * belongs to it, not to this version's cache. */
function superseded() {
  var r = self.registration;
  return !!((r.installing && r.installing !== self) || (r.waiting && r.waiting !== self));
}

function keep(event, href, res) {
  if (res.ok && res.status === 200 && res.type === 'basic' && !superseded()) {
    var copy = res.clone();
    event.waitUntil(caches.open(CACHE).then(function (c) { return c.put(href, copy); }).catch(function () {}));
  }
  return res;
}

function page(event, k) {
  return caches.open(CACHE).then(function (c) { return c.match(k.href); }).then(function (hit) {
    if (hit) return hit;
    return fetch(event.request).then(function (res) { return keep(event, k.href, res); }, function () {
      return caches.open(CACHE).then(function (c) { return c.match(new URL(F.offline, SCOPE).href); }).then(function (off) {
        if (!off) return Response.error();
        return Response.redirect(new URL(F.offline, SCOPE).href + '?from=' + encodeURIComponent(event.request.url), 302);
      });
    });
  });
}

function asset(event, k) {
  // A file of another version (a page of a newer build): the network only.
  if (k.v && k.v !== F.assets && k.v !== F.build) return fetch(event.request);
  return caches.open(CACHE).then(function (c) { return c.match(k.href); }).then(function (hit) {
    return hit || fetch(event.request).then(function (res) { return keep(event, k.href, res); });
  });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET' || req.headers.has('range')) return;
  var k = keyOf(req.url);
  if (!k || k.href === SCOPE + 'sw.js') return;
  if (req.mode === 'navigate') event.respondWith(page(event, k));
  else event.respondWith(asset(event, k));
});
