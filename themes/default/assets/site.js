/* fiches: small behaviours that need JavaScript. Every page stays usable
   without it: what only works with JavaScript is `hidden` in the HTML and
   shown from here. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  /* The one string table of the theme's scripts (search.js asks here
     too), written from src/i18n.rs at the start of this file (src/build.rs)
     or, for a theme that brings its own, in assets/strings.js loaded
     first (a page of an older theme carries it as JSON in #search-i18n). `{name}`
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

  /* The public address of this sheet, as its printed `.print-url` line
     gives it ("En ligne : ADDRESS", src/publish.rs), or null. */
  var own = doc.querySelector(".sheet-article .print-url");
  var ownUrl = null;
  if (own) {
    var line = clean(own.textContent), lead = clean(t("online_at", null, ""));
    ownUrl = lead && line.indexOf(lead) === 0 ? line.slice(lead.length).trim() : line.split(" ").pop();
  }

  /* QR codes of printed sheets, drawn as one path of dark runs (each a
     stroke one module thick along its row) with their frame. A booklet's
     codes come with their modules from src/publish.rs (the qrcode crate):
     `<svg class="qr-code" role="img" aria-label="…" data-qr="W BITS">`
     (width, then the modules row by row, dark as 1, in base64). A
     sheet's page carries none (they were 330 bytes of every page): its
     code is made here from its public address, with lean-qr below, the
     same symbol as the qrcode crate's (error correction M, mask 0, the
     same segments; tests/browser/print.test.mjs compares them module by
     module and decodes the printed code), in a figure of the sheet's
     header. It only shows on paper, and print.css leaves it out without
     JavaScript, when the address is printed as text only. */
  function drawQr(svg, w, dark) {
    var d = "", q = 4;
    for (var y = 0; y < w; y++) {
      var pen = -1;
      for (var x = 0; x < w;) {
        if (!dark(x, y)) { x++; continue; }
        var start = x;
        while (x < w && dark(x, y)) x++;
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
  }
  doc.querySelectorAll("svg[data-qr]").forEach(function (svg) {
    var parts = (svg.getAttribute("data-qr") || "").split(" ");
    var w = parseInt(parts[0], 10), bin;
    try { bin = atob(parts[1] || ""); } catch (err) { return; }
    if (!(w > 0) || bin.length * 8 < w * w) return;
    drawQr(svg, w, function (x, y) { var i = y * w + x; return (bin.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1; });
  });
  var sheetHeader = own && own.closest(".sheet-header");
  if (ownUrl && sheetHeader && !doc.querySelector(".sheet-article svg.qr-code[data-qr]")) {
    try {
      var qr = leanQr(), ascii = /^[\x00-\x7f]*$/.test(ownUrl);
      // ASCII: the cheapest segments, as the qrcode crate's encode_auto;
      // else the address's UTF-8 bytes in one byte segment, as that crate
      // writes them (no ECI).
      var code = qr.generate(ascii ? ownUrl : qr.mode.bytes(new TextEncoder().encode(ownUrl)), {
        minCorrectionLevel: qr.correction.M, maxCorrectionLevel: qr.correction.M, mask: 0,
        modes: [qr.mode.numeric, qr.mode.alphaNumeric, qr.mode.ascii]
      });
      var svg = sheetHeader.querySelector("svg.qr-code");
      if (!svg) {
        var fig = doc.createElement("figure");
        fig.className = "qr print-only";
        svg = doc.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("class", "qr-code");
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", t("qr_label"));
        var cap = doc.createElement("figcaption");
        cap.textContent = t("print_qr");
        fig.appendChild(svg);
        fig.appendChild(cap);
        sheetHeader.appendChild(fig);
      }
      drawQr(svg, code.size, code.get);
    } catch (err) { /* too long for a code, or an old browser: the address is printed as text */ }
  }

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
  /* Folded <details> of a sheet print unfolded (print.css does it where
     ::details-content exists), and fold again after. */
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    doc.querySelectorAll(".prose details:not([open])").forEach(function (d) { d.open = true; unfolded.push(d); });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (d) { d.open = false; });
    unfolded = [];
  });

  /* Where a printed link to the site's own pages leads (print.css shows
     data-print-url): the public address, made from the sheet's own
     (`.print-url`, "… ADDRESS", src/publish.rs) rather than written by
     the build beside every link (about 300 bytes a sheet). */
  if (ownUrl) {
    var rootUrl = new URL(doc.documentElement.getAttribute("data-root") || "", location.href).href;
    var siteRel = function (u) {
      u = u.split("#")[0].split("?")[0];
      return u.indexOf(rootUrl) === 0 ? u.slice(rootUrl.length).replace(/(^|\/)index\.html$/, "$1") : null;
    };
    var mine = ownUrl, here = siteRel(location.href);
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
    // Before the search box: on a phone the button sits beside the site's
    // name, above the box, and the keyboard reaches them in that order.
    inner.insertBefore(toggle, inner.querySelector(".header-search"));
  }
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    });
    // Escape closes the open menu from its button or its links, and gives
    // the focus back to the button: a keyboard user is not left inside a
    // menu that covers the page (WAI-ARIA disclosure pattern).
    doc.addEventListener("keydown", function (ev) {
      if (ev.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") { return; }
      var at = doc.activeElement;
      if (at !== toggle && !nav.contains(at)) { return; }
      toggle.setAttribute("aria-expanded", "false");
      nav.classList.remove("is-open");
      toggle.focus();
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

  /* The web app manifest and the home-screen icon, linked from http(s)
     only: from file:// the browser's request for the manifest would fail
     (no origin to fetch from), and nothing is installed. */
  if (swPath && web) {
    var manifest = doc.createElement("link");
    manifest.rel = "manifest";
    manifest.href = root + "manifest.webmanifest";
    doc.head.appendChild(manifest);
    // The home-screen icon (iOS reads it when a page is added), linked
    // here rather than in every page's head.
    var touch = doc.createElement("link");
    touch.rel = "apple-touch-icon";
    touch.href = root + "assets/icon-192.png";
    doc.head.appendChild(touch);
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

  /*! lean-qr 2.7.4, MIT License, Copyright (c) 2021-2025 David Evans */
  /* QR code generation (ISO 18004), vendored from the package's index.mjs:
   * unchanged but for its export (returned here), the output methods of
   * its bitmaps (only `size` and `get` are used), the deprecated
   * `generate.with`, and two ES2020 `??` and an ES2018 object rest
   * written in ES2015 (site.js parses on browsers without them). Made on
   * first use only: it sets up its tables (and a TextEncoder) when run. */
  function leanQr() {
    return leanQr.lib || (leanQr.lib = (function () {
const t=[.2,3/8,5/9,2/3],o=(o,e)=>r=>{const n=4*o+r-4,s="*-04-39?2$%%$%%'$%''%'''%')(%'))%(++'(++'(+.'+-.',/3',33)-/5)-43).36)058*18<+37<+4:<,4:E,5<A-7>C/8@F/:EH/<EK0=FM1?IP2@KS3BNV4DPY5FS\\6HV_6IXb7K[e8N^i9Pam;Rdp<Tgt".charCodeAt(n)-35,f=n>8?s:1,c=e/f|0,i=e%f,l=f-i,a=n>8?c*t[r]+(o>5)&-2:s,_=c-a;return{t:l*_+i*_+i,o:[[l,_],[i,_+1]],i:a}},e={min:0,L:0,M:1,Q:2,H:3,max:3},r=t=>new Uint8Array(t),n=t=>{const o=new Error(`lean-qr error ${t}`);throw o.code=t,o},s=t=>"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".indexOf(t),f=t=>t.charCodeAt(0),c=(...t)=>(o,e)=>t.forEach(t=>t(o,e)),i=t=>o=>{o.eci!==t&&(o.push(7,4),t<128?o.push(t,8):t<16384?o.push(32768|t,16):o.push(12582912|t,24),o.eci=t)},l=t=>(o,e)=>{o.push(4,4),o.push(t.length,8+8*(e>9)),t.forEach(t=>o.push(t,8))},a=(t,o,e,r,n=(t,o)=>e(t.length,o),s=(r?o=>c(i(r),t(o)):t))=>(s.test=o,s.l=e,s.est=n,s.eci=r&&[r],s),_=a(t=>(o,e)=>{o.push(1,4),o.push(t.length,10+2*(e>26)+2*(e>9));let r=0;for(;r<t.length-2;r+=3)o.push(+t.slice(r,r+3),10);r<t.length-1?o.push(+t.slice(r),7):r<t.length&&o.push(+t[r],4)},t=>/[0-9]/.test(t),(t,o)=>14+2*(o>26)+2*(o>9)+10*t/3),u=a(t=>(o,e)=>{o.push(2,4),o.push(t.length,9+2*(e>26)+2*(e>9));let r=0;for(;r<t.length-1;r+=2)o.push(45*s(t[r])+s(t[r+1]),11);r<t.length&&o.push(s(t[r]),6)},t=>s(t)>=0,(t,o)=>13+2*(o>26)+2*(o>9)+5.5*t),d=a(t=>l([...t].map(f)),t=>f(t)<128,(t,o)=>12+8*(o>9)+8*t);d._=!0,d.u=!0;const p=a(d,t=>f(t)<256,d.l,3);p._=!0;const m=new TextEncoder,h=a(t=>l(m.encode(t)),()=>1,0,26,(t,o)=>12+8*(o>9)+8*m.encode(t).length);h._=!0;let w=()=>{const t=new Map,o=new TextDecoder("sjis"),e=r(2);for(let r=0;r<7973;++r)e[0]=r/192+129+64*(r>5951),e[1]=r%192+64,t.set(o.decode(e),r);return t.delete("\ufffd"),w=()=>t,t};const y=a(t=>(o,e)=>{o.push(8,4),o.push(t.length,8+2*(e>26)+2*(e>9));for(const e of t)o.push(w().get(e),13)},t=>w().has(t),(t,o)=>12+2*(o>26)+2*(o>9)+13*t);y._=!0;const g=[_,u,d,p,y,h],b={auto:(t,{modes:o=g}={})=>(e,r)=>{const s=o.map((o,e)=>{const n=new Map,s=(t,o)=>(n.has(t)||n.set(t,o(t,r)),n.get(t));return{m:o,h:1<<e,C:o.est("",r),S:o.l?(t,e)=>s(e-t,o.l):(e,r)=>s(t.slice(e,r),o.est)}});let f=[{v:0}],c=0,i=0,l=-1;for(const o of[...t,""]){let t=0;if(o)for(const e of s)e.m.test(o)&&(t|=e.h);if(!o||t!==l){if(-1!==l){const t=new Set(f.map(t=>t.D)),o=[];for(const{m:e,C:r,S:n,h:a}of s)if(l&a){const s=n(c,i);for(const l of (e.eci||t))if(!e.u||!l){let t;for(const o of f)if(o.D===l||e.eci){const f=o.m===e&&o.D===l,a=f?o.V:o,_=e._&&f?o.v+s-r:a.v+12*(a.D!==l)+(f?n(f?o.$:c,i):s);(!t||_<t.v)&&(t={$:f?o.$:c,V:a,m:e,D:l,A:i,v:_})}t&&o.push(t)}}f=o}l=t,c=i}i+=o.length}f.length||n(5);const a=[];for(let o=f.reduce((t,o)=>o.v<t.v?o:t);o.m;o=o.V)a.push(o.m(t.slice(o.$,o.A)));a.reverse().forEach(t=>t(e,r))},multi:c,eci:i,bytes:l,numeric:_,alphaNumeric:u,ascii:d,iso8859_1:p,shift_jis:y,utf8:h},C=()=>({F:r(2956),I:0,push(t,o){for(let e=o,r=8-(7&this.I);e>0;e-=r,r=8)this.F[this.I>>3]|=t<<r>>e,this.I+=e<r?e:r}}),x=(t,o=t*t,e=r(o))=>({size:t,K:e,get:(o,r)=>o>=0&&o<t&&!!(1&e[r*t+o])}),z=[(t,o)=>1&(t^o),(t,o)=>1&o,t=>t%3,(t,o)=>(t+o)%3,(t,o)=>1&(t/3^o>>1),(t,o)=>(t&o&1)+t*o%3,(t,o)=>(t&o)+t*o%3&1,(t,o)=>(t^o)+t*o%3&1],E=r(511);for(let t=0,o=1;t<255;o=2*o^285*(o>127))E[E[o+255]=t++]=o;const M=t=>E[t%255],S=t=>E[t+255],v=(t,o)=>{const e=r(t.length+o.length-1);for(let r=0;r<t.length;++r)for(let n=0;n<o.length;++n)e[r+n]^=M(t[r]+o[n]);return e.map(S)},D=(t,o)=>{const e=r(t.length+o.length-1);e.set(t,0);for(let r=0;r<t.length;++r)if(e[r]){const t=S(e[r]);for(let n=0;n<o.length;++n)e[r+n]^=M(o[n]+t)}return e.slice(t.length)},L=[[0],[0,0]];for(let t=1;t<30;++t)L.push(v(L[t],[0,t]));const V=(t,o)=>{const e=[[],[]];let n=0,s=0;for(const[r,f]of o.o)for(let c=0;c<r;++c,n+=f){const r=t.slice(n,n+f);e[0].push(r),e[1].push(D(r,L[o.i])),s+=f+o.i}const f=r(s);s=0;for(const t of e)for(let o=0,e=-1;e<s;++o){e=s;for(const e of t)o<e.length&&(f[s++]=e[o])}return f},$=(t,o,e)=>{let r=t<<=e;for(let t=134217728;t>>=1;)r&t&&(r^=o*(t>>e));return r|t},A=({size:t,K:o},e)=>{const r=(e,r,n,s)=>{for(;n-- >0;e+=t)o.fill(s,e,e+r)},n=(o,e,n)=>{for(let s=0;s++<3;n-=2)r(e*t+o-(n>>1)*(t+1),n,n,2|s)},s=2*((t-13)/(1+(e/7|0))/2+.75|0);if(e>1)for(let o=t-7;o>8;o-=s){for(let t=o;t>8;t-=s)n(o,t,5);o<t-7&&n(o,6,5)}if(e>6)for(let r=$(e,7973,12),n=1;n<7;++n)for(let e=12;e-- >9;r>>=1)o[n*t-e]=2|1&r;r(7,2,9,2),r(t-8,8,9,2);for(let e=0;e<t;++e)o[6*t+e]=3^1&e;n(3,3,7),n(t-4,3,7);for(let e=0;e<t;++e)for(let r=e;r<t;++r)o[r*t+e]=o[e*t+r];o[(t-8)*t+8]=3},F=({size:t,K:o})=>{const e=[];for(let r=t-2,n=t,s=-1;r>=0;r-=2){for(5===r&&(r=4);n+=s,-1!==n&&n!==t;){const s=n*t+r;o[s+1]||e.push(s+1),o[s]||e.push(s)}s*=-1}return e},H=({K:t},o,e)=>o.forEach((o,r)=>t[o]=e[r>>3]>>(7&~r)&1),I=({size:t,K:o},e,r,n)=>{for(let r=0;r<t;++r)for(let n=0;n<t;++n){const s=r*t+n;o[s]^=!(e(n,r)||2&o[s])}let s=21522^$((1^n)<<3|r,1335,10);for(let e=0;e++<8;s>>=1)o[(e-(e<7))*t+8]=1&s,o[9*t-e]=1&s;for(let e=8;--e,s;s>>=1)o[8*t+e-(e<7)]=1&s,o[(t-e)*t+8]=1&s},K=({size:t,K:o},e=0,r=0)=>{for(let n=0;n<t;++n){for(let s=0;s<2;++s)for(let f,c=0,i=0,l=2;c<t;++c){const a=1&o[s?n*t+c:c*t+n];r+=a,i=(i>>1|2098176)&(3047517^a-1),2049&i&&(e+=40),a^l&&(f=0),l=a,e+=5===++f?3:f>5}if(n)for(let r=t+n,s=5*o[n-1]^o[n];r<t*t;r+=t){const t=5*o[r-1]^o[r];e+=3*!(1&(s|t)|4&(s^t)),s=t}}return e+10*(10*Math.abs(r/(t*t)-1)|0)},N=[],P=(t=n(1),l={})=>{let{minCorrectionLevel:e=0,maxCorrectionLevel:r=3,minVersion:s=1,maxVersion:f=40,mask:c,trailer:i=60433}=l;r<e&&n(3),f<s&&n(2),"string"==typeof t&&(t=b.auto(t,l));for(let n=s,l=0;n<=f;++n){let s=N[n];s||(N[n]=s=x(4*n+17),A(s,n),s.p=F(s));const f=o(n,s.p.length>>3);if(8*f(e).t<l)continue;const a=C();t(a,n),l=a.I;for(let t=r;t>=e;--t){const o=f(t);if(8*o.t<l)continue;for(a.I=l+11&-8;a.I<8*o.t;)a.push(i,16);const e=x(s.size,s.K);return H(e,s.p,V(a.F,o)),(z[c]?[z[c]]:z).map((o,r)=>{const n=x(e.size,e.K);return I(n,o,(c==null?r:c),t),n.s=z[c]?0:K(n),n}).reduce((t,o)=>o.s<t.s?o:t)}}n(4)};return{correction:e,generate:P,mode:b}

    })());
  }
})();
