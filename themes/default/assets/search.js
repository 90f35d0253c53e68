/* fiches — the search box, on every page (works from file://).
 *
 * A page where nobody searches loads only this file. The engine
 * (search-engine.js: index loading, analysis, ranking, snippets) and the
 * index manifest are added with <script> tags, side by side, the first
 * time someone focuses the box or types, and at once on the search page.
 * <script> tags, not fetch() or import(): from file:// nothing else loads.
 *
 * UI strings come from the page's string table through site.js's t()
 * (src/i18n.rs): search_*, kind_*, audience_*; search_results_one, when
 * present, is the singular of search_results_count.
 *
 * Markup it drives (from the theme, templates/search_form.html):
 *   <html data-root="../../">                       relative path to the site root
 *   <form role="search" class="search-form"><div class="search-box"><input id="search-input" name="q"></div></form>
 *   <div class="header-search"></div>               made into that form (the header's box)
 *   <div id="search-live" class="search-live"></div>  live results under the box,
 *                                                   added after the input when absent
 *   <span id="search-hint">                         added when the input has no aria-describedby
 *   <div id="search-page" data-page="search">        the search page (recherche/)
 *     <div id="search-results"></div>                 created when absent
 * Every result element carries data-id="<doc id>", in rank order.
 * All content goes in with textContent/createElement, never innerHTML.
 */
