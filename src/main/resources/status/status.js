// lms-sync's status page: fetches /observe/status.json and draws it, again every 15 seconds. Values are set with
// textContent and setAttribute only, never as markup: a vendor's text (an error, a dead-letter reason) stays text.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const REFRESH_MS = 15000;
const COLUMNS = 11;
/** Streams whose list of recent runs is open: it stays open across refreshes. */
const opened = new Set();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach(child => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([name, value]) => node.setAttribute(name, String(value)));
  return node;
}

/** A time as the reader's clock and language have it, e.g. "6 Dec 2026, 21:04:05". */
function local(iso) {
  return new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
}

/** "5 min ago" / "in 2 h", the local time in the tooltip; an em dash when there is none. */
function when(iso) {
  if (!iso) {
    return el('span', {class: 'muted'}, '—');
  }
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const text = seconds >= 0 ? 'in ' + span(seconds) : span(-seconds) + ' ago';
  return el('span', {title: local(iso), class: 'when'}, text);
}

/** How long a run took: "0.4 s", "3 min"; a run under way has no end yet. */
function took(run) {
  if (!run.ended_at) {
    return '…';
  }
  const seconds = (Date.parse(run.ended_at) - Date.parse(run.started_at)) / 1000;
  return seconds < 90 ? seconds.toFixed(1) + ' s' : span(Math.round(seconds));
}

/** What the records of a run became; what a raw-only stream fetched is kept in its archive alone. */
function parts(run) {
  const delivered = run.inserted + run.updated + run.unchanged + run.dead_lettered;
  return [['inserted', run.inserted], ['updated', run.updated], ['unchanged', run.unchanged],
    ['dead', run.dead_lettered], ['raw', Math.max(0, run.fetched - delivered)]];
}

/** The counts of a run in a few words, the ones that are not 0: "10 fetched, 8 inserted, 2 dead-lettered". */
function counts(run) {
  const named = {inserted: 'inserted', updated: 'updated', unchanged: 'unchanged', dead: 'dead-lettered',
    raw: 'archived only'};
  const said = parts(run).filter(([, count]) => count).map(([cls, count]) => count + ' ' + named[cls]);
  return [run.fetched + ' fetched', ...said].join(', ');
}

function span(seconds) {
  if (seconds < 90) return seconds + ' s';
  if (seconds < 90 * 60) return Math.round(seconds / 60) + ' min';
  if (seconds < 36 * 3600) return Math.round(seconds / 3600) + ' h';
  if (seconds < 400 * 86400) return Math.round(seconds / 86400) + ' d';
  return Math.round(seconds / (365.25 * 86400)) + ' y';
}

function lag(seconds) {
  return seconds === null || seconds === undefined ? el('span', {class: 'muted'}, 'no cursor') : span(seconds);
}

/** A bar of done out of total, with the numbers beside it. */
function bar(done, total, label, hot) {
  if (!total) {
    return el('span', {class: 'muted'}, '—');
  }
  const fill = el('div', {});
  fill.style.width = Math.min(100, Math.round(100 * done / total)) + '%';
  const cls = 'bar' + (done >= total ? (hot ? ' hot' : ' full') : '');
  return el('div', {}, el('div', {class: cls, title: done + ' of ' + total}, fill),
      el('span', {class: 'small muted'}, done + ' of ' + total + (label ? ' ' + label : '')));
}

/**
 * The latest runs, oldest first: a stacked bar of each run's records (a raw-only stream's in grey-blue), a red one
 * for a failed run; the tallest bar's count is written at the top left.
 */
