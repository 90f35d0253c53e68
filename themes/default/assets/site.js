/* fiches: small behaviours that need JavaScript. Every page stays usable
   without it: what only works with JavaScript is `hidden` in the HTML and
   shown from here. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  /* The one string table of the theme's scripts (search.js asks here
     too): assets/strings.js, written from src/i18n.rs and loaded first (a
     page of an older theme carries it as JSON in #search-i18n). `{name}`
     in a string takes vars.name; a key the table lacks gives `fallback`,
     else itself. */
  var strings = window.__fichesStrings || {};
  var inline = doc.getElementById("search-i18n");
  if (inline) { try { strings = JSON.parse(inline.textContent) || strings; } catch (err) { /* keep the asset's */ } }
  function t(key, vars, fallback) {
    var s = typeof strings[key] === "string" && strings[key] ? strings[key] : (fallback != null ? fallback : key);
    return vars ? s.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m; }) : s;
  }
  (window.__fichesI18n || (window.__fichesI18n = {})).t = t;
  function clean(s) { return (s || "").replace(/\s+/g, " ").trim(); }
  function short(s, n) { s = clean(s); return s.length > n ? s.slice(0, n - 1).replace(/\s+\S*$/, "") + "…" : s; }

  /* Heading permalinks, shown on hover and focus: added here rather than
     written in every page (about 1 KB a page at 10,000 sheets). */
  doc.querySelectorAll(".prose h1[id], .prose h2[id], .prose h3[id], .prose h4[id], .prose h5[id], .prose h6[id]").forEach(function (h) {
    var a = doc.createElement("a");
    a.className = "anchor";
    a.href = "#" + h.id;
    a.setAttribute("aria-label", t("anchor_link") + " : " + clean(h.textContent));
    a.textContent = "#";
    h.appendChild(a);
  });

  /* QR codes of printed sheets (src/publish.rs, the qrcode crate): the
     page carries the modules, `<svg class="qr-code" role="img"
     aria-label="…" data-qr="W BITS">` (width, then the modules row by
     row, dark as 1, in base64); they are drawn here, with their frame, as
     one path of dark runs, each a stroke one module thick along its row. */
  doc.querySelectorAll("svg[data-qr]").forEach(function (svg) {
    var parts = (svg.getAttribute("data-qr") || "").split(" ");
    var w = parseInt(parts[0], 10), bin;
    try { bin = atob(parts[1] || ""); } catch (err) { return; }
    if (!(w > 0) || bin.length * 8 < w * w) return;
    function dark(i) { return (bin.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1; }
    var d = "", q = 4;
    for (var y = 0; y < w; y++) {
      var pen = -1;
      for (var x = 0; x < w;) {
        if (!dark(y * w + x)) { x++; continue; }
        var start = x;
        while (x < w && dark(y * w + x)) x++;
        d += pen < 0 ? "M" + (start + q) + " " + (y + q) + ".5h" + (x - start) : "m" + (start - pen) + " 0h" + (x - start);
        pen = x;
      }
    }
    var ns = "http://www.w3.org/2000/svg", size = w + 2 * q;
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("shape-rendering", "crispEdges");
    var rect = doc.createElementNS(ns, "rect");
    rect.setAttribute("width", size);
    rect.setAttribute("height", size);
    rect.setAttribute("fill", "#fff");
    var path = doc.createElementNS(ns, "path");
    path.setAttribute("stroke", "#000");
    path.setAttribute("d", d);
    svg.appendChild(rect);
    svg.appendChild(path);
  });

  /* Print buttons; a sheet's is made here (it only works with
     JavaScript), in its footer's actions, before previous/next. */
  var footer = doc.querySelector(".sheet-article > .sheet-footer");
  if (footer && !footer.querySelector("[data-print]")) {
    var actions = footer.querySelector(".sheet-actions");
    if (!actions) {
      actions = doc.createElement("p");
      actions.className = "sheet-actions no-print";
      footer.insertBefore(actions, footer.querySelector(".prev-next"));
    }
    var pb = doc.createElement("button");
    pb.type = "button";
    pb.className = "button-secondary print-button";
    pb.setAttribute("data-print", "");
    pb.textContent = t("print_sheet");
    actions.insertBefore(pb, actions.firstChild);
  }
  doc.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  /* Where a printed link to the site's own pages leads (print.css shows
     data-print-url): the public address, made from the sheet's own
     (`.print-url`, "… ADDRESS", src/publish.rs) rather than written by
     the build beside every link (about 300 bytes a sheet). */
  var own = doc.querySelector(".sheet-article .print-url");
  if (own) {
    var rootUrl = new URL(doc.documentElement.getAttribute("data-root") || "", location.href).href;
    var siteRel = function (u) {
      u = u.split("#")[0].split("?")[0];
      return u.indexOf(rootUrl) === 0 ? u.slice(rootUrl.length).replace(/(^|\/)index\.html$/, "$1") : null;
    };
    var mine = clean(own.textContent).split(" ").pop(), here = siteRel(location.href);
    if (here !== null && mine.length >= here.length && mine.slice(mine.length - here.length) === here) {
      var publicBase = mine.slice(0, mine.length - here.length);
      doc.querySelectorAll(".sheet-article .prose a[href]").forEach(function (a) {
        var h = a.getAttribute("href");
        // Relative paths only (as src/publish.rs's `is_relative`).
        if (!h || /^[#\/]/.test(h) || /^[^\/]*:/.test(h)) return;
        var r = siteRel(a.href);
        if (r === null) return;
        var at = a.href.indexOf("#");
        a.setAttribute("data-print-url", publicBase + r + (at < 0 ? "" : a.href.slice(at)));
      });
    }
  }

  /* Navigation menu: folded behind a button on small screens. */
  var toggle = doc.querySelector(".nav-toggle");
  var nav = doc.getElementById("site-nav");
  var inner = doc.querySelector(".site-header .header-inner");
  // The button is made here (it only works with JavaScript), unless a
  // theme's page still carries it.
  if (!toggle && nav && inner) {
    toggle = doc.createElement("button");
    toggle.type = "button";
    toggle.className = "nav-toggle";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", "site-nav");
    toggle.textContent = t("menu");
    inner.appendChild(toggle);
  }
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    });
  }

  /* On a phone the table of contents starts folded: the steps come first. */
  var toc = doc.querySelector(".toc details");
  if (toc && window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches) { toc.open = false; }

  /* Sheet: the numbered steps become tickable (task-list boxes already
     are), and the ticks are kept for this tab, so that a reload or a
     detour through another sheet does not lose them. */
  var article = doc.querySelector(".sheet-article");
  var prose = article ? article.querySelector(".prose") : null;
  var boxes = [];
  if (prose) {
    var sections = [];
    var n = 0;
    Array.prototype.forEach.call(prose.children, function (el) {
      if (/^H[2-4]$/.test(el.tagName)) {
        var h = el.cloneNode(true);
        h.querySelectorAll(".anchor").forEach(function (a) { a.remove(); });
        sections.push(clean(h.textContent));
        return;
      }
      if (el.tagName !== "OL") { return; }
      el.classList.add("has-step-checks");
      Array.prototype.forEach.call(el.children, function (li, k) {
        if (li.tagName !== "LI" || li.querySelector(":scope > input.task, :scope > p > input.task")) { return; }
        var cb = doc.createElement("input");
        cb.type = "checkbox";
        cb.className = "step-check";
        var num = (el.start || 1) + k;
        var text = short(li.textContent, 90);
        cb.setAttribute("aria-label", t("step_done") + " : " + num + ". " + text);
        cb.setAttribute("data-step", (sections.length ? sections[sections.length - 1] + " — " : "") + num + ". " + text);
        li.insertBefore(cb, li.firstChild);
        n += 1;
      });
    });
    boxes = Array.prototype.slice.call(prose.querySelectorAll("input.task, input.step-check"));
  }
  var key = article ? "fiches-steps:" + article.getAttribute("data-id") : null;
  function store() {
    try { return window.sessionStorage; } catch (err) { return null; }
  }
  if (key && boxes.length) {
    var saved = [];
    try { saved = JSON.parse((store() && store().getItem(key)) || "[]"); } catch (err) { saved = []; }
    boxes.forEach(function (b, i) {
      if (saved.indexOf(i) >= 0) { b.checked = true; }
      b.closest("li") && b.closest("li").classList.toggle("is-done", b.checked);
      b.addEventListener("change", function () {
        var on = [];
        boxes.forEach(function (x, j) { if (x.checked) { on.push(j); } });
        try { store() && store().setItem(key, JSON.stringify(on)); } catch (err) { /* private mode */ }
        if (b.closest("li")) { b.closest("li").classList.toggle("is-done", b.checked); }
        updateSupport();
      });
    });
  }

  /* "Ça ne marche toujours pas ?": the message to the support, pre-filled
     with the sheet, the ticked steps, the room and the equipment. */
  var support = doc.querySelector("[data-support]");
  function stepText(box) {
    if (box.hasAttribute("data-step")) { return box.getAttribute("data-step"); }
    var li = box.closest("li");
    return li ? short(li.textContent, 110) : "";
  }
  function message() {
    var val = function (id) { var e = doc.getElementById(id); return e ? clean(e.value) : ""; };
    var lines = [
      t("support_field_sheet") + " : " + support.getAttribute("data-title"),
      t("support_field_url") + " : " + support.getAttribute("data-url")
    ];
    if (val("support-room")) { lines.push(t("support_room") + " : " + val("support-room")); }
    if (val("support-equipment")) { lines.push(t("support_equipment") + " : " + val("support-equipment")); }
    var details = doc.getElementById("support-details");
    if (details && details.value.trim()) { lines.push("", details.value.trim()); }
    var done = boxes.filter(function (b) { return b.checked; });
    if (done.length) {
      lines.push("", t("support_steps_done") + " :");
      done.forEach(function (b) { lines.push("- " + stepText(b)); });
    }
    return { text: lines.join("\n"), done: done.length };
  }
  function fill(tpl, map) {
    return tpl.replace(/\{(title|url|id|body)\}/g, function (m, k) { return encodeURIComponent(map[k] || ""); });
  }
  function updateSupport() {
    if (!support) { return; }
    var m = message();
    var title = support.getAttribute("data-title");
    var pre = support.querySelector("[data-support-message]");
    if (pre) { pre.textContent = m.text; }
    var count = support.querySelector("[data-support-count]");
    if (count) {
      count.textContent = m.done ? t("support_count", { n: m.done }) : "";
    }
    var mail = support.querySelector('[data-support-link="email"]');
    if (mail) {
      mail.href = "mailto:" + support.getAttribute("data-email") + "?subject=" + encodeURIComponent(title) + "&body=" + encodeURIComponent(m.text);
    }
    var ticket = support.querySelector('[data-support-link="ticket"]');
    var tpl = support.getAttribute("data-ticket");
    if (ticket && tpl) {
      ticket.href = fill(tpl, { title: title, url: support.getAttribute("data-url"), id: article ? article.getAttribute("data-id") : "", body: m.text });
    }
  }
  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var ta = doc.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "visually-hidden";
      doc.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (err) { ok = false; }
      ta.remove();
      if (ok) { resolve(); } else { reject(new Error("copy")); }
    });
  }
  if (support) {
    support.querySelectorAll("[data-js-only], [data-support-copy]").forEach(function (e) { e.hidden = false; });
    support.addEventListener("input", updateSupport);
    var status = support.querySelector("[data-support-status]");
    var copyButton = support.querySelector("[data-support-copy]");
    if (copyButton) {
      copyButton.addEventListener("click", function () {
        copy(message().text).then(function () {
          if (status) { status.textContent = t("support_copied"); }
        }, function () {
          var details = support.querySelector(".support-preview");
          if (details) { details.open = true; }
        });
      });
    }
    updateSupport();
  }
  /* Offline use (offline.rs, templates/sw.js). The service worker is
     registered from http(s) only: from file:// everything is already on
     the device, and never under `fiches serve`, whose live reload must
     always reach the network. */
  var html = doc.documentElement;
  var swPath = html.getAttribute("data-sw");
  var root = html.getAttribute("data-root") || "";
  var web = /^https?:$/.test(location.protocol);
  var scope = new URL(root || "./", location.href).href;
  function cacheKey(href) {
    var u = new URL(href, location.href);
    u.search = "";
    u.hash = "";
    if (/\/$/.test(u.pathname)) { u.pathname += "index.html"; }
    return u.href;
  }
  function siteCaches() {
    if (!window.caches) { return Promise.resolve([]); }
    var prefix = "fiches:" + scope + ":";
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf(prefix) === 0; }).map(function (k) { return caches.open(k); }));
    }).catch(function () { return []; });
  }
  function cached(href) {
    var key = cacheKey(href);
    return siteCaches().then(function (list) {
      return list.reduce(function (p, c) {
        return p.then(function (hit) { return hit || c.match(key); });
      }, Promise.resolve(null));
    });
  }

  /* The web app manifest, linked from http(s) only: from file:// the
     browser's request for it would fail (no origin to fetch from). */
  if (swPath && web) {
    var manifest = doc.createElement("link");
    manifest.rel = "manifest";
    manifest.href = root + "manifest.webmanifest";
    doc.head.appendChild(manifest);
  }

  /* Search results this device has not kept are marked when offline. */
  var FS = window.__fichesSearch || (window.__fichesSearch = {});
  FS.decorate = function (li, a) {
    if (!swPath || !web || navigator.onLine !== false) { return; }
    cached(a.href).then(function (hit) {
      if (hit) { return; }
      li.classList.add("is-not-cached");
      var badge = doc.createElement("span");
      badge.className = "search-badge search-not-cached";
      badge.textContent = t("offline_not_cached");
      (li.querySelector(".search-result-meta") || li).appendChild(badge);
    });
  };

  if (swPath && web && navigator.serviceWorker && !doc.getElementById("fiches-live-reload")) {
    var sw = navigator.serviceWorker;
    var hadController = !!sw.controller;
    var notice = doc.getElementById("update-notice");
    if (!notice) {
      notice = doc.createElement("div");
      notice.id = "update-notice";
      notice.className = "update-notice";
      notice.setAttribute("role", "status");
      notice.setAttribute("aria-live", "polite");
      doc.body.appendChild(notice);
    }
    var waiting = null;
    var showUpdate = function (w) {
      waiting = w;
      if (!notice || notice.firstChild) { return; }
      var p = doc.createElement("p");
      p.appendChild(doc.createTextNode(t("offline_update") + " — "));
      var b = doc.createElement("button");
      b.type = "button";
      b.textContent = t("offline_reload");
      b.addEventListener("click", function () {
        b.disabled = true;
        if (waiting) { waiting.postMessage("fiches:update"); } else { location.reload(); }
      });
      p.appendChild(b);
      notice.appendChild(p);
      doc.body.classList.add("has-update-notice");
    };
    sw.register(root + swPath, { scope: root || "./", updateViaCache: "none" }).then(function (reg) {
      if (reg.waiting && hadController) { showUpdate(reg.waiting); }
      reg.addEventListener("updatefound", function () {
        var w = reg.installing;
        if (!w) { return; }
        w.addEventListener("statechange", function () {
          if (w.state === "installed" && sw.controller) { showUpdate(w); }
        });
      });
      window.addEventListener("online", function () { reg.update().catch(function () {}); });
    }).catch(function () { /* blocked or private mode: the site works as before */ });
    var reloading = false;
    sw.addEventListener("controllerchange", function () {
      // The new version took over (accepted here or in another tab): every
      // tab shows it at once rather than mixing it with the old one.
      if (hadController && !reloading) { reloading = true; location.reload(); }
      hadController = true;
    });
  }

  /* The offline page: the page asked for, and what earlier visits kept. */
  var fromBox = doc.querySelector("[data-offline-from]");
  if (fromBox) {
    var target = null;
    try {
      var from = new URLSearchParams(location.search).get("from");
      target = from ? new URL(from, location.href) : null;
    } catch (err) { target = null; }
    if (target && target.origin === location.origin && /^https?:$/.test(target.protocol)) {
      var shown = target.pathname;
      try { shown = decodeURI(shown); } catch (err) { /* keep it encoded */ }
      fromBox.querySelector("[data-offline-url]").textContent = shown;
      fromBox.querySelector("[data-offline-retry]").href = target.href;
      fromBox.hidden = false;
      // Back online: open the page asked for, unless the reader is already
      // leaving for another one (a link clicked as the network returns).
      var leaving = false;
      window.addEventListener("beforeunload", function () { leaving = true; });
      window.addEventListener("pageshow", function () { leaving = false; });
      window.addEventListener("online", function () {
        if (!leaving && navigator.onLine) { location.replace(target.href); }
      });
    }
    var visited = doc.querySelector("[data-offline-visited]");
    var listed = {};
    doc.querySelectorAll(".offline-list a[href]").forEach(function (a) { listed[cacheKey(a.href)] = true; });
    listed[cacheKey(location.href)] = true;
    var siteTitle = clean((doc.querySelector(".site-title") || {}).textContent);
    if (visited && web) {
      siteCaches().then(function (list) {
        var c = list[list.length - 1];
        return c ? c.keys().then(function (reqs) {
          var pages = reqs.filter(function (r) { return /\.html$/.test(r.url) && !listed[r.url]; }).slice(-100);
          return Promise.all(pages.map(function (r) {
            return c.match(r).then(function (res) { return res.text(); }).then(function (text) {
              var title = clean(new DOMParser().parseFromString(text, "text/html").title);
              if (siteTitle && title.slice(-siteTitle.length - 3) === " — " + siteTitle) { title = title.slice(0, -siteTitle.length - 3); }
              return { url: r.url, title: title || r.url };
            });
          }));
        }) : [];
      }).then(function (pages) {
        if (!pages.length) { return; }
        var ul = visited.querySelector("ul");
        pages.forEach(function (p) {
          var li = doc.createElement("li");
          var a = doc.createElement("a");
          a.href = p.url;
          a.textContent = p.title;
          li.appendChild(a);
          ul.appendChild(li);
        });
        visited.hidden = false;
      }).catch(function () {});
    }
  }
})();