(function () {
  'use strict';

  var W = window;
  var doc = W.document;
  var FS = W.__fichesSearch || (W.__fichesSearch = {});
  var data = FS.data || (FS.data = {});
  var pending = FS.pending || (FS.pending = {});
  // The engine lies next to this file and shares its ?v= (the asset
  // version the service worker's precache serves).
  var me = doc.currentScript;
  var ENGINE = me && me.src ? me.src.replace(/search\.js(?=[?#]|$)/, 'search-engine.js') : null;

  function siteRoot() {
    return doc.documentElement.getAttribute('data-root') || '';
  }
  FS.root = siteRoot;

  /* Adds a <script> tag; resolves once it ran. */
  FS.script = function (src) {
    return new Promise(function (resolve, reject) {
      var s = doc.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { s.remove(); reject(new Error('cannot load ' + src)); };
      doc.head.appendChild(s);
    });
  };
  // Until the engine is there (it replaces this), index files only leave their data.
  FS.register = FS.register || function (name, value) { data[name] = value; };

  /* The engine, loaded once; the manifest starts loading at the same time
   * (the engine's loader takes over the pending promise). */
  var booting = null;
  function boot() {
    if (FS.engine) return Promise.resolve(FS.engine);
    if (booting) return booting;
    var has = function () { return Object.prototype.hasOwnProperty.call(data, 'manifest'); };
    if (!has() && !pending.manifest) {
      var m = pending.manifest = FS.script(siteRoot() + 'search/manifest.js').then(function () {
        if (!has()) throw new Error('no index manifest');
        return data.manifest;
      });
      m.catch(function () { if (pending.manifest === m) delete pending.manifest; });
    }
    booting = FS.script(ENGINE || siteRoot() + 'assets/search-engine.js').then(function () {
      if (!FS.engine) throw new Error('no search engine');
      return FS.engine;
    });
    booting.catch(function () { booting = null; });
    return booting;
  }

  /* The page's one string table (src/i18n.rs) is read by site.js's t(). */
  function t(key, vars, fallback) {
    var F = W.__fichesI18n;
    return F && F.t ? F.t(key, vars, fallback) : (fallback != null ? fallback : key);
  }
  function countText(n, q) {
    var count = t('search_results_count', { n: n, q: q });
    return n === 1 ? t('search_results_one', { n: n, q: q }, count) : count;
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* French typography, as the pages have it (src/html.rs,
   * french_spacing): the space typed before ? ! : ; » (ending a word) and
   * after « is shown as a no-break space, so that a sign never starts a
   * line of a result. The index keeps plain spaces (search is the same). */
  // A letter or digit (index.rs no_words): an emoji's variation
  // selector (U+FE0F) is a mark, not a word.
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var FRENCH = /^fr\b/i.test(doc.documentElement.getAttribute('lang') || '');
  function isSpace(c) { return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v'; }
  function signAt(s, i) {
    var c = s.charAt(i);
    if (c === '\u00bb') return true;
    if ('?!;:'.indexOf(c) < 0) return false;
    var n = s.charAt(i + 1);
    return n === '' || isSpace(n) || '<&?!.,;:)"\'\u00bb'.indexOf(n) >= 0;
  }
  function frenchSpacing(s) {
    if (!FRENCH || !s || s.indexOf(' ') < 0) return s;
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (c === ' ' && ((i > 0 && !isSpace(s.charAt(i - 1)) && i + 1 < s.length && signAt(s, i + 1)) ||
          (s.charAt(i - 1) === '\u00ab' && i + 1 < s.length && !isSpace(s.charAt(i + 1))))) c = '\u00a0';
      out += c;
    }
    return out;
  }

  var LIVE_LIMIT = 8, PAGE_STEP = 20;
  // The header's box is made here, in the empty `div.header-search` that
  // keeps its place (templates/base.html): searching needs JavaScript
  // anyway (without it the search page only says so), and the form was
  // 0.5 KB of every page. The same markup as templates/search_form.html.
  var slot = doc.querySelector('div.header-search');
  if (slot && !doc.getElementById('search-input')) {
    var form = el('form', 'search-form header-search');
    form.setAttribute('role', 'search');
    form.setAttribute('action', siteRoot() + 'recherche/index.html');
    form.setAttribute('method', 'get');
    form.setAttribute('aria-label', t('search_label'));
    var label = el('label', 'visually-hidden', t('search_label'));
    label.htmlFor = 'search-input';
    var field = el('div', 'search-box');
    var box = el('input');
    box.type = 'search';
    box.name = 'q';
    box.id = 'search-input';
    box.placeholder = t('search_placeholder');
    box.setAttribute('autocomplete', 'off');
    box.setAttribute('spellcheck', 'false');
    field.appendChild(box);
    var submit = el('button', 'search-submit', t('search'));
    submit.type = 'submit';
    form.appendChild(label);
    form.appendChild(field);
    form.appendChild(submit);
    slot.parentNode.replaceChild(form, slot);
  }
  var input = doc.getElementById('search-input');
  var live = doc.getElementById('search-live');
  var page = doc.getElementById('search-page');
  // What only works with JavaScript is made here, not written in every
  // page: the live results under the box, and the header box's hint.
  if (input && !live) {
    live = el('div', 'search-live');
    live.id = 'search-live';
    input.parentNode.insertBefore(live, input.nextSibling);
  }
  if (input && !input.getAttribute('aria-describedby')) {
    var hint = el('span', 'visually-hidden', t('search_hint'));
    hint.id = 'search-hint';
    var box = input.parentNode;
    box.parentNode.insertBefore(hint, box.nextSibling);
    input.setAttribute('aria-describedby', hint.id);
  }
  var pageResults = null, pageStatus = null, filters = { kinds: [], audience: '' };
  var liveStatus = null, seq = 0, timer = null, lastQuery = null, shownLimit = PAGE_STEP;
  var selected = -1;

  /* The snippets' DOM writes, made in the next frame all together: one
   * layout of the list for the snippets of a frame, not one per snippet
   * (each is made in a task of its own). */
  var writes = [];
  function paint(f) {
    if (!writes.length) W.requestAnimationFrame(function () { var w = writes; writes = []; w.forEach(function (g) { g(); }); });
    writes.push(f);
  }

  function renderResult(d, ord, terms, idx, listId, later) {
    var li = el('li', 'search-result');
    li.setAttribute('data-id', d.id);
    li.id = listId + '-' + idx;
    var a = el('a', 'search-result-title', frenchSpacing(d.t));
    a.href = siteRoot() + d.u;
    li.appendChild(a);
    var meta = el('div', 'search-result-meta');
    var kind = t('kind_' + d.k);
    meta.appendChild(el('span', 'search-kind search-kind-' + d.k, kind));
    /* A session's or a path's category is its kind's name: said once. */
    if (d.c && d.c !== kind) meta.appendChild(el('span', 'search-category', frenchSpacing(d.c)));
    (d.a || []).forEach(function (au) {
      var lbl = t('audience_' + au, null, au);
      meta.appendChild(el('span', 'search-badge search-audience-' + au.replace(/[^a-z0-9_-]/gi, ''), lbl));
    });
    li.appendChild(meta);
    var p = el('p', 'search-snippet');
    function fill() {
      var segs = FS.engine.snippet(d, terms);
      // Spaced as one text (a sign may follow a marked word), then cut
      // again where the segments were: a space and its no-break space
      // are one character each.
      var whole = frenchSpacing(segs.map(function (s) { return s.text; }).join(''));
      paint(function () {
        while (p.firstChild) p.removeChild(p.firstChild);
        var at = 0;
        segs.forEach(function (s) {
          var text = whole.slice(at, at + s.text.length);
          at += s.text.length;
          p.appendChild(s.mark ? el('mark', null, text) : doc.createTextNode(text));
        });
      });
      return segs.matched;
    }
    // Snippets once the results are in the page (tokenizing a new
    // result's text is most of a keystroke's own work); the head of the
    // text had no match: fetch the rest, then retry.
    later.push(function () { if (!fill() && d.m) FS.engine.moreText(d).then(function () { setTimeout(fill, 0); }, function () {}); });
    li.appendChild(p);
    // site.js marks, when offline, the results this device has not kept.
    if (typeof FS.decorate === 'function') FS.decorate(li, a);
    li.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
    li.addEventListener('click', function (ev) {
      if (ev.target !== a) { W.location.href = a.href; }
    });
    return li;
  }

  function currentList() {
    var host = page ? pageResults : live;
    return host ? host.querySelector('ul.search-list') : null;
  }

  function select(i) {
    var list = currentList();
    if (!list) return;
    var items = list.querySelectorAll('li[data-id]');
    if (!items.length) return;
    // Results are plain links (no listbox: an option may not hold a link),
    // so the arrows move the real focus; above the first one is the box.
    if (i < 0) { clearSelection(); input.focus(); return; }
    if (i >= items.length) i = items.length - 1;
    for (var k = 0; k < items.length; k++) items[k].classList.toggle('is-selected', k === i);
    selected = i;
    var a = items[i].querySelector('a');
    if (a) a.focus();
    if (items[i].scrollIntoView) items[i].scrollIntoView({ block: 'nearest' });
  }

  function clearSelection() {
    selected = -1;
    var list = currentList();
    if (!list) return;
    var on = list.querySelectorAll('li.is-selected');
    for (var k = 0; k < on.length; k++) on[k].classList.remove('is-selected');
  }

  function announce(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function closeLive() {
    if (!live) return;
    while (live.firstChild) live.removeChild(live.firstChild);
    live.hidden = true;
    clearSelection();
  }

  /* Runs the query and renders into the live dropdown or the search page. */
  function run(q, opts) {
    opts = opts || {};
    var my = ++seq;
    var onPage = !!page;
    var host = onPage ? pageResults : live;
    var status = onPage ? pageStatus : liveStatus;
    if (!host) return;
    if (!q.trim()) {
      showHelp(null);
      if (onPage) { while (host.firstChild) host.removeChild(host.firstChild); announce(status, ''); }
      else closeLive();
      return;
    }
    if (!FS.engine) announce(status, t('search_loading'));
    var limit = onPage ? shownLimit : LIVE_LIMIT;
    var sopts = onPage ? filters : {};
    // The engine scores in slices and stops once a newer run started.
    boot().then(function (engine) { return engine.search(q, sopts, function () { return my === seq; }); }).then(function (res) {
      if (my !== seq || !res) return null;
      var top = res.ranked.slice(0, limit);
      return FS.engine.getDocs(top.map(function (r) { return r[0]; })).then(function (docs) {
        if (my !== seq) return;
        while (host.firstChild) host.removeChild(host.firstChild);
        clearSelection();
        var listId = onPage ? 'search-page-list' : 'search-live-list';
        showHelp(onPage && !res.ranked.length ? q : null);
        FS.engine.suggest(q).then(function (sg) {
          if (my !== seq || !sg) return;
          var p = el('p', 'search-suggest');
          // French quotes and spacing on a French interface (<html lang>).
          var fr = /^fr/.test(doc.documentElement.lang);
          p.appendChild(doc.createTextNode(t('search_did_you_mean') + (fr ? ' \u00ab\u00a0' : ' \u201c')));
          var a = el('a', null, sg);
          a.href = siteRoot() + 'recherche/index.html?q=' + encodeURIComponent(sg);
          p.appendChild(a);
          p.appendChild(doc.createTextNode(fr ? '\u00a0\u00bb\u00a0?' : '\u201d?'));
          host.insertBefore(p, host.firstChild);
        }, function () {});
        if (!res.ranked.length) {
          // Nothing to look for (emoji or signs alone, or only words too
          // common to be indexed): said, as `fiches search` says it.
          var none = res.plan && !res.plan.concepts.length ?
            (WORD.test(q) ? 'search_common_words' : 'search_no_words') : 'search_no_results';
          // The page's status line, shown above the filters, says it
          // already: not twice.
          if (!onPage) host.appendChild(el('p', 'search-empty', t(none, { q: q.trim() })));
          announce(status, t(none, { q: q.trim() }));
        } else {
          var ul = el('ul', 'search-list');
          ul.id = listId;
          ul.setAttribute('aria-label', t('search_results_label'));
          var later = [];
          docs.forEach(function (d, i) { ul.appendChild(renderResult(d, top[i][0], res.terms, i, listId, later)); });
          host.appendChild(ul);
          // One snippet per task: a new result's text, cold, costs a phone tens of ms.
          later.forEach(function (f) { setTimeout(function () { if (ul.isConnected) f(); }, 0); });
          if (onPage && res.ranked.length > limit) {
            var more = el('button', 'search-more', t('search_more'));
            more.type = 'button';
            more.addEventListener('click', function () { shownLimit += PAGE_STEP; run(q); });
            host.appendChild(more);
          }
          if (!onPage && res.ranked.length > limit) {
            var all = el('a', 'search-see-all', t('search_see_all'));
            all.href = siteRoot() + 'recherche/index.html?q=' + encodeURIComponent(q);
            host.appendChild(all);
          }
          announce(status, countText(res.ranked.length, q));
        }
        if (!onPage) {
          live.hidden = false;
          input.setAttribute('aria-controls', listId);
        }
      });
    }).catch(function () {
      if (my !== seq) return;
      while (host.firstChild) host.removeChild(host.firstChild);
      host.appendChild(el('p', 'search-error', t('search_error')));
      announce(status, t('search_error'));
    });
  }

  /* The help path under a search without result: the query goes into the
   * message (mailto subject/body, the ticket URL's {title}). */
  function showHelp(q) {
    var help = doc.getElementById('search-help');
    if (!help) return;
    help.hidden = !q;
    if (!q) return;
    var text = help.querySelector('[data-help-text]');
    if (text) text.textContent = t('search_help_text', { q: q });
    var mail = help.querySelector('[data-help="email"]');
    var email = help.getAttribute('data-email');
    if (mail && email) {
      mail.href = 'mailto:' + email + '?subject=' + encodeURIComponent(t('search_help_subject', { q: q })) +
        '&body=' + encodeURIComponent(t('search_help_body', { q: q }));
    }
    var ticket = help.querySelector('[data-help="ticket"]');
    var tpl = help.getAttribute('data-ticket');
    if (ticket && tpl) {
      var here = W.location.href;
      ticket.href = tpl.replace(/\{title\}/g, encodeURIComponent(q)).replace(/\{url\}/g, encodeURIComponent(here))
        .replace(/\{id\}/g, '').replace(/\{body\}/g, encodeURIComponent(t('search_help_body', { q: q })));
    }
  }

  function updateUrl(q) {
    if (!page || !W.history || !W.history.replaceState) return;
    var params = new URLSearchParams(W.location.search);
    if (q) params.set('q', q); else params.delete('q');
    if (filters.kinds.length) params.set('type', filters.kinds.join(',')); else params.delete('type');
    if (filters.audience) params.set('public', filters.audience); else params.delete('public');
    var s = params.toString();
    try { W.history.replaceState(null, '', W.location.pathname + (s ? '?' + s : '') + W.location.hash); } catch (e) { /* file:// in some browsers */ }
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      var q = input.value;
      if (q === lastQuery) return;
      lastQuery = q;
      shownLimit = PAGE_STEP;
      updateUrl(q);
      run(q);
    }, 90);
  }

  function buildFilters(m) {
    var box = el('div', 'search-filters');
    var fs = el('fieldset', 'search-filter-kind');
    fs.appendChild(el('legend', null, t('search_filter_kind')));
    m.kinds.forEach(function (k) {
      var id = 'search-kind-' + k;
      var cb = el('input');
      cb.type = 'checkbox';
      cb.id = id;
      cb.value = k;
      cb.checked = filters.kinds.indexOf(k) >= 0;
      cb.addEventListener('change', function () {
        filters.kinds = Array.prototype.slice.call(fs.querySelectorAll('input:checked')).map(function (x) { return x.value; });
        lastQuery = null; shownLimit = PAGE_STEP; updateUrl(input.value); run(input.value);
      });
      var lab = el('label', null, t('kind_' + k));
      lab.htmlFor = id;
      var span = el('span', 'search-filter-option');
      span.appendChild(cb);
      span.appendChild(lab);
      fs.appendChild(span);
    });
    if (m.kinds.length > 1) box.appendChild(fs);
    if (m.audiences.length) {
      var wrap = el('div', 'search-filter-audience');
      var lab = el('label', null, t('search_filter_audience'));
      lab.htmlFor = 'search-audience';
      var sel = el('select');
      sel.id = 'search-audience';
      var all = el('option', null, t('search_all'));
      all.value = '';
      sel.appendChild(all);
      m.audiences.forEach(function (a) {
        var o = el('option', null, t('audience_' + a, null, a));
        o.value = a;
        if (filters.audience === a) o.selected = true;
        sel.appendChild(o);
      });
      sel.addEventListener('change', function () {
        filters.audience = sel.value;
        lastQuery = null; shownLimit = PAGE_STEP; updateUrl(input.value); run(input.value);
      });
      wrap.appendChild(lab);
      wrap.appendChild(sel);
      box.appendChild(wrap);
    }
    return box;
  }

  var started = false;
  function start() {
    if (started) return;
    started = true;
    boot().then(function (engine) { return engine.ready(); }).then(function (m) {
      if (page && !page.querySelector('.search-filters')) page.insertBefore(buildFilters(m), pageResults);
    }, function () {
      announce(page ? pageStatus : liveStatus, t('search_error'));
    });
  }

  function setup() {
    if (!input) return;
    if (live) {
      live.hidden = true;
      liveStatus = el('div', 'visually-hidden');
      liveStatus.setAttribute('role', 'status');
      liveStatus.setAttribute('aria-live', 'polite');
      live.parentNode.insertBefore(liveStatus, live.nextSibling);
    }
    if (page) {
      pageResults = doc.getElementById('search-results');
      if (!pageResults) {
        pageResults = el('div');
        pageResults.id = 'search-results';
        page.appendChild(pageResults);
      }
      // The count is announced by the status line, not the whole list.
      pageResults.removeAttribute('aria-live');
      pageStatus = el('p', 'search-status');
      pageStatus.setAttribute('role', 'status');
      pageStatus.setAttribute('aria-live', 'polite');
      page.insertBefore(pageStatus, pageResults);
      var params = new URLSearchParams(W.location.search);
      var q = params.get('q') || '';
      filters.kinds = (params.get('type') || '').split(',').filter(function (x) { return /^(fiche|apero|action|parcours)$/.test(x); });
      filters.audience = params.get('public') || '';
      input.value = q;
      start();
      lastQuery = q;
      run(q);
    }
    input.addEventListener('focus', start);
    // While schedule() waits for the next key, the engine loads what the
    // query needs, scores it and makes its first results' snippets.
    input.addEventListener('input', function () {
      start();
      schedule();
      if (FS.engine) FS.engine.prefetch(input.value, page ? filters : {}, page ? PAGE_STEP : LIVE_LIMIT);
    });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown') {
        if (!currentList()) return;
        ev.preventDefault();
        select(0);
      } else if (ev.key === 'Escape') {
        if (!page && live && !live.hidden) { ev.preventDefault(); closeLive(); }
        else if (selected >= 0) clearSelection();
        else input.blur();
      }
    });
    // Arrows and Escape while a result link has the focus.
    [live, pageResults].forEach(function (host) {
      if (!host) return;
      host.addEventListener('keydown', function (ev) {
        if (ev.target === input || !ev.target.closest || !ev.target.closest('li[data-id]')) return;
        if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
          ev.preventDefault();
          select(ev.key === 'ArrowDown' ? selected + 1 : selected - 1);
        } else if (ev.key === 'Escape') {
          ev.preventDefault();
          clearSelection();
          input.focus();
          if (host === live && !page) closeLive();
        }
      });
    });
    if (live && !page) {
      var maybeClose = function () {
        setTimeout(function () {
          var a = doc.activeElement;
          if (a !== input && !live.contains(a)) closeLive();
        }, 150);
      };
      input.addEventListener('blur', maybeClose);
      live.addEventListener('focusout', maybeClose);
    }
    doc.addEventListener('keydown', function (ev) {
      if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var a = doc.activeElement;
      if (a && (a.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))) return;
      ev.preventDefault();
      input.focus();
      input.select();
    });
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
