/* fiches — offline search engine, the part for the words its vocabulary
 * does not know: typo candidates (engine::fuzzy_*), words run together
 * (engine::split_words) and "Vouliez-vous dire …" (engine::suggest).
 *
 * Split from search-engine.js so that a first query whose words are all
 * known (most of them) does not download it: search-engine.js loads it
 * (as "fuzzy", beside itself) for a query with a word the vocabulary does
 * not know or a rare known one, and for a suggestion only when a word is
 * unknown. It registers a function that search-engine.js calls once with
 * what the two share (the manifest, the vocabulary, the loader); the code
 * below is search-engine.js's as it was, mirroring engine.rs the same way.
 */
(function () {
  'use strict';

  var W = typeof window !== 'undefined' ? window : globalThis;
  var FS = W.__fichesSearch || (W.__fichesSearch = {});
  FS.register('fuzzy', function (C) {
    var M = C.M, P = C.P, stopSet = C.stopSet, data = C.data, load = C.load, loadAll = C.loadAll,
      frontDecode = C.frontDecode, sortedUnique = C.sortedUnique, vocabShardNames = C.vocabShardNames,
      vocabShard = C.vocabShard, eachVocab = C.eachVocab, reverse = C.reverse, clock = C.clock,
      breath = C.breath, pause = C.pause, dict = C.dict, has = C.has, cmp = C.cmp, pushOpt = C.pushOpt,
      postings = C.postings, rawWords = C.rawWords, fold = C.fold, cpLen = C.cpLen, knownDf = C.knownDf,
      lookup = C.lookup, rareKnown = C.rareKnown;

    /* The files of the first keys of the typo lists a word the vocabulary
     * does not know needs (browser.rs): f/ (bounds.js) and r/ (b:r<its last
     * char>, browser::suffix_runs) for a long one, and g/ (b:g) with a
     * digit; s/ (b:s) for a short one. */
    function boundsFor(surface) {
      var k = fuzzyKeys(surface);
      return !k ? [] : k.short ? ['b:s'] : ['bounds', runName(k.suffix)].concat(/[0-9]/.test(surface) ? ['b:g'] : []);
    }
    function runName(suffix) {
      var c = Array.from(suffix).pop();
      return 'b:r' + (/^[a-z0-9]$/.test(c) ? c : '-');
    }
    /* The r/ bounds of a suffix's file, decoded, and the length where the
     * second length class starts (engine::SUFFIX_LONG). */
    var runs = dict();
    function runOf(suffix) {
      var name = runName(suffix), v = data[name];
      return runs[name] || (runs[name] = { b: v.r ? frontDecode(v.r) : [], l: v.l });
    }
    function typoBounds(words) {
      var names = [];
      words.forEach(function (w) { if (!lookup(w.surface).length) names = names.concat(boundsFor(w.surface)); });
      return loadAll(names).then(function (vs) {
        vs.forEach(function (v, i) { if (names[i].indexOf('b:r')) for (var x in v) M[x] = M[x] || frontDecode(v[x]); });
      });
    }
    /* The r/ shards (by engine::suffix_key: the word reversed, its length
     * class after two chars) of the words a typo's suffix side can keep:
     * those of each class of lengths n - max … n + max (mirrors
     * engine::suffix_prefixes), from its run (browser::suffix_runs). */
    function suffixShardNames(surface, far) {
      var k = fuzzyKeys(surface, far), r = Array.from(reverse(k.suffix)), run = runOf(k.suffix), b = run.b, n = cpLen(surface), max = maxTypos(n), out = [];
      for (var l = n - max; l <= n + max; l++) {
        var p = r.slice(0, 2).join('') + (l >= run.l ? 1 : 0) + r.slice(2).join(''), i = 0;
        while (i + 1 < b.length && cmp(b[i + 1], p) <= 0) i++;
        for (var j = i; j < b.length && (j === i || b[j].indexOf(p) === 0); j++) if (out.indexOf('r:' + b[j]) < 0) out.push('r:' + b[j]);
      }
      return out;
    }
    /* Calls fn(surface, stem, dfClass) for the words of those shards ending
     * with the typo's suffix and of a length it can keep, ordered by the
     * word reversed as engine::fuzzy_candidates's Vocab::with_suffix. */
    function eachSuffix(surface, fn, far) {
      var rs = reverse(fuzzyKeys(surface, far).suffix), n = cpLen(surface), max = maxTypos(n), found = [];
      suffixShardNames(surface, far).forEach(function (name) {
        var v = vocabShard(name);
        if (v) v.f.forEach(function (f, i) {
          var r = reverse(f);
          if (r.indexOf(rs) === 0 && Math.abs(cpLen(f) - n) <= max) found.push([r, f, v.s[i], v.d[i]]);
        });
      });
      found.sort(function (x, y) { return cmp(x[0], y[0]); });
      found.forEach(function (x) { fn(x[1], x[2], x[3]); });
    }
    /* The word and the word minus each of its letters (engine::deletion_keys). */
    function deletionKeys(surface) {
      var cs = Array.from(surface), out = [surface];
      for (var i = 0; i < cs.length; i++) out.push(cs.slice(0, i).concat(cs.slice(i + 1)).join(''));
      return sortedUnique(out);
    }

    var rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
    function editDistance(a, b, max) {
      var n = a.length, m = b.length;
      if (Math.abs(n - m) > max) return max + 1;
      /* Rows reused from call to call (typo candidates call it thousands of times). */
      if (rows[0].length <= m) rows = [new Int32Array(2 * m + 2), new Int32Array(2 * m + 2), new Int32Array(2 * m + 2)];
      var prev2 = rows[0].fill(0), prev = rows[1], cur = rows[2].fill(0);
      for (var j = 0; j <= m; j++) prev[j] = j;
      for (var i = 1; i <= n; i++) {
        cur[0] = i;
        var rowMin = cur[0];
        for (j = 1; j <= m; j++) {
          var cost = a[i - 1] !== b[j - 1] ? 1 : 0;
          var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
          cur[j] = v;
          if (v < rowMin) rowMin = v;
        }
        if (rowMin > max) return max + 1;
        var t = prev2; prev2 = prev; prev = cur; cur = t;
      }
      return Math.min(prev[m], max + 1);
    }

    function maxTypos(n) {
      return n >= P.fuzzy_min[1] ? 2 : n >= P.fuzzy_min[0] ? 1 : 0;
    }


    /* Mirrors engine::fuzzy_keys: {short: [lengths]} or {prefix, suffix};
     * `far`: engine::far_keys, the first and last quarters of a long word. */
    function fuzzyKeys(surface, far) {
      var cs = Array.from(surface), n = cs.length, q = Math.max(P.far_min, n >> 2);
      if (maxTypos(n) < (far ? 2 : 1)) return null;
      if (far) return { prefix: cs.slice(0, q).join(''), suffix: cs.slice(n - q).join('') };
      if (n <= P.short_max) return { short: deletionKeys(surface) };
      var a = Math.floor(n / 2), b = Math.floor((n - 1) / 2);
      return { prefix: cs.slice(0, a).join(''), suffix: cs.slice(n - b).join('') };
    }
    function fuzzyShardNames(surface, far) {
      var k = fuzzyKeys(surface, far);
      if (!k) return [];
      if (k.short) return [].concat.apply([], k.short.map(function (key) { return vocabShardNames(key, true, 's'); }));
      var kind = rangeKind(k.prefix), out = vocabShardNames(k.prefix, false, kind);
      if (kind === 'f' && codes(surface)) out = out.concat(vocabShardNames(k.prefix, false, 'g'));
      return out.concat(suffixShardNames(surface, far));
    }
    /* The words starting with a typo's first half: from f/ (4 KB shards,
     * codes apart) when they fill more than twice as many v/ shards (2 KB,
     * codes among them; the word's own one loaded already). */
    function rangeKind(prefix) {
      var v = vocabShardNames(prefix, false).length;
      return v > 2 && 2 * vocabShardNames(prefix, false, 'f').length < v ? 'f' : 'v';
    }
    /* Mirrors engine::needs_typo_codes: codes (g/, engine::is_typo_code)
     * are candidates of a word with a digit only. */
    function codes(surface) {
      return /[0-9]/.test(surface) && M.gvocab.length > 0;
    }

    /* Mirrors engine::fuzzy_candidates: {typos: [[d, surface, stem, dfc]], clips: [...]}. */
    /* The candidates of a word depend only on its typo shards, loaded once
     * for good: kept, so that typing the next word does not redo them. */
    var fuzzyCache = dict();
    function fuzzyCandidates(surface, far) {
      var key = far ? surface + '\u0001' : surface, hit = fuzzyCache[key];
      if (hit) return hit;
      var names = fuzzyShardNames(surface, far);
      for (var i = 0; i < names.length; i++) if (!data[names[i]]) return fuzzyFrom(surface, far);
      return (fuzzyCache[key] = fuzzyFrom(surface, far));
    }
    function fuzzyFrom(surface, far) { return fuzzySteps(surface, far)(Infinity); }
    /* The same in steps: step(until) considers words until the clock passes
     * `until`, then returns null, or the candidates once all are done. */
    function fuzzySteps(surface, far) {
      var typos = [], clips = [], out = { typos: typos, clips: clips }, list = [], i = 0;
      var keys = fuzzyKeys(surface, far);
      if (!keys) return function () { return out; };
      var a = Array.from(surface), n = a.length, max = maxTypos(n);
      function consider(w, stem, dfc, forward) {
        var b = Array.from(w);
        var d = editDistance(a, b, max);
        if (d >= 1 && d <= max) typos.push([d, w, stem, dfc]);
        if (forward && n >= P.clip_min && b.length > n + 1) {
          var dp = 2;
          for (var l = n - 1; l <= n + 1; l++) dp = Math.min(dp, editDistance(a, b.slice(0, l), 1));
          if (dp <= 1) clips.push([dp, w, stem, dfc]);
        }
      }
      /* The words to consider, in order, then considered. */
      function add(forward) { return function (w, stem, dfc) { list.push([w, stem, dfc, forward]); }; }
      if (keys.short) {
        keys.short.forEach(function (key) { eachVocab(key, true, add(false), 's'); });
      } else {
        var kind = rangeKind(keys.prefix);
        eachVocab(keys.prefix, false, add(!far), kind);
        if (kind === 'f' && codes(surface)) {
          /* Codes among the words, in the order of the word (engine::fuzzy_candidates). */
          eachVocab(keys.prefix, false, add(!far), 'g');
          list.sort(function (x, y) { return cmp(x[0], y[0]); });
        }
        eachSuffix(surface, add(false), far);
      }
      return function (until) {
        for (var i0 = i; i < list.length; i++) {
          if (i > i0 && !(i & 31) && clock.now() > until) return null;
          consider.apply(null, list[i]);
        }
        return out;
      };
    }
    /* The candidates of the query's unknown words (thousands of edit
     * distances for a half-typed word), in slices, kept by fuzzyCandidates:
     * the plan then finds them made. */
    async function fuzzyWarm(words, alive) {
      for (var i = 0; i < words.length; i++) {
        var s = words[i].surface, names = !lookup(s).length && boundsFor(s).every(function (n) { return data[n]; }) ? fuzzyShardNames(s) : [], t0 = clock.now(), res;
        if (fuzzyCache[s] || !names.length || !names.every(function (n) { return data[n]; })) continue;
        /* A typo list decoded per step (16 KB of words for f/). */
        for (var k = 0; k < names.length; k++) { vocabShard(names[k]); t0 = await breath(t0); }
        for (var step = fuzzySteps(s); !(res = step(t0 + FS.slice)); t0 = clock.now()) {
          await pause();
          if (!alive()) return;
        }
        fuzzyCache[s] = res;
      }
    }

    /* Mirrors engine::fuzzy_opts: typos anywhere, clipped words; returns the
     * number of candidates at most one edit away. */
    function fuzzyOpts(surface, opts) {
      var c = fuzzyCandidates(surface);
      return optsOf(c.typos, c.clips, opts);
    }
    /* Mirrors engine::opts_of: the best of each stem, fewest edits then
     * most frequent; returns how many are at most one edit away. */
    function optsOf(typos, clips, opts) {
      function byStem(list) {
        var m = dict();
        list.forEach(function (x) {
          if (!has(m, x[2])) m[x[2]] = [x[0], x[3]];
          else if (x[0] < m[x[2]][0]) m[x[2]][0] = x[0];
        });
        return m;
      }
      var best = byStem(typos), clip = byStem(clips);
      var close = Object.keys(clip).length;
      Object.keys(best).forEach(function (k) { if (best[k][0] <= 1) close++; });
      function ranked(m) {
        var r = Object.keys(m).map(function (s) { return [m[s][0], m[s][1], s]; });
        r.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1] || cmp(x[2], y[2]); });
        return r.slice(0, P.fuzzy_max);
      }
      ranked(best).forEach(function (r) { pushOpt(opts, r[2], P.fuzzy_pen[r[0]]); });
      ranked(clip).forEach(function (r) { pushOpt(opts, r[2], P.clip_pen); });
      return close;
    }

    /* "Vouliez-vous dire …" (mirrors engine::suggest): a correction where
     * nothing was found, or the first result holds it and it is no other
     * word's (weakCorrection); `res` the query's search(), whose vocabulary
     * and postings are loaded. */
    function suggestNow(q, res) {
      var out = '', pos = 0, changed = false, terms = dict(), first = res.ranked.length ? res.ranked[0][0] : -1;
      (res.terms || []).forEach(function (t) { terms[t] = 1; });
      /* The first result holds a stem of each piece (a split has two). */
      function firstHolds(pieces) {
        return pieces.every(function (stems) {
          return stems.some(function (s) { return terms[s] && postings(s).ords.indexOf(first) >= 0; });
        });
      }
      var words = rawWords(q, M.elisions).map(function (w) {
        var surface = fold(w.parts.map(function (p) { return p[0]; }).join(''));
        /* A grammar word is never corrected (engine::suggest). */
        var skip = !surface || cpLen(surface) > P.max_word || stopSet[surface] || C.grammar[surface];
        return [w, surface, skip, !skip && knownDf(surface) !== null];
      });
      words.forEach(function (x, i) {
        var w = x[0], surface = x[1];
        out += q.slice(pos, w.start);
        pos = w.end;
        var typed = q.slice(w.start, w.end);
        if (x[2] || x[3]) { out += typed; return; }
        var c = fuzzyCandidates(surface);
        /* The closest word and the stems of its entries. */
        function best(list) {
          var b = null;
          list.forEach(function (x) {
            if (cpLen(x[1]) < 3) return;
            if (b === null || x[0] < b[0] || (x[0] === b[0] && (x[3] > b[3] || (x[3] === b[3] && cmp(x[1], b[1]) < 0)))) b = x;
          });
          return b && [b[1], [list.filter(function (x) { return x[1] === b[1]; }).map(function (x) { return x[2]; })]];
        }
        var rep = best(c.typos) || best(c.clips);
        if (!rep) {
          var p = splitWords(surface)[0];  /* engine::split_word */
          if (p) {
            var rest = Array.from(surface).slice(Array.from(p[0]).length).join('');
            var glue = rest.slice(0, rest.length - p[1].length);
            rep = [glue ? p[0] + ' ' + glue + ' ' + p[1] : p[0] + ' ' + p[1], p.map(lookup)];
          }
        }
        rep = rep || best(fuzzyCandidates(surface, true).typos);
        var others = words.some(function (y, j) { return j !== i && y[3]; });
        if (rep && (first < 0 || (!weakCorrection(surface, rep[0], others, rep[1]) && firstHolds(rep[1])))) { out += rep[0]; changed = true; } else out += typed;
      });
      out += q.slice(pos);
      return changed ? out : null;
    }
    /* Mirrors engine::weak_correction: the other number, a prefix, another
     * first letter of a short word, another form of the correction's stem. */
    function weakCorrection(w, r, others, pieces) {
      function one(x) { return cpLen(x) > 3 ? x.replace(/[sx]$/, '') : x; }
      var n = cpLen(w), m = cpLen(r);
      return one(w) === one(r) || (Math.abs(n - m) >= 2 && (r.slice(-w.length) === w || w.slice(-r.length) === r)) ||
        (others && n <= P.suggest_short && Array.from(w)[0] !== Array.from(r)[0]) ||
        (pieces.length === 1 && pieces[0].some(function (s) { return w.slice(0, s.length) === s && /^[aeiou].{1,2}$/u.test(w.slice(s.length)); }));
    }

    /* Mirrors engine::split_rests. */
    function splitRests(rest) {
      var out = [rest], n = cpLen(rest);
      for (var i = 0; i < M.stop.length; i++) {
        var st = M.stop[i];
        if (rest.indexOf(st) === 0 && n >= cpLen(st) + 2) out.push(rest.slice(st.length));
      }
      return out;
    }
    /* Mirrors engine::split_words: the best splits of words run together. */
    function splitWords(surface) {
      var cs = Array.from(surface), n = cs.length;
      if (n < P.split_min) return [];
      var found = [];
      for (var i = 2; i <= n - 2; i++) {
        var left = cs.slice(0, i).join('');
        if (stopSet[left]) continue;
        var dl = knownDf(left);
        if (dl === null) continue;
        var rests = splitRests(cs.slice(i).join(''));
        for (var r = 0; r < rests.length; r++) {
          if (stopSet[rests[r]]) continue;
          var dr = knownDf(rests[r]);
          if (dr !== null) found.push([Math.min(dl, dr), found.length, [left, rests[r]]]);
        }
      }
      // Stable, as Rust's sort_by: among equals, the earliest first.
      found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return found.slice(0, P.split_max).map(function (f) { return f[2]; });
    }

    /* Shards a split needs: the left pieces first, then the rests of the known ones. */
    function splitLeftNames(surface) {
      var cs = Array.from(surface), out = [];
      if (cs.length < P.split_min) return out;
      for (var i = 2; i <= cs.length - 2; i++) out = out.concat(vocabShardNames(cs.slice(0, i).join(''), true));
      return out;
    }
    function splitRestNames(surface) {
      var cs = Array.from(surface), out = [];
      if (cs.length < P.split_min) return out;
      for (var i = 2; i <= cs.length - 2; i++) {
        var left = cs.slice(0, i).join('');
        if (stopSet[left] || knownDf(left) === null) continue;
        splitRests(cs.slice(i).join('')).forEach(function (r) { out = out.concat(vocabShardNames(r, true)); });
      }
      return out;
    }


    /* The rest of search-engine.js's loadVocabFor, once the words' own
     * shards are in: the typo lists of the words it does not know and their
     * candidates, then the shards of splits (`go`: each step only while
     * someone waits for it). */
    function loadFor(words, alive, go) {
      /* Words still unknown once the typo lists are in: maybe run together. */
      function splitCandidates() {
        return words.filter(function (w) {
          if (w.parts.length || cpLen(w.surface) < P.split_min) return false;
          return lookup(w.surface).length ? rareKnown(w.surface) : fuzzyOpts(w.surface, dict()) === 0;
        });
      }
      function loadNames(list) {
        var o = dict();
        list.forEach(function (n) { o[n] = 1; });
        return loadAll(Object.keys(o));
      }
      return Promise.resolve().then(go(function () { return typoBounds(words); })).then(go(function () {
        var more = [];
        words.forEach(function (w) {
          if (!lookup(w.surface).length) more = more.concat(fuzzyShardNames(w.surface));
        });
        return loadNames(more);
      })).then(go(function () { return fuzzyWarm(words, alive); })).then(go(function () {
        var more = [];
        splitCandidates().forEach(function (w) { more = more.concat(splitLeftNames(w.surface)); });
        return loadNames(more);
      })).then(go(function () {
        var more = [];
        splitCandidates().forEach(function (w) { more = more.concat(splitRestNames(w.surface)); });
        return loadNames(more);
      })).then(go(function () {
        /* Long words that nothing above explains (unknownWord): their quarters' lists. */
        var more = [];
        words.forEach(function (w) {
          var s = w.surface, c = !lookup(s).length && fuzzyKeys(s, true) && fuzzyCandidates(s);
          if (c && !c.typos.length && !c.clips.length && (w.parts.length || !splitWords(s).length)) more = more.concat(fuzzyShardNames(s, true));
        });
        return loadNames(more);
      }));
    }

    /* Mirrors Planner::word_unit for a word the vocabulary does not know:
     * its typo options into `opts`; its splits when none is one edit away
     * (words run together); the far typos (engine::far_opts) when neither
     * found anything. */
    function unknownWord(w, opts) {
      var split = fuzzyOpts(w.surface, opts) === 0 && !w.parts.length ? splitWords(w.surface) : [];
      if (!Object.keys(opts).length && !split.length) optsOf(fuzzyCandidates(w.surface, true).typos, [], opts);
      return split;
    }

    return { load: loadFor, unknown: unknownWord, split: splitWords, suggest: suggestNow };
  });
})();
