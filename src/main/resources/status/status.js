// lms-sync's status page: fetches /observe/status.json and draws it, again every 15 seconds. Values are set with
// textContent and setAttribute only, never as markup: a vendor's text (an error, a dead-letter reason) stays text.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const REFRESH_MS = 15000;

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

/** "5 min ago" / "in 2 h", the exact time in the tooltip; an em dash when there is none. */
function when(iso) {
  if (!iso) {
    return el('span', {class: 'muted'}, '—');
  }
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const text = seconds >= 0 ? 'in ' + span(seconds) : span(-seconds) + ' ago';
  return el('span', {title: iso, class: 'when'}, text);
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

/** The latest runs, oldest first: a stacked bar of each run's records, a red one for a failed run. */
function chart(runs) {
  const width = 120, height = 28, gap = 1;
  const shown = runs.slice().reverse();
  const most = Math.max(1, ...shown.map(r => r.fetched));
  const step = width / Math.max(shown.length, 10);
  const chart = svg('svg', {class: 'runs', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img'});
  chart.append(svg('line', {class: 'base', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5}));
  shown.forEach((run, i) => {
    const x = i * step;
    const group = svg('g', {});
    const title = svg('title', {});
    title.textContent = `run ${run.id} (${run.mode}) ${run.status} ${run.started_at}: fetched ${run.fetched},`
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
      [['inserted', run.inserted], ['updated', run.updated], ['unchanged', run.unchanged],
        ['dead', run.dead_lettered]].forEach(([cls, count]) => {
        if (count) {
          const h = Math.max(1, (height - 2) * count / most);
          y -= h;
          group.append(svg('rect', {class: cls, x, y, width: step - gap, height: h}));
        }
      });
    }
    chart.append(group);
  });
  return chart;
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
      el('td', {}, chart(s.recent_runs)), el('td', {class: 'num'}, lag(s.lag_seconds)),
      el('td', {}, bar(s.backfill.windows_done, s.backfill.windows_total,
          s.backfill.of === 'this run' ? 'windows of this run' : 'windows')),
      el('td', {class: 'num'}, String(s.held_deletions)), el('td', {class: 'num'}, deadLetters(s)),
      el('td', {class: 'num'}, String(s.thrive_pending)));
  if (s.last_run.status !== 'failed' || !s.last_run.error) {
    return [row];
  }
  // why the last run failed, across the row's width
  return [row, el('tr', {class: 'why', 'data-why': s.stream}, el('td', {}, ''),
      el('td', {colspan: 10, class: 'error'}, 'last run failed: ' + s.last_run.error))];
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
    fill('#streams', status.streams.flatMap(streamRow), 'no stream is enabled', 11);
    fill('#accounts', status.accounts.map(accountRow), 'no account', 4);
    fill('#audit', status.audit.map(auditRow), 'no operator action on record', 8);
    document.getElementById('updated').textContent = 'as of ' + status.generated_at;
    problem.hidden = true;
    document.body.setAttribute('data-loaded', 'true');
  } catch (e) {
    problem.textContent = 'cannot read the status: ' + e.message;
    problem.hidden = false;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
