// uvtool ui: sends the token to this machine's uvtool (POST /api/inspect)
// and draws its answer. No rule is decided here: every verdict, reason,
// finding and time phrase comes from the library. Untrusted text (claims,
// headers, messages) is only ever set as textContent.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const input = $('token');
  let timer = null;
  let seq = 0;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function status(text) {
    $('status').textContent = text || '';
  }

  async function inspect() {
    const token = input.value.trim();
    const mine = ++seq;
    let resp;
    let data;
    try {
      resp = await fetch('/api/inspect', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: token }),
        cache: 'no-store',
        credentials: 'omit',
      });
      data = await resp.json();
    } catch (e) {
      if (mine === seq) status('uvtool is not answering (was it stopped?)');
      return;
    }
    if (mine !== seq) return;
    if (!resp.ok) {
      status('refused: ' + (data && data.reason ? data.reason : resp.status));
      return;
    }
    status('');
    render(data, token === '');
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(inspect, 120);
  }

  // ---- verdicts -------------------------------------------------------

  function verdict(prefix, v) {
    const state = $(prefix + '-state');
    const card = $('verdict-' + prefix);
    let word;
    let cls;
    if (v.valid === true) {
      word = 'VALID';
      cls = 'ok';
    } else if (v.valid === false) {
      word = 'INVALID';
      cls = 'bad';
    } else {
      word = 'NOT CHECKED';
      cls = 'unknown';
    }
    state.textContent = word;
    state.className = 'pill state ' + cls;
    card.className = 'card verdict ' + cls;
    $(prefix + '-reason').textContent =
      v.valid === true
        ? prefix === 'platform'
          ? 'The platform\'s rules would accept this token: no error-level rule fails (docs/PLATFORM.md).'
          : 'Signature, algorithm, kid and times check out.'
        : v.reason || '';
    const fix = $(prefix + '-fix');
    clear(fix);
    fix.hidden = !(v.valid === false && v.fix);
    if (!fix.hidden) {
      fix.appendChild(el('span', 'k', 'fix'));
      fix.appendChild(el('span', null, v.fix));
    }
    const tags = $(prefix + '-tags');
    clear(tags);
    const tag = (k, val) => {
      if (val === null || val === undefined || val === '') return;
      const t = el('span', 'tag');
      t.appendChild(el('span', 'k', k));
      t.appendChild(el('span', 'v', val));
      tags.appendChild(t);
    };
    tag('code', v.code);
    tag('rule', v.rule);
    tag('alg', v.alg);
    tag('kid', v.kid);
    const warns = $(prefix + '-warnings');
    clear(warns);
    for (const w of v.warnings || []) {
      const li = el('li');
      li.appendChild(el('span', 'pill warning', 'warning'));
      li.appendChild(el('span', 'rule', w.rule));
      li.appendChild(el('span', null, w.message));
      warns.appendChild(li);
    }
  }

  // ---- JSON with time annotations ------------------------------------

  function pretty(node, obj, times) {
    clear(node);
    if (!obj) {
      node.textContent = '—';
      return;
    }
    const lines = JSON.stringify(obj, null, 2).split('\n');
    for (const line of lines) {
      const m = /^ {2}"(exp|iat|nbf|auth_time)": (-?[0-9.e+]+),?$/.exec(line);
      node.appendChild(document.createTextNode(line));
      if (m && times && times[m[1]]) {
        const t = times[m[1]];
        node.appendChild(el('span', 'annot', '  ' + t.utc + ' · ' + t.text));
      }
      node.appendChild(document.createTextNode('\n'));
    }
  }

  // ---- findings --------------------------------------------------------

  function findings(list, notes, undecoded) {
    const ul = $('findings');
    clear(ul);
    const counts = { error: 0, warning: 0, info: 0 };
    // Errors first, then warnings, then info; in rule order within each.
    const rank = { error: 0, warning: 1, info: 2 };
    const sorted = list.slice().sort((a, b) => (rank[a.level] ?? 3) - (rank[b.level] ?? 3));
    for (const f of sorted) {
      counts[f.level] = (counts[f.level] || 0) + 1;
      const li = el('li', 'finding ' + f.level);
      const head = el('div', 'fhead');
      head.appendChild(el('span', 'pill ' + f.level, f.level));
      head.appendChild(el('span', 'rule', f.rule));
      head.appendChild(el('span', 'where', f.path ? f.file + ': ' + f.path : f.file));
      li.appendChild(head);
      li.appendChild(el('div', 'msg', f.message));
      if (f.fix) {
        const fix = el('div', 'fix');
        fix.appendChild(el('span', 'k', 'fix'));
        fix.appendChild(el('span', null, f.fix));
        li.appendChild(fix);
      }
      ul.appendChild(li);
    }
    if (list.length === 0) ul.appendChild(el('li', 'none', undecoded ? 'Not checked: the token could not be decoded.' : 'No findings.'));
    $('findings-count').textContent = list.length
      ? counts.error + ' error(s), ' + counts.warning + ' warning(s), ' + counts.info + ' info'
      : '';
    const nl = $('notes');
    clear(nl);
    for (const n of notes || []) nl.appendChild(el('li', null, n));
  }

  // ---- timeline --------------------------------------------------------

  function fmt(t, span) {
    const iso = new Date(t * 1000).toISOString();
    if (span > 30 * 86400) return iso.slice(0, 10);
    if (span > 20 * 3600) return iso.slice(5, 10) + ' ' + iso.slice(11, 16) + 'Z';
    return iso.slice(11, 19) + 'Z';
  }

  function timeline(tl, times) {
    const box = $('timeline');
    clear(box);
    const marks = [];
    for (const k of ['iat', 'nbf', 'exp']) if (tl[k] !== null && tl[k] !== undefined) marks.push(k);
    const text = [];
    for (const k of ['exp', 'nbf', 'iat']) if (times[k]) text.push(k + ': ' + times[k].text);
    text.push('leeway ' + tl.leeway + 's');
    if (tl.cert) {
      const rel = tl.cert.not_after < tl.now ? 'expired' : 'valid until';
      text.push(tl.cert.label + ' ' + rel + ' ' + new Date(tl.cert.not_after * 1000).toISOString().slice(0, 10));
    }
    $('timeline-text').textContent = text.join(' · ');
    if (marks.length === 0) {
      box.appendChild(el('p', 'muted', 'The token has no iat, nbf or exp to draw.'));
      return;
    }
    const now = tl.now;
    const lee = tl.leeway;
    let lo = Math.min(...marks.map((k) => tl[k]));
    let hi = Math.max(...marks.map((k) => tl[k]));
    if (tl.exp !== null) hi = Math.max(hi, tl.exp + lee);
    if (tl.nbf !== null) lo = Math.min(lo, tl.nbf - lee);
    // Now far from the token's times (expired long ago, valid only much
    // later): keep the token's times readable and point at now from the edge.
    const far = Math.max((hi - lo) * 3, 1800);
    const nowSide = now > hi + far ? 1 : now < lo - far ? -1 : 0;
    if (nowSide === 0) {
      lo = Math.min(lo, now - lee);
      hi = Math.max(hi, now + lee);
    }
    const pad = Math.max((hi - lo) * 0.08, 30);
    lo -= pad;
    hi += pad;
    const span = hi - lo;
    const W = 1000;
    const L = 20;
    const R = 980;
    const x = (t) => L + ((Math.max(lo, Math.min(hi, t)) - lo) / span) * (R - L);
    const H = tl.cert ? 190 : 150;
    const s = svg('svg', {
      viewBox: '0 0 ' + W + ' ' + H,
      width: '100%',
      role: 'img',
      'aria-label': 'timeline of the token: ' + text.join('; '),
      class: 'timeline',
    });
    const axisY = 92;
    // The token's life: from nbf (or iat) to exp, with the leeway at each end.
    const start = tl.nbf !== null ? tl.nbf : tl.iat !== null ? tl.iat : lo;
    const end = tl.exp !== null ? tl.exp : hi;
    const alive = now >= start - lee && now <= end + lee;
    if (tl.nbf !== null) {
      s.appendChild(svg('rect', { x: x(tl.nbf - lee), y: axisY - 14, width: Math.max(1, x(tl.nbf) - x(tl.nbf - lee)), height: 28, class: 'leeway', 'data-mark': 'leeway' }));
    }
    if (tl.exp !== null) {
      s.appendChild(svg('rect', { x: x(tl.exp), y: axisY - 14, width: Math.max(1, x(tl.exp + lee) - x(tl.exp)), height: 28, class: 'leeway', 'data-mark': 'leeway' }));
    }
    s.appendChild(svg('rect', { x: x(start), y: axisY - 14, width: Math.max(2, x(end) - x(start)), height: 28, rx: 3, class: alive ? 'life alive' : 'life dead', 'data-mark': 'life' }));
    s.appendChild(svg('line', { x1: L, y1: axisY + 22, x2: R, y2: axisY + 22, class: 'axis' }));
    s.appendChild(svg('text', { x: nowSide < 0 ? L + 24 : L, y: axisY + 38, class: 'tick' }, fmt(lo, span)));
    s.appendChild(svg('text', { x: nowSide > 0 ? R - 24 : R, y: axisY + 38, class: 'tick end' }, fmt(hi, span)));
    if (tl.exp !== null && x(tl.exp + lee) - x(tl.exp) > 60) {
      s.appendChild(svg('text', { x: (x(tl.exp) + x(tl.exp + lee)) / 2, y: axisY + 4, class: 'lee-label' }, 'leeway'));
    }
    // Now: the line under the labels, its own label on top; at an edge,
    // with an arrow, when it is far outside the token's times.
    const nx = nowSide > 0 ? R : nowSide < 0 ? L : x(now);
    s.appendChild(svg('line', { x1: nx, y1: 6, x2: nx, y2: H - 6, class: nowSide ? 'now far' : 'now', 'data-mark': 'now' }));
    if (nowSide) {
      const bx = nowSide > 0 ? R - 14 : L + 14;
      s.appendChild(svg('text', { x: bx, y: axisY + 27, class: 'break' }, '//'));
    }
    // Marks above the bar, staggered when close.
    const placed = [];
    const items = marks.map((k) => ({ k, t: tl[k] })).sort((a, b) => a.t - b.t);
    for (const it of items) {
      const px = x(it.t);
      let row = 0;
      while (placed.some((p) => p.row === row && Math.abs(p.x - px) < 130)) row++;
      placed.push({ x: px, row });
      const ty = 58 - row * 18;
      s.appendChild(svg('line', { x1: px, y1: ty + 4, x2: px, y2: axisY + 14, class: 'mark ' + it.k, 'data-mark': it.k }));
      s.appendChild(svg('text', { x: px, y: ty, class: 'mlabel ' + it.k }, it.k + ' ' + fmt(it.t, span)));
    }
    const nowText = 'now ' + new Date(now * 1000).toISOString().slice(0, nowSide ? 10 : 19).replace('T', ' ');
    if (nowSide > 0) {
      s.appendChild(svg('text', { x: nx - 5, y: 14, class: 'now-label end' }, nowText + ' →'));
    } else if (nowSide < 0) {
      s.appendChild(svg('text', { x: nx + 5, y: 14, class: 'now-label' }, '← ' + nowText));
    } else {
      const right = nx > R - 150;
      s.appendChild(svg('text', { x: right ? nx - 5 : nx + 5, y: 14, class: right ? 'now-label end' : 'now-label' }, nowText + 'Z'));
    }
    // The signing certificate's validity window.
    if (tl.cert) {
      const cy = axisY + 56;
      const nb = tl.cert.not_before;
      const na = tl.cert.not_after;
      const day = (t) => new Date(t * 1000).toISOString().slice(0, 10);
      const ok = now >= nb && now <= na;
      let label = tl.cert.label + ': valid ' + day(nb) + ' → ' + day(na);
      if (nb > hi) {
        label += ' (starts after this window →)';
      } else if (na < lo) {
        label = '← ' + label + ' (ended before this window)';
      } else {
        s.appendChild(svg('rect', { x: x(nb), y: cy, width: Math.max(2, x(na) - x(nb)), height: 12, rx: 3, class: ok ? 'cert' : 'cert dead', 'data-mark': 'cert' }));
        if (na > hi) label += ' (continues →)';
        if (nb < lo) label = '← ' + label;
      }
      if (nb > hi || na < lo) {
        s.appendChild(svg('rect', { x: nb > hi ? R - 4 : L, y: cy, width: 4, height: 12, class: ok ? 'cert' : 'cert dead', 'data-mark': 'cert' }));
      }
      s.appendChild(svg('text', { x: L, y: cy + 28, class: 'cert-label' }, label));
    }
    box.appendChild(s);
  }

  // ---- keys --------------------------------------------------------------

  function keys(list, source, empty) {
    const tbody = $('keys').querySelector('tbody');
    clear(tbody);
    $('keys-empty').hidden = list.length > 0;
    $('keys').hidden = list.length === 0;
    $('keysource').textContent = source ? 'keys: ' + source : 'no keys: signatures not checked';
    for (const k of list) {
      const tr = el('tr', k.selected ? 'selected' : '');
      tr.appendChild(el('td', 'mono', k.kid === null ? '(none)' : k.kid));
      tr.appendChild(el('td', null, k.alg || '—'));
      tr.appendChild(el('td', null, k.bits ? k.bits + '-bit ' + (k.kty || '') : k.kty || '—'));
      const th = el('td', 'mono thumb', k.thumbprint ? k.thumbprint.slice(0, 16) + '…' : '—');
      if (k.thumbprint) th.title = k.thumbprint;
      tr.appendChild(th);
      let cert = 'no x5c';
      let certCls = 'muted';
      if (k.cert && k.cert.problem) {
        cert = k.cert.problem;
        certCls = 'badtext';
      } else if (k.cert) {
        cert = k.cert.expires + ' (' + (k.cert.not_after_utc || '').slice(0, 10) + ')';
        certCls = k.cert.expires.startsWith('expired') ? 'badtext' : '';
      }
      tr.appendChild(el('td', certCls, cert));
      tr.appendChild(el('td', 'muted', k.path ? k.source + ': ' + k.path : k.source));
      const st = el('td');
      if (empty) {
        /* no token yet */
      } else if (k.verified) st.appendChild(el('span', 'pill ok', 'signature verifies'));
      else if (k.named) st.appendChild(el('span', 'pill info', 'named by kid'));
      tr.appendChild(st);
      tbody.appendChild(tr);
    }
  }

  // ---- everything ------------------------------------------------------

  function render(d, empty) {
    keys(d.keys || [], d.key_source, empty);
    $('empty').hidden = !empty;
    $('result').hidden = empty;
    if (empty) return;
    verdict('platform', d.verdicts.platform);
    verdict('rfc', d.verdicts.rfc);
    pretty($('header'), d.header, null);
    pretty($('claims'), d.claims, d.times);
    findings(d.findings || [], d.notes, !!d.decode_error);
    const pk = d.platform_key || {};
    $('platform-key').textContent = pk.key || '—';
    $('platform-key-note').textContent = pk.note || '';
    timeline(d.timeline, d.times || {});
  }

  function fromFragment() {
    const m = /^#token=(.+)$/.exec(location.hash);
    if (!m) return false;
    let t = m[1];
    try {
      t = decodeURIComponent(t);
    } catch (e) {
      /* keep it as it is */
    }
    input.value = t;
    // Out of the address bar and the history, which browsers keep on disk.
    history.replaceState(null, '', location.pathname);
    return true;
  }

  input.addEventListener('input', schedule);
  input.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    input.classList.add('drop');
  });
  input.addEventListener('dragleave', () => input.classList.remove('drop'));
  input.addEventListener('drop', (ev) => {
    ev.preventDefault();
    input.classList.remove('drop');
    const f = ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0];
    if (!f) {
      const text = ev.dataTransfer && ev.dataTransfer.getData('text');
      if (text) {
        input.value = text.trim();
        inspect();
      }
      return;
    }
    if (f.size > 60000) {
      status('that file is too big to be a token');
      return;
    }
    f.text().then((t) => {
      input.value = t.trim();
      inspect();
    });
  });
  $('clear').addEventListener('click', () => {
    input.value = '';
    inspect();
    input.focus();
  });
  window.addEventListener('hashchange', () => {
    if (fromFragment()) inspect();
  });
  fromFragment();
  inspect();
})();
