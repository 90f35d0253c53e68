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

  /* QR codes of printed sheets (src/publish.rs): the page names the
     text, `<svg class="qr-code" data-qr="URL">`; the code is computed
     here and drawn as one path of dark runs, each a stroke one module
     thick along its row (a drawn code was 2 to 4 KB of every page, its
     modules 300 bytes). */
  /* QR code of `text` (bytes of its UTF-8, error correction M, mask 0):
     the modules as rows of booleans, or null when it does not fit. */
  function qrModules(text) {
    var ECC = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28];
    var BLOCKS = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
    var bytes = unescape(encodeURIComponent(text)), ver, size, raw, ecc, nb, cap;
    for (ver = 1; ver <= 40; ver++) {
      size = ver * 4 + 17;
      var na = ver < 2 ? 0 : Math.floor(ver / 7) + 2;
      raw = (16 * ver + 128) * ver + 64 - (na ? (25 * na - 10) * na - 55 : 0) - (ver >= 7 ? 36 : 0);
      ecc = ECC[Math.min(ver, 22) - 1];
      nb = BLOCKS[ver - 1];
      cap = (raw >> 3) - ecc * nb;
      if (4 + (ver < 10 ? 8 : 16) + 8 * bytes.length <= 8 * cap) break;
    }
    if (ver > 40) return null;
    // Data: byte mode, length, bytes, terminator, padding.
    var bits = [];
    function put(v, n) { for (var i = n - 1; i >= 0; i--) bits.push((v >>> i) & 1); }
    put(4, 4);
    put(bytes.length, ver < 10 ? 8 : 16);
    for (var i = 0; i < bytes.length; i++) put(bytes.charCodeAt(i), 8);
    put(0, Math.min(4, 8 * cap - bits.length));
    put(0, (8 - bits.length % 8) % 8);
    for (var pad = 0xec; bits.length < 8 * cap; pad ^= 0xec ^ 0x11) put(pad, 8);
    var data = [];
    for (i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(""), 2));
    // Reed-Solomon over GF(256), blocks interleaved.
    function mul(x, y) {
      for (var z = 0, k = 7; k >= 0; k--) { z = (z << 1) ^ ((z >>> 7) * 0x11d); z ^= ((y >>> k) & 1) * x; }
      return z;
    }
    var div = [], root = 1, j, k;
    for (i = 0; i < ecc - 1; i++) div.push(0);
    div.push(1);
    for (i = 0; i < ecc; i++) {
      for (j = 0; j < ecc; j++) { div[j] = mul(div[j], root); if (j + 1 < ecc) div[j] ^= div[j + 1]; }
      root = mul(root, 2);
    }
    var total = raw >> 3, short = nb - total % nb, slen = Math.floor(total / nb), blocks = [], at = 0;
    for (i = 0; i < nb; i++) {
      var d = data.slice(at, at += slen - ecc + (i < short ? 0 : 1)), rem = [];
      for (j = 0; j < ecc; j++) rem.push(0);
      d.forEach(function (b) {
        var f = b ^ rem.shift();
        rem.push(0);
        for (var m = 0; m < ecc; m++) rem[m] ^= mul(div[m], f);
      });
      if (i < short) d.push(-1);
      blocks.push(d.concat(rem));
    }
    var words = [];
    for (i = 0; i < blocks[0].length; i++) {
      for (j = 0; j < nb; j++) if (blocks[j][i] >= 0) words.push(blocks[j][i]);
    }
    // Function patterns, then the codewords in zigzag, then mask 0.
    var mod = [], fn = [];
    for (i = 0; i < size; i++) { mod.push([]); fn.push([]); }
    function set(x, y, dark) { mod[y][x] = !!dark; fn[y][x] = true; }
    for (i = 0; i < size; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0); }
    function finder(cx, cy) {
      for (var dy = -4; dy <= 4; dy++) for (var dx = -4; dx <= 4; dx++) {
        var dist = Math.max(Math.abs(dx), Math.abs(dy)), x = cx + dx, y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, dist !== 2 && dist !== 4);
      }
    }
    finder(3, 3); finder(size - 4, 3); finder(3, size - 4);
    if (ver > 1) {
      var n = Math.floor(ver / 7) + 2, step = ver === 32 ? 26 : Math.ceil((ver * 4 + 4) / (n * 2 - 2)) * 2, pos = [6];
      for (var p = size - 7; pos.length < n; p -= step) pos.splice(1, 0, p);
      for (i = 0; i < n; i++) for (j = 0; j < n; j++) {
        if ((i === 0 && j === 0) || (i === 0 && j === n - 1) || (i === n - 1 && j === 0)) continue;
        for (var dy = -2; dy <= 2; dy++) for (var dx = -2; dx <= 2; dx++) set(pos[i] + dx, pos[j] + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }
    }
    // Format: level M (00), mask 0.
    var fb = 0, r = 0;
    for (r = fb, i = 0; i < 10; i++) r = (r << 1) ^ ((r >>> 9) * 0x537);
    fb = ((fb << 10) | r) ^ 0x5412;
    function fbit(q) { return (fb >>> q) & 1; }
    for (i = 0; i <= 5; i++) set(8, i, fbit(i));
    set(8, 7, fbit(6)); set(8, 8, fbit(7)); set(7, 8, fbit(8));
    for (i = 9; i < 15; i++) set(14 - i, 8, fbit(i));
    for (i = 0; i < 8; i++) set(size - 1 - i, 8, fbit(i));
    for (i = 8; i < 15; i++) set(8, size - 15 + i, fbit(i));
    set(8, size - 8, 1);
    if (ver >= 7) {
      for (r = ver, i = 0; i < 12; i++) r = (r << 1) ^ ((r >>> 11) * 0x1f25);
      var vb = (ver << 12) | r;
      for (i = 0; i < 18; i++) {
        var a = size - 11 + i % 3, b = Math.floor(i / 3), bit = (vb >>> i) & 1;
        set(a, b, bit); set(b, a, bit);
      }
    }
    var bi = 0;
    for (var right = size - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      for (var v = 0; v < size; v++) for (k = 0; k < 2; k++) {
        var x = right - k, y = ((right + 1) & 2) === 0 ? size - 1 - v : v;
        if (fn[y][x]) continue;
        var dark = bi < words.length * 8 ? (words[bi >>> 3] >>> (7 - (bi & 7))) & 1 : 0;
        bi++;
        mod[y][x] = !!dark !== ((x + y) % 2 === 0);
      }
    }
    return mod;
  }
  doc.querySelectorAll("svg[data-qr]").forEach(function (svg) {
    var url = svg.getAttribute("data-qr") || "", m = url && qrModules(url);
    if (!m) return;
    var w = m.length, q = 4, d = "";
    for (var y = 0; y < w; y++) {
      var pen = -1;
      for (var x = 0; x < w;) {
        if (!m[y][x]) { x++; continue; }
        var start = x;
        while (x < w && m[y][x]) x++;
        d += pen < 0 ? "M" + (start + q) + " " + (y + q) + ".5h" + (x - start) : "m" + (start - pen) + " 0h" + (x - start);
        pen = x;
      }
    }
    var ns = "http://www.w3.org/2000/svg", size = w + 2 * q;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", t("qr_label") + " : " + url);
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
  var toc = doc.querySelector(".toc-details");
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
