/* fiches — offline search engine: index loading, analysis, ranking,
 * snippets (works from file://: no fetch, no WebAssembly).
 *
 * Not on any page: search.js (the search box, on every page) adds this
 * file with a <script> tag the first time someone uses the search, and
 * the index manifest alongside it. The index is a set of plain JS files
 * under <root>search/ written by the fiches-search crate; each calls
 * window.__fichesSearch.register(name, data). The ranking engine below
 * mirrors crates/fiches-search/src/engine.rs operation for operation (same
 * plan, same floats), so the site and `fiches search` rank alike.
 *
 * Everything it offers is on window.__fichesSearch.engine (ready, search,
 * suggest, getDocs, moreText, snippet, ...). It needs no DOM: the tests of
 * crates/fiches-search run it under Node with their own FS.loader.
 */
(function () {
  'use strict';

  var W = typeof window !== 'undefined' ? window : globalThis;
  var FS = W.__fichesSearch || (W.__fichesSearch = {});
  /* Short helpers (the engine ships minified, names renamed: build.rs). */
  function dict() { return Object.create(null); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  var data = FS.data || (FS.data = {});
  var waiting = FS.waiting || (FS.waiting = {});

  /* ------------------------------------------------------------------ */
  /* Loading shards                                                      */
  /* ------------------------------------------------------------------ */

  FS.register = function (name, value) {
    /* Only v/ and b/ files have runs of t/ bounds (`b`). */
    if (name[0] === 'v') vGen++;
    if (value) addRuns(name, value.b);
    data[name] = value;
    var w = waiting[name];
    if (w) {
      delete waiting[name];
      for (var i = 0; i < w.length; i++) w[i][0](value);
    }
  };

  /* A packed file (browser.rs `packed_js`): its JSON, `n` bytes,
   * deflated in base 85; registered once inflated. */
  FS.packed = function (name, n, z) {
    inflate(z, n).then(utf8).then(function (json) { FS.register(name, JSON.parse(json)); }, function (err) { fail(name, err); });
  };
  function fail(name, err) {
    var w = waiting[name] || [];
    delete waiting[name];
    for (var i = 0; i < w.length; i++) w[i][1](err);
  }

  /* File of a shard name: "manifest" → manifest.js, "t12" → t/12.js,
   * "v:imprim" (a shard named by its first key) → v/kimprim.js, a char
   * other than a-z 0-9 as - (browser::shard_stem) ...; "inflate", the
   * theme's fallback inflater, and "fuzzy" (search-fuzzy.js) are beside
   * the engine. */
  function fileOf(name) {
    var m = /^([tvdxrspf])(\d+)$/.exec(name);
    return m ? m[1] + '/' + m[2] + '.js' : name[1] == ':' ? name[0] + '/k' + name.slice(2).replace(/[^a-z\d]/g, '-') + '.js' :
      name === 'inflate' || name === 'fuzzy' ? '../assets/search-' + name + '.js' : name + '.js';
  }
  FS.fileOf = fileOf;

  /* Default loader: a <script> tag made by search.js's FS.script (works
   * from file://, where nothing can be fetched). Tests replace FS.loader
   * with one that evaluates the file in a vm context. */
  FS.loader = FS.loader || function (name, file, build) {
    return FS.script(FS.root() + 'search/' + file + (build ? '?v=' + build : ''));
  };

  /* Shared with search.js, which starts loading the manifest while this
   * file is still on its way. */
  var pending = FS.pending || (FS.pending = {});
  function load(name) {
    if (has(data, name)) return Promise.resolve(data[name]);
    if (pending[name]) return pending[name];
    var build = data.manifest ? data.manifest.build : '';
    var p = new Promise(function (resolve, reject) {
      (waiting[name] || (waiting[name] = [])).push([resolve, reject]);
      FS.loader(name, fileOf(name), name === 'manifest' ? '' : build).then(function () {
        if (has(data, name)) {
          FS.register(name, data[name]);
        }
      }, function (err) { fail(name, err); });
    });
    pending[name] = p;
    p.catch(function () { delete pending[name]; });
    return p;
  }
  FS.load = load;

  /* ------------------------------------------------------------------ */
  /* Analysis (mirrors analysis.rs: tokenize, fold, stop words)          */
  /* ------------------------------------------------------------------ */

  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var MARK = /\p{M}/gu;
  var APOS = { '\'': 1, '\u2019': 1, '\u2018': 1, '\u02BC': 1 };
  var HYPHEN = { '-': 1, '\u2010': 1, '\u2011': 1 };
  var SPECIAL = { 'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i' };

  /* Folded characters, each made once (snippets fold every word). */
  var foldMemo = dict(), ASCII = /^[\x00-\x7f]*$/;
  function fold(s) {
    if (ASCII.test(s)) return s.toLowerCase();
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 128) {
        out += (c >= 65 && c <= 90) ? String.fromCharCode(c + 32) : s[i];
        continue;
      }
      var cp = s.codePointAt(i);
      var ch = String.fromCodePoint(cp);
      if (cp > 0xffff) i++;
      var o = foldMemo[ch];
      if (o === undefined) {
        var d = ch.normalize('NFKD').toLowerCase().replace(MARK, '');
        o = '';
        for (var k = 0; k < d.length; k++) o += SPECIAL[d[k]] || d[k];
        foldMemo[ch] = o;
      }
      out += o;
    }
    return out;
  }

  /* Word characters: ASCII by their code, others by WORD once each. */
  var wordMemo = dict();
  function isWord(ch) {
    var c = ch.charCodeAt(0);
    if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    var m = wordMemo[ch];
    return m !== undefined ? m : (wordMemo[ch] = !APOS[ch] && WORD.test(ch));
  }

  function cpLen(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) n++;
    }
    return n;
  }

  /* Words of `text`: {parts: [[text, offset]], start, end}; offsets are
   * UTF-16 indexes. Elided particles are dropped. Walks UTF-16 units
   * (a surrogate pair as one character): snippets tokenize kilobytes. */
  function rawWords(text, elisions) {
    var n = text.length;
    /* Units of the character at k (a pair of surrogates is one). */
    function step(k) {
      var c = text.charCodeAt(k);
      return c >= 0xd800 && c <= 0xdbff && k + 1 < n && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    }
    function w(k) {
      if (k >= n) return false;
      var c = text.charCodeAt(k);
      return c < 128 ? (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) : isWord(text.substr(k, step(k)));
    }
    var words = [];
    var j, k = 0;
    while (k < n) {
      if (!w(k)) { k += step(k); continue; }
      var parts = [];
      for (;;) {
        j = k;
        while (w(j)) j += step(j);
        var part = text.slice(k, j);
        /* Apostrophes and hyphens are one unit. */
        var sep = text[j], glue = j < n && (APOS[sep] || HYPHEN[sep]) && w(j + 1);
        if (glue && APOS[sep]) {
          if (parts.length === 0 && elisions.indexOf(fold(part)) >= 0) { k = j + 1; continue; }
          parts.push([part, k]);
          k = j + 1;
          break;
        }
        parts.push([part, k]);
        if (glue) { k = j + 1; continue; }
        k = j;
        break;
      }
      var last = parts[parts.length - 1];
      words.push({ parts: parts, start: parts[0][1], end: last[1] + last[0].length });
    }
    return words;
  }

  /* ------------------------------------------------------------------ */
  /* Engine                                                              */
  /* ------------------------------------------------------------------ */

  var M = null;        // manifest
  var P = null;        // manifest.params
  var stopSet = null, grammar = null;

  function cmp(a, b) {            // code point order, as Rust sorts strings
    if (a === b) return 0;
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) {
        var sx = x >= 0xd800 && x <= 0xdfff, sy = y >= 0xd800 && y <= 0xdfff;
        if (sx !== sy) return sx ? 1 : -1;
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }


  /* Index of the shard whose first key is the last one <= key. */
  function shardIndex(bounds, key) {
    var lo = 0, hi = bounds.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(bounds[mid], key) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  /* Inverse of browser::front_code. */
  function frontDecode(s) {
    var out = [], prev = '';
    s.split(' ').forEach(function (e) {
      var n = B64V[e[0]];
      var head = /[\ud800-\udfff]/.test(prev) ? Array.from(prev).slice(0, n).join('') : prev.slice(0, n);
      prev = head + e.slice(1);
      out.push(prev);
    });
    return out;
  }

  /* The manifest's compact synonym text (browser::manifest), entries
     split by spaces: surfaces `w` (its own stem) or `w:a,b` to {w: [a, b]};
     phrases `p:a,b|c` to {p: [[a, b], [c]]} (slots split by |). */
  function synText(text, slots) {
    var out = dict();
    (text ? text.split(' ') : []).forEach(function (e) {
      var i = e.indexOf(':');
      if (i < 0) out[e] = [e];
      else if (slots) out[e.slice(0, i)] = e.slice(i + 1).split('|').map(function (s) { return s.split(','); });
      else out[e.slice(0, i)] = e.slice(i + 1).split(',');
    });
    return out;
  }

  /* The manifest, read once (a failed load is tried again). */
  var booted;
  function ready() {
    return booted || (booted = load('manifest').then(async function (m) {
      /* The keys only this file reads come deflated (browser.rs pack_manifest). */
      if (m.z) {
        var more = JSON.parse(await utf8(await inflate(m.z, m.zn)));
        for (var k in more) m[k] = more[k];
        delete m.z;
      }
      M = m;
      P = m.params;
      M.vocab = frontDecode(M.vocab);
      M.syn.surfaces = synText(M.syn.surfaces, false);
      M.syn.phrases = synText(M.syn.phrases, true);
      /* Compact text (browser::manifest): groups by |, phrases by ",", stems by space. */
      M.syn.groups = M.syn.groups ? M.syn.groups.split('|').map(function (g) { return g.split(',').map(function (ph) { return ph.split(' '); }); }) : [];
      M.stop = M.stop ? M.stop.split(' ') : [];
      /* Compact text (browser::manifest): lists by |, words by space. */
      M.negation = M.negation.split('|').map(function (l) { return l ? l.split(' ') : []; });
      /* Its five lists are the grammar words (Language::is_grammar). */
      grammar = dict();
      M.negation.forEach(function (l) { l.forEach(function (w) { grammar[w] = 1; }); });
      termShards(M);
      /* `fiches serve` numbers a sheet added since its first index after
       * the others (live.rs): `tie` gives such a number its place by id,
       * so that equal scores rank as in a full build. */
      M.tieOf = dict();
      for (var t = 0; M.tie && t < M.tie.length; t += 2) M.tieOf[M.tie[t]] = M.tie[t + 1];
      stopSet = dict();
      for (var i = 0; i < M.stop.length; i++) stopSet[M.stop[i]] = 1;
      return M;
    }).catch(function (e) { booted = null; throw e; }));
  }

  /* The elided particle just before index `start` ("n" in "n'imprime"), folded. */
  function elidedBefore(text, start) {
    var cs = Array.from(text.slice(0, start));
    if (!cs.length || !APOS[cs[cs.length - 1]]) return null;
    var k = cs.length - 1;
    while (k > 0 && isWord(cs[k - 1])) k--;
    return k < cs.length - 1 ? fold(cs.slice(k, cs.length - 1).join('')) : null;
  }

  /* Query words (mirrors Analyzer::query_words, without stems). */
  function analyzeQuery(q) {
    var out = [];
    var adjacent = false, lastEnd = -1;
    var words = rawWords(q, M.elisions);
    var folded = words.map(function (w) { return fold(w.parts.map(function (p) { return p[0]; }).join('')); });
    var negPre = M.negation[0], negPost = M.negation[1], light = M.negation[3];
    /* A light verb weighs as a negated one when the query says something else (Analyzer::query_words). */
    var other = folded.some(function (f) { return f && !stopSet[f] && light.indexOf(f) < 0; }), prevNeg = false;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      var el = elidedBefore(q, w.start);
      var negated = i + 1 < words.length && negPost.indexOf(folded[i + 1]) >= 0 &&
        ((i > 0 && negPre.indexOf(folded[i - 1]) >= 0) || (el !== null && negPre.indexOf(el) >= 0) ||
         (i > 0 && M.negation[2].indexOf(folded[i + 1]) >= 0 && (i + 2 >= words.length || stopSet[folded[i + 2]]))) ||
        (other && light.indexOf(folded[i]) >= 0) ||
        /* The particle after a negated or light verb is the negation's (Analyzer::query_words). */
        (prevNeg && negPost.indexOf(folded[i]) >= 0) ||
        /* ... or an auxiliary's ("est pas traité", Analyzer::query_words). */
        (i > 0 && negPost.indexOf(folded[i]) >= 0 && M.negation[4].indexOf(folded[i - 1]) >= 0);
      prevNeg = negated;
      var gapOk = false;
      if (lastEnd >= 0) {
        gapOk = true;
        var gap = Array.from(q.slice(lastEnd, w.start));
        for (var g = 0; g < gap.length; g++) if (isWord(gap[g])) { gapOk = false; break; }
      }
      adjacent = adjacent && gapOk;
      var joined = '';
      for (var p = 0; p < w.parts.length; p++) joined += w.parts[p][0];
      var surface = fold(joined);
      lastEnd = w.end;
      if (!surface || cpLen(surface) > P.max_word || stopSet[surface]) { adjacent = false; continue; }
      var parts = [];
      if (w.parts.length > 1) {
        for (p = 0; p < w.parts.length; p++) {
          var f = fold(w.parts[p][0]);
          if (f && !stopSet[f] && cpLen(f) <= P.max_word) parts.push(f);
        }
      }
      out.push({ surface: surface, parts: parts, adjacent: adjacent, negated: negated });
      adjacent = true;
    }
    return out;
  }

  /* Each query word once, the first in its place: a word typed again adds
   * nothing (engine.rs distinct_words, same rule for adjacency). */
  function distinctWords(words) {
    var seen = Object.create(null), out = [], cut = false;
    words.forEach(function (w) {
      var key = (w.negated ? '1' : '0') + w.surface;
      if (seen[key]) {
        var l = out[out.length - 1];
        cut = cut || !(l && l.surface === w.surface && l.negated === w.negated && w.adjacent);
        return;
      }
      seen[key] = true;
      if (cut) w.adjacent = false;
      cut = false;
      out.push(w);
    });
    return out;
  }

  function reverse(s) { return Array.from(s).reverse().join(''); }

  /* Decoded vocabulary list ("v<i>" by word, "r<i>" by reversed word,
   * "s<i>" short words by deletion key; "f<i>" words and "g<i>" codes by word): sorted keys `w`, surfaces `f`,
   * stems `s`, df classes `d`. */
  var vocabCache = {};
  function vocabShard(name) {
    if (vocabCache[name]) return vocabCache[name];
    var raw = data[name];
    if (!raw) return null;
    var w = raw.w.split(' ');
    var f = name[0] === 'r' ? w.map(reverse) : name[0] === 's' ? raw.f.split(' ') : w;
    var s = new Array(w.length), d = new Array(w.length), ex = 0;
    for (var k = 0; k < w.length; k++) {
      var c = raw.s[k];
      if (c === '_') s[k] = raw.x[ex++];
      else {
        var x = B64V[c];
        s[k] = /[\ud800-\udfff]/.test(f[k]) ? Array.from(f[k]).slice(0, x).join('') : f[k].slice(0, x);
      }
      d[k] = B64V[raw.d[k]];
    }
    /* v/ only: the completions of the prefixes whose words go on in the next shards;
       `e`, each stem's re-/ré- forms (engine::re_forms). */
    vocabCache[name] = { w: w, f: f, s: s, d: d, c: synText(raw.c), e: synText(raw.e) };
    return vocabCache[name];
  }
  /* Names of the shards ("v" by word, "r" by reversed word) holding the
   * keys that start with `prefix` (exact: only the shard where `prefix`
   * itself would be). */
  function vocabShardNames(prefix, exact, kind) {
    kind = kind || 'v';
    var b = M[BOUNDS[kind]], i = shardIndex(b, prefix), out = [];
    if (i < 0) i = 0;
    out.push(kind + ':' + b[i]);
    if (!exact) for (var j = i + 1; j < b.length && b[j].indexOf(prefix) === 0; j++) out.push(kind + ':' + b[j]);
    return out;
  }
  /* Calls fn(surface, stem, dfClass) for every loaded entry whose key
   * starts with `prefix`, in order (exact: only entries equal to it). */
  function eachVocab(prefix, exact, fn, kind) {
    kind = kind || 'v';
    var b = M[BOUNDS[kind]], i = shardIndex(b, prefix);
    if (i < 0) i = 0;
    for (var j = i; j < b.length; j++) {
      if (j > i && b[j].indexOf(prefix) !== 0) break;
      var v = vocabShard(kind + ':' + b[j]);
      if (!v) continue;
      for (var k = lowerBound(v.w, prefix); k < v.w.length; k++) {
        var w = v.w[k];
        if (exact ? w !== prefix : w.indexOf(prefix) !== 0) break;
        fn(v.f[k], v.s[k], v.d[k]);
      }
      if (exact) break;
    }
  }
  var BOUNDS = { v: 'vocab', f: 'fvocab', g: 'gvocab', r: 'rvocab', s: 'short' };
  function lowerBound(arr, key) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(arr[mid], key) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function sortedUnique(list) {
    list.sort(cmp);
    var out = [];
    for (var i = 0; i < list.length; i++) if (i === 0 || list[i] !== list[i - 1]) out.push(list[i]);
    return out;
  }

  /* Stems of a folded word: vocabulary + synonym surfaces (no stemmer here). */
  function lookup(surface) {
    var out = [];
    eachVocab(surface, true, function (w, stem) { out.push(stem); });
    var syn = M.syn.surfaces[surface];
    if (syn && has(M.syn.surfaces, surface)) out = out.concat(syn);
    return sortedUnique(out);
  }

  /* Highest df class of a known surface; synonym-only surfaces 0; null if unknown. */
  function knownDf(surface) {
    var best = null;
    eachVocab(surface, true, function (w, stem, dfc) { if (best === null || dfc > best) best = dfc; });
    if (best === null && has(M.syn.surfaces, surface)) best = 0;
    return best;
  }

  function pushOpt(opts, term, pen) {
    if (!has(opts, term) || pen > opts[term]) opts[term] = pen;
  }

  /* Of the query's ranking over every document (what the CLI reads). */
  function suggest(q) {
    return search(q).then(function (res) {
      /* Only a word the vocabulary does not know is corrected (suggestNow):
       * without one there is nothing to say, and search-fuzzy.js stays out. */
      var unknown = rawWords(q, M.elisions).some(function (w) {
        var s = fold(w.parts.map(function (p) { return p[0]; }).join(''));
        return s && cpLen(s) <= P.max_word && !stopSet[s] && !grammar[s] && knownDf(s) === null;
      });
      return unknown ? fuzzy().then(function (f) { return f.suggest(q, res); }) : null;
    });
  }

  /* search-fuzzy.js (typos, words run together, "Vouliez-vous dire"):
   * loaded by a query with a word the vocabulary does not know or a rare
   * one, and made once with what it shares of this file; most first
   * queries never load it (issue 14's first-query budget). */
  var X = null;
  function fuzzy() {
    return load('fuzzy').then(function (make) {
      return X || (X = make({
        M: M, P: P, stopSet: stopSet, grammar: grammar, data: data, load: load, loadAll: loadAll, frontDecode: frontDecode,
        sortedUnique: sortedUnique, vocabShardNames: vocabShardNames, vocabShard: vocabShard, eachVocab: eachVocab,
        reverse: reverse, clock: clock, breath: breath, pause: pause, dict: dict, has: has, cmp: cmp,
        pushOpt: pushOpt, postings: postings, rawWords: rawWords, fold: fold, cpLen: cpLen, knownDf: knownDf,
        lookup: lookup, rareKnown: rareKnown
      }));
    });
  }

  /* A known word rare enough to be maybe words run together (params::SPLIT_RARE;
     corpus::df_class of the document count): only such words load a split's vocabulary. */
  function rareKnown(surface) {
    var c = knownDf(surface);
    return c !== null && c + P.split_rare <= Math.min(63, Math.round(Math.log2(Math.max(M.n, 1)) * 4));
  }
  /* A known word the planner tries to split (rareSplit; engine::split_words
   * needs split_min letters): with an unknown word, what loads search-fuzzy.js. */
  function mayRunTogether(w) {
    return !w.parts.length && cpLen(w.surface) >= P.split_min && rareKnown(w.surface);
  }
  /* Mirrors Planner::rare_split: the splits of a rare known word whose pieces are common. */
  function rareSplit(surface) {
    var c = knownDf(surface);
    return mayRunTogether({ surface: surface, parts: [] }) ? X.split(surface).filter(function (pieces) {
      return pieces.every(function (p) { return knownDf(p) >= c + P.split_gap; });
    }) : [];
  }
  function prefixOpts(surface, opts) {
    /* engine::completes: a known word of prefix_min letters is as typed. */
    var n = cpLen(surface), known = false;
    eachVocab(surface, true, function () { known = true; });
    if (n < P.prefix_min || (n === P.prefix_min && known)) return;
    /* Words over several shards: their completions are listed in the first (browser::completion_lists). */
    var names = vocabShardNames(surface, false);
    if (names.length > 1) {
      var v = vocabShard(names[0]);
      ((v && v.c[surface]) || []).forEach(function (t) { pushOpt(opts, t, P.prefix_pen); });
      return;
    }
    var best = dict();
    eachVocab(surface, false, function (w, stem, dfc) { if (w !== surface) best[stem] = dfc; });
    var cands = Object.keys(best).map(function (s) { return [best[s], s]; });
    cands.sort(function (x, y) { return y[0] - x[0] || cmp(x[1], y[1]); });
    for (var c = 0; c < cands.length && c < P.prefix_max; c++) pushOpt(opts, cands[c][1], P.prefix_pen);
  }

  /* Mirrors analysis::exact_term: stem, then the word singular. */
  function exactTerm(stem, w) {
    var x = P.exact_sep, s = Array.from(w).length > 3 && /[sx]$/.test(w) ? w.slice(0, -1) : w;
    return stem + x + (s.indexOf(stem) ? x + s : s.slice(stem.length));
  }

  /* Mirrors engine::verb_form_surfaces: "oublier" → "oublié", "oubliez"… */
  function verbForms(w) {
    var vf = (M.verb_forms || '').split(' '), m = vf[0] && RegExp('^(.{' + P.verb_base_min + ',})' + vf[0] + '$', 'u').exec(w);
    return m ? vf.slice(1).map(function (f) { return m[1] + f; }) : [];
  }

  function slotFrom(opts) {
    return { opts: Object.keys(opts).sort(cmp).map(function (t) { return { term: t, pen: opts[t] }; }), exact: [] };
  }

  /* Vocabulary a query needs: first the shards of its words, parts and
   * joined pairs (the last word's has its completions); then, once known,
   * the buckets of unknown words (typos). */
  function loadVocabFor(words, alive) {
    alive = alive || function () { return true; };
    var names = dict(), last;
    function add(list) { list.forEach(function (n) { names[n] = 1; }); }
    for (var i = 0; i < words.length; i++) {
      add(vocabShardNames(words[i].surface, true));
      verbForms(words[i].surface).forEach(function (f) { add(vocabShardNames(f, true)); });
      for (var p = 0; p < words[i].parts.length; p++) add(vocabShardNames(words[i].parts[p], true));
      if (i + 1 < words.length) add(vocabShardNames(words[i].surface + words[i + 1].surface, true));
    }
    /* Each step only while someone waits for it (a stale prefetch stops). */
    function go(f) { return function (x) { return alive() ? f(x) : null; }; }
    return loadAll(Object.keys(names)).then(go(function () {
      words = said(words);
      last = words.open && words.length ? words[words.length - 1].surface : '';
      /* A prefix with a bundle is listed in its own v/ shard (`q`, browser::vocab_files). */
      var q = (data[vocabShardNames(last, true)[0]] || {}).q;
      return q && (' ' + q + ' ').indexOf(' ' + last + ' ') >= 0 && load('p:' + last);
    })).then(go(function () {
      bundle(last);
      /* A word the vocabulary does not know (a typo?) or a rare one (words
       * run together?): search-fuzzy.js goes on with the lists they need. */
      return words.some(function (w) { return !lookup(w.surface).length || mayRunTogether(w); }) ?
        fuzzy().then(go(function (f) { return f.load(words, alive, go); })) : null;
    }));
  }

  /* Mirrors Planner::said: the words less the grammar words the site
   * never says (the next is no longer adjacent); `open` false when the
   * last typed was one: no word is then completed. */
  function said(words) {
    var out = [], cut = false;
    out.open = true;
    words.forEach(function (w) {
      if (!(out.open = w.parts.length || !grammar[w.surface] || lookup(w.surface).length > 0)) return (cut = true);
      w.adjacent = w.adjacent && !cut;
      cut = false;
      out.push(w);
    });
    return out;
  }

  /* The plan (mirrors engine::plan with stemmer_fallback = false). */
  function buildPlan(words) {
    words = said(words);
    var nw = words.length, units = [], i = 0, open = words.open;
    while (i < nw) {
      var w = words[i];
      if (i + 1 < nw && words[i + 1].adjacent && w.parts.length === 0 && words[i + 1].parts.length === 0) {
        var joined = w.surface + words[i + 1].surface;
        var js = lookup(joined);
        if (js.length) {
          units.push({ surface: joined, known: true, stems: js, parts: [lookup(w.surface), lookup(words[i + 1].surface)], typed: [w.surface, words[i + 1].surface], span: 2, last: open && i + 1 === nw - 1, negated: false, fuzzy: dict(), split: [] });
          i += 2;
          continue;
        }
      }
      var stems = lookup(w.surface);
      var fuzzy = dict(), split = [];
      if (!stems.length) {
        split = X.unknown(w, fuzzy);
      } else if (!w.parts.length) {
        split = rareSplit(w.surface);
      }
      units.push({
        surface: w.surface, known: stems.length > 0, stems: stems,
        parts: w.parts.map(lookup), typed: [], span: 1, last: open && i === nw - 1,
        negated: !!w.negated, fuzzy: fuzzy, split: split
      });
      i++;
    }
    function mainSlot(u, withFuzzy) {
      var opts = dict();
      for (var k = 0; k < u.stems.length; k++) pushOpt(opts, u.stems[k], 1.0);
      if (withFuzzy) Object.keys(u.fuzzy).forEach(function (t) { pushOpt(opts, t, u.fuzzy[t]); });
      verbForms(u.surface).forEach(function (f) { eachVocab(f, true, function (w, t) { pushOpt(opts, t, P.syn_pen); }); });
      if (u.last) prefixOpts(u.surface, opts);
      /* The re-/ré- forms of the word's stems, listed in its own v/ shard
         (engine::re_forms: "charge" also finds "recharger"). */
      var v = vocabShard(vocabShardNames(u.surface, true)[0]);
      eachVocab(u.surface, true, function (w, t) {
        if (has(v.e, t)) v.e[t].forEach(function (f) { pushOpt(opts, f, P.re_pen); });
      });
      var s = slotFrom(opts);
      /* Exact title terms of the word as typed (analysis::exact_term). */
      s.exact = u.stems.map(function (t) { return exactTerm(t, u.surface); });
      return s;
    }
    function unitAlts(u) {
      var alts = [{ slots: [mainSlot(u, true)], pen: 1.0, partial: false }];
      if (u.parts.length > 1) {
        alts.push({
          slots: u.parts.map(function (p, k) {
            var o = dict(); p.forEach(function (s) { o[s] = 1.0; });
            var sl = slotFrom(o);
            /* Two words typed apart and joined: their exact title terms (engine::unit_alts). */
            if (k < u.typed.length) sl.exact = p.map(function (t) { return exactTerm(t, u.typed[k]); });
            return sl;
          }),
          pen: 1.0, partial: true
        });
      }
      /* Each piece as typed, its stems and exact title terms (engine::unit_alts, rank28). */
      u.split.forEach(function (pieces) {
        alts.push({
          slots: pieces.map(function (w) {
            var p = lookup(w), o = dict(); p.forEach(function (s) { o[s] = 1.0; });
            var sl = slotFrom(o);
            sl.exact = p.map(function (t) { return exactTerm(t, w); });
            return sl;
          }),
          pen: P.split_pen, partial: false
        });
      });
      return alts;
    }
    var groups = M.syn.groups, concepts = [], lens = [];
    i = 0;
    while (i < units.length) {
      var found = null;
      for (var g = 0; g < groups.length; g++) {
        for (var p = 0; p < groups[g].length; p++) {
          var phrase = groups[g][p], l = phrase.length;
          if (i + l > units.length || (found && found[0] >= l)) continue;
          var ok = true;
          for (var k = 0; k < l; k++) if (units[i + k].stems.indexOf(phrase[k]) < 0) { ok = false; break; }
          if (ok) found = [l, g, p];
        }
      }
      if (found) {
        var span = units.slice(i, i + found[0]);
        var alts = found[0] === 1 ? unitAlts(span[0]) :
          [{ slots: span.map(function (u) { return mainSlot(u, false); }), pen: 1.0, partial: true }];
        groups[found[1]].forEach(function (ph, idx) {
          if (idx === found[2]) return;
          alts.push({ slots: phraseSlots(ph), pen: P.syn_pen, partial: false });
        });
        concepts.push({ span: span.reduce(function (a, u) { return a + u.span; }, 0), alts: alts, optional: span.every(function (u) { return u.negated; }), guess: false });
        lens.push(found[0]);
        i += found[0];
      } else {
        /* An unknown word: its options are guesses (engine::Concept::guess). */
        concepts.push({ span: units[i].span, alts: unitAlts(units[i]), optional: units[i].negated, guess: !units[i].known && !units[i].parts.length && !units[i].negated });
        lens.push(1);
        i++;
      }
    }
    var tags = tagRuns(units, concepts, lens);
    return { concepts: concepts, tag_required: tags[0], tag_runs: tags[1] };
  }

  /* Mirrors analysis::tag_key: a folded word without a final s or x,
   * then up to two final e (from more than 3 letters), then the
   * language's endings of derivation and irregular derivations (the
   * manifest's tag_key: `ending=by=left`, `from=to`; rank30). */
  function tagKey(w) {
    var cs = Array.from(w);
    if (cs.length > 3 && /[sx]/.test(cs[cs.length - 1])) cs.pop();
    for (var k = 0; k < 2; k++) if (cs.length > 3 && cs[cs.length - 1] === 'e') cs.pop();
    w = cs.join('');
    var t = M.tag_key || ['', ''];
    t[0].split(' ').forEach(function (r) {
      r = r.split('=');
      if (r[0] && w.slice(-r[0].length) === r[0] && Array.from(w).length - r[0].length >= r[2]) w = w.slice(0, -r[0].length) + r[1];
    });
    t[1].split(' ').some(function (r) {
      r = r.split('=');
      return r[0] === w && (w = r[1], 1);
    });
    return w;
  }

  /* Mirrors engine::tag_runs: the query words of the required concepts
   * (bit i: unit i), and every run of 1 to tag_max words as the tag
   * term that would say it. */
  function tagRuns(units, concepts, lens) {
    var n = Math.min(units.length, 32), required = 0, at = 0, runs = dict();
    concepts.forEach(function (c, ci) {
      if (!c.optional) for (var k = at; k < Math.min(at + lens[ci], n); k++) required = (required | (1 << k)) >>> 0;
      at += lens[ci];
    });
    /* A unit's keys: its surface's, and those of two typed words joined. */
    var forms = units.slice(0, n).map(function (u) {
      var f = [[tagKey(u.surface)]];
      if (u.typed.length > 1) f.push(u.typed.map(tagKey));
      /* The pieces of a word run together (engine::tag_runs, rank28). */
      u.split.forEach(function (pieces) { f.push(pieces.map(tagKey)); });
      return f;
    });
    for (var i = 0; i < n; i++) {
      var mask = 0, seqs = [[]];
      for (var j = i; j < Math.min(n, i + P.tag_max); j++) {
        mask = (mask | (1 << j)) >>> 0;
        var next = [];
        seqs.forEach(function (sq) { forms[j].forEach(function (f) { var x = sq.concat(f); if (x.length <= P.tag_max) next.push(x); }); });
        seqs = next;
        seqs.forEach(function (keys) {
          var t = P.tag_sep + keys.join(P.tag_sep);
          runs[t + '\u0000' + mask] = { term: t, mask: mask };
        });
      }
    }
    var list = Object.keys(runs).map(function (k) { return runs[k]; });
    list.sort(function (x, y) { return cmp(x.term, y.term) || x.mask - y.mask; });
    return [required, list];
  }

  /* Mirrors engine::phrase_slots: a phrase of several words matches only
     through its phrase terms (two consecutive words each). */
  function phraseSlots(ph) {
    if (ph.length === 1) return [{ opts: [{ term: ph[0], pen: 1.0 }], exact: [] }];
    return (M.syn.phrases[ph.join(P.phrase_sep)] || []).map(function (terms) {
      return { opts: terms.map(function (t) { return { term: t, pen: 1.0 }; }), exact: [] };
    });
  }

  function planTerms(plan) {
    var t = dict();
    plan.concepts.forEach(function (c) { c.alts.forEach(function (a) { a.slots.forEach(function (s) { s.opts.forEach(function (o) { t[o.term] = 1; }); s.exact.forEach(function (x) { t[x] = 1; }); }); }); });
    (plan.tag_runs || []).forEach(function (r) { t[r.term] = 1; });
    return Object.keys(t).sort(cmp);
  }

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var B64V = {}, B64C = new Uint8Array(128);
  for (var b = 0; b < 64; b++) { B64V[B64[b]] = b; B64C[B64.charCodeAt(b)] = b; }

  var postCache = dict();
  /* Where postings live (browser::SynonymShards): after the range shards,
   * group g's word shard (the stems of its one-word phrases) at g and its
   * phrase shard (the phrase terms of its phrases of several words) at
   * groups + g; a term of several groups is with the first; none for a
   * group in `noshard` / `nophrase`, nor for a phrase term outside every
   * group. */
  var wordShard = null, phraseShard = null;
  function termShards(m) {
    var sep = m.params.phrase_sep, ng = m.syn.groups.length, no = dict();
    wordShard = dict();
    phraseShard = dict();
    (m.noshard || []).forEach(function (g) { no[g] = 1; });
    (m.nophrase || []).forEach(function (g) { no[ng + g] = 1; });
    function put(map, t, i) { if (map[t] === undefined) map[t] = no[i] ? '' : 't' + i; }
    m.syn.groups.forEach(function (g, gi) {
      g.forEach(function (ph) {
        if (ph.length < 2) put(wordShard, ph[0], gi);
        else (m.syn.phrases[ph.join(sep)] || []).forEach(function (ts) { ts.forEach(function (t) { put(phraseShard, t, ng + gi); }); });
      });
    });
  }
  /* Name of the term shard of a stem; '' when no shard can hold it. */
  function termShard(term) {
    /* An exact title term (or a title marker) is with its stem (browser::term_shards). */
    var x = term.indexOf(P.exact_sep);
    if (x > 0) term = term.slice(0, x);
    if (wordShard[term] !== undefined) return wordShard[term];
    if (phraseShard[term] !== undefined) return phraseShard[term];
    return term.indexOf(P.phrase_sep) >= 0 ? '' : rangeShard(term);
  }
  /* The range shard of a stem, from the runs of t/ bounds of the v/ shards
   * loaded (`b`, browser::term_runs: front-coded, split by |, each ending
   * with the next shard's bound, '' past the last), else from the run of
   * its first char (b/, browser::term_chunks, which termBounds loads for a
   * stem in no run: a typo's candidates); null until then. */
  var runs = [], runsOf = dict();
  function addRuns(name, b) {
    if (b && !runsOf[name]) { runsOf[name] = 1; b.split('|').forEach(function (r) { r = frontDecode(r); runs.push([r.pop(), r]); }); }
  }
  function rangeShard(term) {
    for (var i = 0; i < runs.length; i++) {
      var end = runs[i][0], r = runs[i][1];
      if (cmp(r[0], term) <= 0 && (!end || cmp(term, end) < 0)) return 't:' + r[shardIndex(r, term)];
    }
    return null;
  }
  /* A name twice is loaded once (load). */
  function termBounds(terms) {
    return loadAll(terms.filter(function (t) { return !postCache[t] && !bundled[t] && !isTag(t) && termShard(t) === null; })
      .map(function (t) { return 'b:' + t.codePointAt(0); }));
  }

  /* Decodes browser::encode_postings (ords and 9-bit impact levels) or,
   * for an exact title term or a title marker, browser::encode_ords. */
  function decode(enc, ords, qs) {
    /* Char codes and a table: a frequent term has thousands of postings. */
    var pos = 0, prev = 0, n = enc.length;
    while (pos < n) {
      var v = 0, mul = 1, c;
      do { c = B64C[enc.charCodeAt(pos++)]; v += (c & 31) * mul; mul *= 32; } while (c & 32);
      if (!qs) { prev += v; ords.push(prev); continue; }
      prev += Math.floor(v / 8);
      ords.push(prev);
      qs.push((v % 8) * 64 + B64C[enc.charCodeAt(pos++)]);
    }
  }

  /* Postings of a term: {ords, qs} (empty if absent); qs carry the title
   * flag, read from the exact title terms (`stem.word`) or the title marker
   * (`reseau_fil.`) that follow the term in its shard. */
  function postings(term) {
    if (postCache[term]) return postCache[term];
    if (bundled[term]) return (postCache[term] = postingsIn(bundled[term], term));
    if (isTag(term)) return (postCache[term] = postingsIn((data[tagShard(term)] || {}).g, term));
    return (postCache[term] = postingsIn(data[termShard(term)], term));
  }
  /* A tag term (`/…`) is in the `v/` shard of its key after the separator
   * (browser::tag_lists), the one its first word's lookup loads. */
  function isTag(term) { return term.indexOf(P.tag_sep) === 0; }
  function tagShard(term) { return 'v:' + M.vocab[shardIndex(M.vocab, term.slice(P.tag_sep.length))]; }
  /* The same from shard `sh` (a t/ shard or a bundle). Exact title terms
   * and tag terms (`/…`) are ords alone. */
  function postingsIn(sh, term) {
    var ords = [], qs = [], exact = term.indexOf(P.exact_sep) > 0 || term.indexOf(P.tag_sep) === 0;
    var k = sh ? lowerBound(sh.t, term) : 0;
    if (sh && k < sh.t.length && sh.t[k] === term) {
      decode(sh.p[k], ords, exact ? null : qs);
      if (exact) qs = null;
      else {
        /* Then its title marker or exact title terms, and its summary marker (`term.,`). */
        var pre = term + P.exact_sep, sm = pre + P.summary_mark, titled = dict();
        for (k++; k < sh.t.length && sh.t[k].indexOf(pre) === 0; k++) {
          var t = [], f = sh.t[k] === sm ? P.summary_flag : P.title_flag;
          decode(sh.p[k], t, null);
          for (var j = 0; j < t.length; j++) titled[t[j]] |= f;
        }
        for (j = 0; j < ords.length; j++) if (titled[ords[j]]) qs[j] |= titled[ords[j]];
      }
    }
    return { ords: ords, qs: qs || [] };
  }

  /* A last word of prefix_min letters with a bundle (browser::term_shards):
   * its completions and stems with their exact title terms, as in their shards. */
  var bundled = dict();
  /* Its terms are decoded when a plan needs them (a slice of the scoring each). */
  function bundle(surface) {
    var b = data['p:' + surface];
    if (b) b.t.forEach(function (t) { if (!postCache[t]) bundled[t] = b; });
  }

  function termShardsFor(terms) {
    var names = dict();
    terms.forEach(function (t) {
      if (postCache[t] || bundled[t]) return;
      if (isTag(t)) { names[tagShard(t)] = 1; return; }
      var n = termShard(t);
      if (n) names[n] = 1;
    });
    return Object.keys(names);
  }

  /* Mirrors engine::slot_idf: the idf of the slot's most frequent word as
     typed (multiplier 1), else of its most frequent option. */
  function slotIdf(s, lists) {
    var exact = Infinity, any = Infinity;
    s.opts.forEach(function (o) {
      var l = lists[o.term];
      if (!l[1].ords.length) return;
      if (o.pen >= 1.0 && l[0] < exact) exact = l[0];
      if (l[0] < any) any = l[0];
    });
    return isFinite(exact) ? exact : any;
  }

  /* Per-document buffers of score(), kept from call to call (all zero
   * between calls): a keystroke no longer allocates and clears a dozen
   * arrays of every document. */
  var buf = null;
  function buffers(nd) {
    if (buf && buf.nd === nd) return buf;
    function f() { return new Float64Array(nd); }
    function u() { return new Uint32Array(nd); }
    buf = { nd: nd, total: f(), coordNum: f(), optSpan: f(), sslot: f(), asum: f(), cscore: f(), cfrac: f(), stf: f(), nsum: f(), nnames: u(), cexact: new Uint8Array(nd),
      acount: u(), atitle: u(), aexact: u(), titled: u(), exacted: u(), tagged: u(), asumm: u(), summed: u(),
      ssumm: new Uint8Array(nd), csumm: new Uint8Array(nd), stitle: new Uint8Array(nd), sexact: new Uint8Array(nd), ctitle: new Uint8Array(nd), inC: new Uint8Array(nd), inF: new Uint8Array(nd),
      sl: u(), al: u(), cl: u(), fl: u() };
    return buf;
  }

  /* Scores (mirrors engine::score, which walks every document; here only
   * the documents a slot, an alternative or a concept touched are visited,
   * each with the same operations in the same order, so the same floats).
   * Scores the documents `lo` <= ord < `hi` alone (each document's score
   * depends only on its own postings and on the terms' idf: rank() runs
   * the documents in ranges, one slice of the page's time each); `lists`
   * from planLists(). Returns [[ord, score], ...] ranked. */
  function score(plan, lists, lo, hi) {
    /* Documents are numbered below `ords` (serve leaves holes). */
    var nd = M.ords || M.n;
    /* f(ord) for the postings of the range. */
    function each(ords, f) { for (var k = from(ords, lo); k < ords.length && ords[k] < hi; k++) f(ords[k]); }
    var B = buffers(nd), totalSpan = 0, required = 0, TF = P.title_flag, SF = P.summary_flag;
    var total = B.total, coordNum = B.coordNum, optSpan = B.optSpan, sslot = B.sslot, asum = B.asum, acount = B.acount;
    var cscore = B.cscore, cfrac = B.cfrac, stitle = B.stitle, atitle = B.atitle, ctitle = B.ctitle, titled = B.titled;
    var sexact = B.sexact, aexact = B.aexact, exacted = B.exacted, inC = B.inC, inF = B.inF;
    var ssumm = B.ssumm, asumm = B.asumm, csumm = B.csumm, summed = B.summed;
    var stf = B.stf, nsum = B.nsum, nnames = B.nnames, cexact = B.cexact, tfs = tfTable();
    /* Documents touched by the current slot, alternative, concept, and by any concept. */
    var sl = B.sl, al = B.al, cl = B.cl, fl = B.fl, ns_ = 0, na = 0, nc = 0, nf = 0;
    var table = impactTable(), d, k;
    /* A guess beside enough known words counts in the coordination only where it matches (engine::score). */
    var known = plan.concepts.filter(function (c) { return !c.optional && !c.guess; }).length;
    plan.concepts.forEach(function (c) {
      var forgiven = c.guess && known >= P.guess_known;
      if (!c.optional) { if (!forgiven) totalSpan += c.span; required++; }
      nc = 0;
      /* Mirrors engine::score: phrase terms score with at most the idf of the words as typed. */
      var phraseCap = Infinity;
      if (c.alts.length) c.alts[0].slots.forEach(function (s) { phraseCap = Math.min(phraseCap, slotIdf(s, lists)); });
      /* The idf of the concept's names as one term (engine::score). */
      var nameIdf = Infinity;
      c.alts.forEach(function (a, ai) {
        na = 0;
        var name = a.slots.length === 1 && !a.partial;
        a.slots.forEach(function (s) {
          s.exact.forEach(function (x) { each(lists[x][1].ords, function (o) { sexact[o] = 1; }); });
          var cap = ai === 0 ? slotIdf(s, lists) : Infinity;
          ns_ = 0;
          s.opts.forEach(function (o) {
            var l = lists[o.term], idf = Math.min(l[0], o.term.indexOf(P.phrase_sep) >= 0 ? phraseCap : cap), ords = l[1].ords, qs = l[1].qs;
            if (name && ords.length && idf < nameIdf) nameIdf = idf;
            for (var k = from(ords, lo); k < ords.length && ords[k] < hi; k++) {
              var q = qs[k], v = o.pen * (idf * table[q & (TF - 1)]), dd = ords[k], t = o.pen * tfs[q & (TF - 1)];
              if (sslot[dd] === 0) sl[ns_++] = dd;
              if (v > sslot[dd]) sslot[dd] = v;
              if (t > stf[dd]) stf[dd] = t;
              if ((q & TF) && o.pen >= 1.0) stitle[dd] = 1;
              if ((q & SF) && o.pen >= 1.0) ssumm[dd] = 1;
            }
          });
          for (k = 0; k < ns_; k++) {
            d = sl[k];
            if (acount[d] === 0) al[na++] = d;
            asum[d] += sslot[d]; acount[d] += 1; if (stitle[d]) atitle[d] += 1; if (sexact[d]) aexact[d] += 1;
            if (ssumm[d]) asumm[d] += 1;
            if (name) { nsum[d] += a.pen * stf[d]; nnames[d] += 1; }
            sslot[d] = 0; stitle[d] = 0; stf[d] = 0; ssumm[d] = 0;
          }
          s.exact.forEach(function (x) { each(lists[x][1].ords, function (o) { sexact[o] = 0; }); });
        });
        /* An alternative weighs at most its concept's span in slots (see engine::score). */
        var ns = a.slots.length, scale = ns > c.span ? c.span / ns : 1.0;
        for (k = 0; k < na; k++) {
          d = al[k];
          if (a.partial || acount[d] === ns) {
            var v = a.pen * asum[d] * scale, frac = acount[d] / ns;
            if (!inC[d]) { inC[d] = 1; cl[nc++] = d; }
            if (v > cscore[d]) cscore[d] = v;
            if (frac > cfrac[d]) cfrac[d] = frac;
            if (atitle[d] === ns) ctitle[d] = 1;
            if (asumm[d] === ns) csumm[d] = 1;
          }
          /* Only the words as typed have exact terms (alternative 0, a joined pair's words). */
          if (ns > 0 && aexact[d] === ns) cexact[d] = 1;
          asum[d] = 0; acount[d] = 0; atitle[d] = 0; aexact[d] = 0; asumm[d] = 0;
        }
      });
      for (k = 0; k < nc; k++) {
        d = cl[k];
        /* A concept said by several of its names: their pseudo-frequencies summed (engine::score). */
        if (nnames[d] >= P.syn_sum) {
          var sv = nameIdf * (nsum[d] * (P.k1 + 1.0) / (nsum[d] + P.k1));
          if (sv > cscore[d]) cscore[d] = sv;
        }
        if (cexact[d] && !c.optional) exacted[d] += 1;
        nsum[d] = 0; nnames[d] = 0; cexact[d] = 0;
        if (cscore[d] > 0) {
          if (c.optional) { total[d] += P.neg_weight * cscore[d]; optSpan[d] += c.span; } else { if (forgiven) optSpan[d] += c.span; total[d] += cscore[d]; if (ctitle[d]) titled[d] += 1; if (csumm[d]) summed[d] += 1; }
          coordNum[d] += c.span * cfrac[d];
          if (!inF[d]) { inF[d] = 1; fl[nf++] = d; }
        }
        cscore[d] = 0; cfrac[d] = 0; ctitle[d] = 0; inC[d] = 0; csumm[d] = 0;
      }
    });
    /* Tags said whole (engine::score): the query words each document's tags cover. */
    var tagged = B.tagged, req = plan.tag_required || 0, runs = plan.tag_runs || [];
    if (req) runs.forEach(function (r) { each(lists[r.term][1].ords, function (o) { tagged[o] = (tagged[o] | r.mask) >>> 0; }); });
    var out = [];
    for (k = 0; k < nf; k++) {
      d = fl[k];
      if (total[d] > 0) {
        var coord = coordNum[d] / (totalSpan + optSpan[d]), f = 1.0;
        for (var e = 0; e < P.coord_exp; e++) f *= coord;
        /* The title says a share ts of the query's concepts (engine::score). */
        if (required > 0 && titled[d] > 0) { var ts = titled[d] / required; f *= 1.0 + (P.title_bonus - 1.0) * ts * ts; }
        if (required > 0 && exacted[d] === required) f *= P.exact_bonus;
        /* The summary says a share us of them (engine::score). */
        if (required > 0 && summed[d] > 0) { var us = summed[d] / required; f *= 1.0 + (P.summary_bonus - 1.0) * us * us; }
        if (req) {
          var share = popcount(tagged[d] & req) / popcount(req);
          f *= 1.0 + (P.tag_bonus - 1.0) * share * share;
        }
        out.push([d, total[d] * f]);
      }
      total[d] = 0; coordNum[d] = 0; optSpan[d] = 0; titled[d] = 0; exacted[d] = 0; inF[d] = 0; summed[d] = 0;
    }
    if (req) runs.forEach(function (r) { each(lists[r.term][1].ords, function (o) { tagged[o] = 0; }); });
    out.sort(byRank);
    return out;
  }
  function byRank(x, y) { return y[1] - x[1] || tieKey(x[0]) - tieKey(y[0]); }

  /* First index of sorted `a` whose value is >= x. */
  function from(a, x) {
    var lo = 0, hi = a.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < x) lo = m + 1; else hi = m; }
    return lo;
  }

  /* Slices (issue 14: typing never freezes the page). Scoring a short
   * prefix visits thousands of documents (40-60 ms of a first, cold
   * scoring; 4 times more on a phone): the work runs in slices of about
   * FS.slice ms (6), each a task of its own, so that keys are handled between
   * them; `alive()` false (a newer key) stops it. A message, not
   * setTimeout(0), which browsers delay by 4 ms once nested. FS.slice:
   * the ms of a slice (the tests set 0: a pause at every step). */
  var clock = W.performance || Date, tasks = [], port = null;
  FS.slice = FS.slice || 6;
  function pause() {
    return new Promise(function (r) {
      if (typeof MessageChannel === 'undefined') return setTimeout(r, 0);
      if (!port) { port = new MessageChannel(); port.port1.onmessage = function () { tasks.shift()(); }; }
      tasks.push(r);
      port.port2.postMessage(0);
    });
  }
  /* Resolves once `t0` is far enough: at once, or after a pause (then the new start). */
  function breath(t0) {
    return clock.now() - t0 < FS.slice ? Promise.resolve(t0) : pause().then(function () { return clock.now(); });
  }

  /* {term: [idf, postings]} of a plan's terms; a term decoded per step. */
  async function planLists(plan, alive) {
    var n = M.n, lists = dict(), terms = planTerms(plan), t0 = clock.now();
    for (var i = 0; i < terms.length; i++) {
      var p = postings(terms[i]), df = p.ords.length;
      lists[terms[i]] = [Math.log(1.0 + (n - df + 0.5) / (df + 0.5)), p];
      t0 = await breath(t0);
      if (!alive()) return null;
    }
    return lists;
  }

  /* The ranking of score() over all documents, in slices: ranges of
   * documents sized to take about a third of a slice each (cold code is slow:
   * the first range is small; a range at most 4 times the last, the
   * documents are not spread evenly), each ranked, then merged two by two
   * (a thousand results per step). The same list, in the same order, as
   * one call over all documents: the order (byRank) is total. Null once
   * `alive()` is false. */
  async function rank(plan, alive) {
    var lists = await planLists(plan, alive);
    if (!lists) return null;
    var nd = M.ords || M.n, runs = [], size = 128, t0 = clock.now();
    for (var lo = 0, hi; lo < nd; lo = hi) {
      var t = clock.now();
      runs.push(score(plan, lists, lo, hi = lo + size));
      size = Math.max(32, Math.floor(Math.min(4 * size, size * FS.slice / 3 / Math.max(clock.now() - t, 0.05))));
      t0 = await breath(t0);
      if (!alive()) return null;
    }
    while (runs.length > 1) {
      var a = runs.shift(), b = runs.shift(), out = [], i = 0, j = 0;
      while (i < a.length || j < b.length) {
        for (var stop = out.length + 1000; out.length < stop && (i < a.length || j < b.length);) out.push(j >= b.length || (i < a.length && byRank(a[i], b[j]) < 0) ? a[i++] : b[j++]);
        t0 = await breath(t0);
        if (!alive()) return null;
      }
      runs.push(out);
    }
    return runs[0] || [];
  }

  /* Where document `d` ranks among equal scores: by ord (id order). */
  function tieKey(d) {
    var r = M.tieOf[d];
    return r === undefined ? d : r;
  }

  function popcount(x) {
    var c = 0;
    for (x = x >>> 0; x; x = (x & (x - 1)) >>> 0) c++;
    return c;
  }

  /* Impact level values, built exactly as params::impact_table(). */
  var impactCache = null;
  function impactTable() {
    if (impactCache) return impactCache;
    var t = new Float64Array(P.impact_levels + 1);
    t[1] = P.impact_min;
    for (var q = 2; q <= P.impact_levels; q++) t[q] = t[q - 1] * P.impact_ratio;
    impactCache = t;
    return t;
  }

  /* Pseudo-frequency of each level, as engine::tf_table. */
  var tfCache = null;
  function tfTable() {
    if (tfCache) return tfCache;
    var t = impactTable(), out = new Float64Array(t.length);
    for (var q = 0; q < t.length; q++) {
      var dd = P.k1 + 1.0 - t[q];
      out[q] = dd * P.tf_max <= P.k1 * t[q] ? P.tf_max : P.k1 * t[q] / dd;
    }
    tfCache = out;
    return out;
  }

  /* Files asked for side by side, a slice's worth of them per task: adding
   * a <script> costs the page a few ms (more on a phone), and a keystroke
   * can ask for twenty (its results' d/ files). */
  async function loadAll(names) {
    for (var ps = [], i = 0, t0 = clock.now(); i < names.length; i++) { ps.push(load(names[i])); t0 = await breath(t0); }
    return Promise.all(ps);
  }

  /* Facets (kind, audiences) of doc `ord`, once facets.js is loaded. */
  function facetOf(ord) {
    var f = data.facets.f, w = 1 + M.mask_chars, s = f.substr(ord * w, w);
    var kind = ['fiche', 'apero', 'action', 'parcours'][+s[0]];
    var aud = [];
    for (var m = 0; m < M.mask_chars; m++) {
      var bits = B64V[s[1 + m]];
      for (var k = 0; k < 6; k++) if (bits & (1 << k)) aud.push(M.audiences[m * 6 + k]);
    }
    return { kind: kind, audience: aud };
  }

  /* The last search's result, by query and filters: search.js's prefetch
   * scores a query during its wait, and the search that follows with the
   * same query gets the same result without scoring it again. */
  var last = {}, job = null;

  /* Full search: resolves to {plan, ranked: [[ord, score]...]}.
   * opts.kinds: array of kinds to keep (empty/absent: all);
   * opts.audience: keep docs for that audience (docs with none are for everyone). */
  function search(query, opts, only, alive) {
    opts = opts || {};
    /* No filter is one key: suggest()'s search finds the page's. */
    var key = JSON.stringify([query, (opts.kinds || []).length ? opts.kinds : 0, opts.audience || 0]);
    return ready().then(function () {
      var words = distinctWords(analyzeQuery(query));
      if (!words.length) return { plan: { concepts: [], tag_required: 0, tag_runs: [] }, ranked: [] };
      return loadVocabFor(words, alive).then(function () {
        if (alive && !alive()) return null;
        var plan = buildPlan(words);
        var terms = planTerms(plan);
        var needFacets = (opts.kinds && opts.kinds.length) || opts.audience;
        return Promise.resolve(termBounds(terms)).then(function () {
          var names = termShardsFor(terms);
          if (needFacets) names.push('facets');
          return loadAll(names);
        }).then(function () {
          if (only || (alive && !alive())) return null;
          if (last.key === key && last.m === M) return last.res;
          /* One scoring per query: a search of the query being scored
           * (search.js's, after the prefetch's) waits for it. It stops
           * when all who wait for it are gone (`alive` false; a caller
           * without one always waits), and resolves to null for them. */
          if (job && job.key === key && job.m === M) { job.users.push(alive); return job.p; }
          var j = job = { key: key, m: M, users: [alive] };
          j.p = rank(plan, function () {
            if (j.users.some(function (a) { return !a || a(); })) return true;
            if (job === j) job = null;
            return false;
          }).then(function (ranked) {
            if (job === j) job = null;
            if (!ranked) return null;
            if (needFacets) {
              ranked = ranked.filter(function (r) {
                var f = facetOf(r[0]);
                if (opts.kinds && opts.kinds.length && opts.kinds.indexOf(f.kind) < 0) return false;
                if (opts.audience && f.audience.length && f.audience.indexOf(opts.audience) < 0) return false;
                return true;
              });
            }
            last = { key: key, m: M, res: { plan: plan, ranked: ranked, terms: terms } };
            return last.res;
          });
          return j.p;
        });
      });
    });
  }

  /* Base 85 (browser.rs `base85`: 4 bytes, big-endian, are 5 digits,
   * digit i the character 0x23 + i skipping '\\'; a last group of k bytes
   * keeps k + 1 digits) → bytes. */
  function unbase85(s) {
    var n = s.length, out = new Uint8Array(n - Math.ceil(n / 5)), j = 0;
    for (var i = 0; i < n; i += 5) {
      // Past the end, the largest digit ('x'): the bytes kept are exact.
      for (var v = 0, k = 0, c; k < 5; k++) { c = s.charCodeAt(i + k) || 0x78; v = v * 85 + c - (c > 0x5c ? 0x24 : 0x23); }
      for (k = 0; k < 4 && j < out.length; k++) out[j++] = v >>> 24 - 8 * k;
    }
    return out;
  }

  /* Raw inflate of `z` (base 85) into `n` bytes: the browser's own
   * DecompressionStream (native code, not a long task of the page's),
   * else tiny-inflate from assets/search-inflate.js, loaded then (a
   * browser without 'deflate-raw', the tests' bare vm contexts). */
  async function inflate(z, n) {
    var b = unbase85(z), out = new Uint8Array(n), at = 0, ds, c;
    try { ds = new DecompressionStream('deflate-raw'); } catch (e) { return (await load('inflate')).i(b, out); }
    var w = ds.writable.getWriter(), rd = ds.readable.getReader();
    Promise.all([w.write(b), w.close()]).catch(dict);
    while (!(c = await rd.read()).done) { out.set(c.value, at); at += c.value.length; }
    return out;
  }

  /* UTF-8 bytes as text (the fallback's decoder where TextDecoder is missing). */
  var decoder;
  async function utf8(b) {
    return (decoder || (decoder = typeof TextDecoder != 'undefined' ? new TextDecoder() : { decode: (await load('inflate')).u })).decode(b);
  }

  /* A document's head is in d/<ord / doc_block>.js (the block's entries
   * and heads, packed), the rest of a long text in x/<ord / rest_block>.js
   * (the rests deflated together, `n` the bytes of each). Each block is inflated
   * once. A sheet's URL is left out of its entry: the manifest's `sheet_url`
   * (prefix, suffix around the id) gives it back. */
  var texts = dict(), unpacked = dict();
  /* The texts of block `name` (of documents from `first`) into texts[key + ord], once. */
  function unpack(name, first, key) {
    return unpacked[name] || (unpacked[name] = (async function () {
      var r = data[name], at = 0, h = r.h, b = !h && r.z && await inflate(r.z, r.n.reduce(function (a, n) { return a + n; }, 0));
      /* A packed d/ file has its heads as strings (`h`). */
      for (var i = 0; i < (h || r.n).length; i++) texts[key + (first + i)] = h ? h[i] : r.n[i] ? await utf8(b.subarray(at, at += r.n[i])) : '';
    })());
  }
  function blockOf(ord) { return 'd' + Math.floor(ord / (M.doc_block || 1)); }
  function restOf(ord) { return 'x' + Math.floor(ord / (M.rest_block || 1)); }
  async function docAt(ord) {
    var name = blockOf(ord), i = ord % (M.doc_block || 1), d = data[name].d[i];
    await unpack(name, ord - i, '');
    var more = texts['x' + ord], head = texts[ord], w = [];
    /* `w` passages of the rest after the head, each after U+001F: where
     * the rest says a title or tag word the head does not (browser.rs
     * rest_passages); a snippet shows one rather than fetch the rest. */
    if (d.w) { w = head.split('\x1f'); head = w.shift(); }
    return { ord: ord, id: d.id, k: d.k || 'fiche', t: d.t, u: d.u || M.sheet_url[0] + d.id + M.sheet_url[1], c: d.c, a: d.a,
      m: d.m && more === undefined ? 1 : 0, x: head + (more || ''), w: more === undefined ? w : [] };
  }

  function getDocs(ords) {
    var names = [];
    ords.forEach(function (o) { var n = blockOf(o); if (names.indexOf(n) < 0) names.push(n); });
    /* Heads started a slice's worth per task (base 85 decoded here, cold on
     * a fresh page), then inflated side by side, natively. */
    return loadAll(names).then(async function () {
      for (var out = [], i = 0, t0 = clock.now(); i < ords.length; i++) { out.push(docAt(ords[i])); t0 = await breath(t0); }
      return Promise.all(out);
    });
  }

  /* The rest of a document's snippet text (when its head had no match),
   * and the words of the whole text, made in steps. */
  function moreText(doc) {
    if (!doc.m) return Promise.resolve(doc);
    var name = restOf(doc.ord);
    return load(name).then(function () { return unpack(name, doc.ord - doc.ord % M.rest_block, 'x'); }).then(function () {
      if (doc.m) { doc.x += texts['x' + doc.ord]; doc.m = 0; doc.w = []; }
      return wordsSoon(doc.ord, doc.x);
    }).then(function () { return doc; });
  }

  /* The words of a document's text, folded: the same for every query, so
   * made once per text (a keystroke re-snippets the same results). */
  var wordsCache = dict();
  function textWords(ord, text) {
    var c = ord === undefined ? null : wordsCache[ord];
    if (c && c.text === text) return c.words;
    var words = wordsOf(text, 0, text.length);
    if (ord !== undefined) wordsCache[ord] = { text: text, words: words };
    return words;
  }
  /* The words of text[a, b), offsets in `text`. */
  function wordsOf(text, a, b) {
    return rawWords(text.slice(a, b), M.elisions).map(function (w) {
      return {
        start: a + w.start, end: a + w.end, joined: w.parts.length > 1 ? fold(w.parts.map(function (p) { return p[0]; }).join('')) : null,
        parts: w.parts.map(function (p) { return [a + p[1], a + p[1] + p[0].length, fold(p[0])]; })
      };
    });
  }
  /* The same in steps of a kilobyte, cut at a space (no word spans one):
   * a head and its rest are kilobytes to tokenize and fold. */
  async function wordsSoon(ord, text) {
    var c = wordsCache[ord];
    if (c && c.text === text) return;
    for (var words = [], a = 0, b, t0 = clock.now(); a < text.length; a = b, t0 = await breath(t0)) {
      b = text.indexOf(' ', a + 1024);
      if (b < 0) b = text.length;
      words.push.apply(words, wordsOf(text, a, b));
    }
    wordsCache[ord] = { text: text, words: words };
  }

  var memo = {}, vGen = 0;
  /* Snippet of a doc for a plan: [{text, mark}] segments, with "…" where cut. */
  // Spaces a snippet may start or end at: not the no-break ones, which
  // bind a French sign to its word (snippet.rs is_break_space).
  var NO_BREAK = /[\u00a0\u202f\u2007]/;
  var BREAK_SPACE = /[^\S\u00a0\u202f\u2007]/;
  function snippet(doc, terms, maxChars) {
    var segs = snip(doc, terms, maxChars);
    for (var i = 0; !segs.matched && doc.w && i < doc.w.length; i++) {
      var p = snip({ x: doc.w[i], m: 1 }, terms, maxChars);
      if (p.matched) { if (p[0].text !== '…') p.unshift({ text: '…', mark: false }); return p; }
    }
    return segs;
  }
  function snip(doc, terms, maxChars) {
    maxChars = maxChars || 200;
    var text = doc.x || '';
    var termSet = dict();
    terms.forEach(function (t) { termSet[t] = 1; });
    /* A word's match depends only on the terms and the v/ shards loaded:
     * kept across the results of one search (they share most words). */
    if (memo.terms !== terms || memo.gen !== vGen) memo = { terms: terms, gen: vGen, words: dict() };
    var seenWord = memo.words;
    function matches(f) {
      /* (No shard before the first: `v:undefined`, never loaded.) */
      if (data['v:' + M.vocab[shardIndex(M.vocab, f)]]) {
        var hit = false;
        eachVocab(f, true, function (w, stem) { if (termSet[stem]) hit = true; });
        return hit;
      }
      // Vocabulary shard not loaded: a folded word starting with a matched stem.
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i];
        if (f === t || (t.length >= 3 && f.indexOf(t) === 0 && f.length - t.length <= 4)) return true;
      }
      return false;
    }
    var ranges = [];
    function hit(f) {
      if (seenWord[f] === undefined) seenWord[f] = matches(f);
      return seenWord[f];
    }
    textWords(doc.ord, text).forEach(function (w) {
      if (w.joined !== null && hit(w.joined)) { ranges.push([w.start, w.end, w.joined]); return; }
      w.parts.forEach(function (p) {
        if (!stopSet[p[2]] && hit(p[2])) ranges.push([p[0], p[1], p[2]]);
      });
    });
    var start = 0, end = text.length;
    if (ranges.length) {
      var best = [0, 0, 0];
      for (var i = 0; i < ranges.length; i++) {
        var seen = dict(), distinct = 0, count = 0;
        for (var j = i; j < ranges.length; j++) {
          if (ranges[j][1] - ranges[i][0] > maxChars - 20) break;
          if (!seen[ranges[j][2]]) { seen[ranges[j][2]] = 1; distinct++; }
          count++;
        }
        if (distinct > best[0] || (distinct === best[0] && count > best[1])) best = [distinct, count, i];
      }
      var first = ranges[best[2]][0], s = first, back = 0;
      // Back up to 30 chars (code points, as in snippet.rs), never into
      // the middle of a surrogate pair (emoji).
      while (s > 0 && back < 30 && text[s - 1] !== '\n') {
        s -= (s >= 2 && /[\udc00-\udfff]/.test(text[s - 1]) && /[\ud800-\udbff]/.test(text[s - 2])) ? 2 : 1;
        back++;
      }
      if (s > 0 && s < first) {
        /* Past the space, and past the punctuation closing what came
         * before (snippet.rs's is_lead_junk: `…: un`). */
        var m = /[^\S\u00a0\u202f\u2007][\s:;,.!?»)\]}…–—]*/.exec(text.slice(s, first));
        if (m) s += m.index + m[0].length;
      }
      start = s;
    }
    var e = start + maxChars;
    while (e < text.length && !BREAK_SPACE.test(text[e])) e++;
    end = Math.min(e, text.length);
    var segs = [];
    // A run of spaces holding a no-break one (French typography before
    // : ; ! ? », as snippet.rs) is that space.
    function plain(t) {
      t = t.replace(/\s+/g, function (r) { var k = NO_BREAK.exec(r); return k ? k[0] : ' '; });
      if (t) segs.push({ text: t, mark: false });
    }
    if (start > 0) segs.push({ text: '…', mark: false });
    var pos = start;
    ranges.forEach(function (r) {
      if (r[0] >= pos && r[1] <= end) {
        plain(text.slice(pos, r[0]));
        segs.push({ text: text.slice(r[0], r[1]), mark: true });
        pos = r[1];
      }
    });
    plain(text.slice(pos, end));
    if (segs.length && !segs[0].mark) segs[0].text = segs[0].text.replace(/^\s+/, '');
    if (end < text.length || doc.m) segs.push({ text: '…', mark: false });
    segs.matched = ranges.length > 0;
    return segs;
  }

  /* What a keystroke will need, done while search.js waits for the next
   * key (90 ms): the index files, then the scoring, the documents of the
   * first `n` results, their snippets and the rests of those without a
   * match. Each step is a task of its own and runs only if no newer
   * prefetch started (a key typed since): a stale query costs the page at
   * most the step under way. */
  var pgen = 0, lastKey = 0;
  function prefetch(q, opts, n) {
    var my = ++pgen, now = Date.now(), gap = now - lastKey;
    lastKey = now;
    /* Keys closer than search.js's 90 ms: the next one is likely to come
     * as soon, so the scoring waits that long (plus 10 ms) rather than
     * hold the next key up; slower typing scores at once. */
    var hold = gap < 90 ? gap + 10 : 0;
    /* f(x) in a task of its own, unless a newer prefetch started (a
     * message: chained timers of 0 ms wait 4 ms each after the fifth). */
    function next(f, until) {
      return function (x) {
        var ms = (until || 0) - Date.now();
        return (ms > 0 ? new Promise(function (r) { setTimeout(r, ms); }) : pause()).then(function () { return my === pgen ? f(x) : null; });
      };
    }
    function snip(d, res) {
      if (!snippet(d, res.terms).matched && d.m) return moreText(d).then(next(function (d) { snippet(d, res.terms); }));
    }
    function alive() { return my === pgen; }
    /* The first step too: the key's own task ends sooner. */
    return next(function () { return search(q, opts, true, alive); })().then(next(function () { return search(q, opts, 0, alive); }, now + hold)).then(next(function (res) {
      return res && getDocs(res.ranked.slice(0, n || 8).map(function (r) { return r[0]; })).then(function (docs) {
        /* One snippet per task; the rests load side by side. */
        var rests = [], c = Promise.resolve();
        docs.forEach(function (d) { c = c.then(next(function () { rests.push(snip(d, res)); })); });
        return c.then(function () { return Promise.all(rests); });
      });
    })).catch(function () {});
  }

  FS.engine = {
    ready: ready,
    fold: fold,
    rawWords: rawWords,
    analyzeQuery: function (q) { return analyzeQuery(q); },
    plan: function (q) {
      return ready().then(function () {
        var words = distinctWords(analyzeQuery(q));
        return loadVocabFor(words).then(function () { return buildPlan(words); });
      });
    },
    /* alive(): false once the caller no longer wants the result (then null). */
    search: function (q, opts, alive) { return search(q, opts, 0, alive); },
    prefetch: prefetch,
    suggest: suggest,
    getDocs: getDocs,
    moreText: moreText,
    snippet: snippet,
    facetOf: facetOf,
    manifest: function () { return M; }
  };
})();