function chart(runs) {
  // the left gutter holds the scale: the tallest bar's count
  const width = 136, gutter = 18, height = 28, gap = 1;
  const shown = runs.slice().reverse();
  const most = Math.max(1, ...shown.map(r => r.fetched));
  const step = (width - gutter) / Math.max(shown.length, 10);
  const chart = svg('svg', {class: 'runs', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img'});
  chart.append(svg('line', {class: 'base', x1: gutter, y1: height - 0.5, x2: width, y2: height - 0.5}));
  shown.forEach((run, i) => {
    const x = gutter + i * step;
    const group = svg('g', {});
    const title = svg('title', {});
    title.textContent = `run ${run.id} (${run.mode}) ${run.status} ${local(run.started_at)}: fetched ${run.fetched},`
        + ` inserted ${run.inserted}, updated ${run.updated}, unchanged ${run.unchanged},`
        + ` dead-lettered ${run.dead_lettered}, deleted ${run.deleted}` + (run.error ? ` - ${run.error}` : '');
    group.append(title);
    if (run.status === 'failed' || run.status === 'abandoned') {
      group.append(svg('rect', {class: 'failed', x, y: height / 2, width: step - gap, height: height / 2}));
    } else if (!run.fetched) {
      // a run that found nothing new still ran: a sliver on the baseline
      group.append(svg('rect', {class: 'unchanged', x, y: height - 2, width: step - gap, height: 2}));
    } else {
      let y = height;
      parts(run).forEach(([cls, count]) => {
        if (count) {
          const h = Math.max(1, (height - 2) * count / most);
          y -= h;
          group.append(svg('rect', {class: cls, x, y, width: step - gap, height: h}));
        }
      });
    }
    chart.append(group);
  });
  const scale = svg('text', {class: 'scale', x: gutter - 2, y: 8, 'text-anchor': 'end'});
  scale.textContent = String(most);
  chart.append(scale);
  return chart;
}

/** The chart, which opens and closes the list of recent runs below the row, and the latest run's counts. */
function runsCell(s) {
  const open = opened.has(s.stream);
  const toggle = el('button', {type: 'button', class: 'runs-toggle', 'aria-expanded': String(open),
    'aria-controls': 'runs-' + s.stream, title: 'the recent runs, listed'}, chart(s.recent_runs));
  toggle.addEventListener('click', () => {
    const now = !opened.has(s.stream);
    if (now) opened.add(s.stream); else opened.delete(s.stream);
    toggle.setAttribute('aria-expanded', String(now));
    document.getElementById('runs-' + s.stream).hidden = !now;
  });
  const latest = s.recent_runs[0];
  return el('td', {}, toggle, el('div', {class: 'small muted'}, latest ? 'last: ' + counts(latest) : 'no run yet'));
}

/** The list of recent runs, newest first: when, how long, what, how it ended, its counts and its error. */
function history(s) {
  const head = el('tr', {}, ...['run', 'started', 'took', 'mode', 'outcome', 'fetched', 'inserted', 'updated',
    'unchanged', 'dead-lettered', 'deleted', 'error'].map(name => el('th', {}, name)));
  const rows = s.recent_runs.map(run => el('tr', {'data-run': run.id}, el('td', {class: 'num'}, String(run.id)),
      el('td', {class: 'when'}, local(run.started_at)), el('td', {class: 'num'}, took(run)), el('td', {}, run.mode),
      el('td', {}, run.status), ...[run.fetched, run.inserted, run.updated, run.unchanged, run.dead_lettered,
        run.deleted].map(n => el('td', {class: 'num'}, String(n))), el('td', {class: 'error'}, run.error || '')));
  const list = el('table', {class: 'history'}, el('thead', {}, head), el('tbody', {}, ...rows));
  const row = el('tr', {class: 'history', id: 'runs-' + s.stream, 'data-history': s.stream},
      el('td', {colspan: COLUMNS}, s.recent_runs.length ? list : el('span', {class: 'muted'}, 'no run yet')));
  row.hidden = !opened.has(s.stream);
  return row;
}

function deadLetters(stream) {
  if (!stream.dead_letters) {
    return '0';
  }
  const list = el('ul', {});
  stream.dead_letter_reasons.forEach(r => list.append(el('li', {}, r.count + ' × ' + r.reason)));
  return el('details', {}, el('summary', {}, String(stream.dead_letters)), list);
}

function streamRow(s) {
  const state = el('td', {}, el('span', {class: 'state ' + s.state}, s.state === 'held' ? 'held deletions' : s.state));
  if (s.failed_in_a_row > 1) {
    state.append(el('div', {class: 'small muted'}, s.failed_in_a_row + ' failed in a row'));
  }
  if (s.check) {
    // the last first-contact check (--check, or before the stream's first sync); what failed, as text
    const check = el('div', {class: 'small check ' + (s.check.outcome || 'unchecked'), 'data-check': s.check.outcome || ''},
        'check ' + (s.check.outcome || 'overridden') + (s.check.overridden && s.check.outcome === 'failed'
            ? ' (overridden)' : ''), ' ', when(s.check.checked_at));
    if (s.check.summary) {
      check.setAttribute('title', s.check.summary);
      check.append(el('div', {class: 'muted'}, s.check.summary));
    }
    state.append(check);
  }
  const last = el('td', {}, when(s.last_run.ended_at || s.last_run.started_at));
  if (s.last_run.status) {
    last.append(el('div', {class: 'small muted'}, s.last_run.status));
  }
  const next = el('td', {}, when(s.next_run));
  if (s.next_reconcile) {
    next.append(el('div', {class: 'small muted'}, 'reconcile '), when(s.next_reconcile));
  }
  const row = el('tr', {id: 'stream-' + s.stream, 'data-stream': s.stream, 'data-state': s.state},
      el('td', {class: 'stream'}, s.stream), state, last, el('td', {}, when(s.last_success)), next,
      runsCell(s), el('td', {class: 'num'}, lag(s.lag_seconds)),
      el('td', {}, bar(s.backfill.windows_done, s.backfill.windows_total,
          s.backfill.of === 'this run' ? 'windows of this run' : 'windows')),
      el('td', {class: 'num'}, String(s.held_deletions)), el('td', {class: 'num'}, deadLetters(s)),
      el('td', {class: 'num'}, String(s.thrive_pending)));
  if (s.last_run.status !== 'failed' || !s.last_run.error) {
    return [row, history(s)];
  }
  // why the last run failed, across the row's width
  return [row, el('tr', {class: 'why', 'data-why': s.stream}, el('td', {}, ''),
      el('td', {colspan: COLUMNS - 1, class: 'error'}, 'last run failed: ' + s.last_run.error)), history(s)];
}

function accountRow(a) {
  const used = a.budget ? bar(Math.round(a.used_ratio * a.budget), a.budget, 'this period', true)
      : el('span', {class: 'muted'}, 'no budget');
  return el('tr', {'data-account': a.account}, el('td', {}, a.account),
      el('td', {}, a.budget ? a.budget + ' per ' + span(a.period_seconds) : '—'), el('td', {}, used),
      el('td', {}, a.paused_until ? when(a.paused_until) : el('span', {class: 'muted'}, 'not paused')));
}

function auditRow(a) {
  return el('tr', {}, el('td', {}, when(a.at)), el('td', {class: 'stream'}, a.stream), el('td', {}, a.operation),
      el('td', {class: 'small'}, a.old_value || ''), el('td', {class: 'small'}, a.new_value || ''),
      el('td', {class: 'small caller'}, a.caller || '—'), el('td', {class: 'small'}, a.channel || '—'),
      el('td', {class: 'small muted'}, a.node));
}

function fill(table, rows, empty, columns) {
  const body = document.querySelector(table + ' tbody');
  body.replaceChildren(...(rows.length ? rows
      : [el('tr', {}, el('td', {colspan: columns, class: 'muted'}, empty))]));
}

async function refresh() {
  const problem = document.getElementById('problem');
  try {
    const answer = await fetch('/observe/status.json', {cache: 'no-store'});
    const status = await answer.json();
    if (!answer.ok) {
      throw new Error(status.error || 'HTTP ' + answer.status);
    }
    fill('#streams', status.streams.flatMap(streamRow), 'no stream is enabled', COLUMNS);
    fill('#accounts', status.accounts.map(accountRow), 'no account', 4);
    fill('#audit', status.audit.map(auditRow), 'no operator action on record', 8);
    const updated = document.getElementById('updated');
    updated.textContent = 'as of ' + local(status.generated_at);
    updated.setAttribute('title', status.generated_at);
    problem.hidden = true;
    document.body.setAttribute('data-loaded', 'true');
    // whether the page fits its window across (no sideways scrolling), for whoever checks it at 1024 px
    document.body.setAttribute('data-fits', String(document.documentElement.scrollWidth <= window.innerWidth));
  } catch (e) {
    problem.textContent = 'cannot read the status: ' + e.message;
    problem.hidden = false;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
