// mlvpn-java dashboard: polls /status once a second and draws the last minutes. No dependencies.
'use strict';

(function () {
  const HISTORY_SECONDS = 300;
  const COLORS = ['#1d3557', '#e63946', '#2a9d8f', '#f4a261', '#6a4c93', '#8ab17d', '#e9c46a', '#264653'];
  const history = new Map(); // link name -> [{t, throughput, rttMs, lossPercent}]
  let samples = 0;
  let errors = 0;

  function recordError(message) {
    errors++;
    document.body.dataset.errors = String(errors);
    const p = document.getElementById('problem');
    p.hidden = false;
    p.textContent = message;
  }
  window.addEventListener('error', (e) => recordError('script error: ' + e.message));
  window.addEventListener('unhandledrejection', (e) => recordError('script error: ' + e.reason));

  function bits(v) {
    if (v >= 1e9) return (v / 1e9).toFixed(2) + ' Gbit/s';
    if (v >= 1e6) return (v / 1e6).toFixed(2) + ' Mbit/s';
    if (v >= 1e3) return (v / 1e3).toFixed(1) + ' kbit/s';
    return v + ' bit/s';
  }

  function time(ms) {
    return ms > 0 ? new Date(ms).toLocaleTimeString() : '-';
  }

  function duration(s) {
    const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
    return (d ? d + 'd ' : '') + (h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
  }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function colorOf(name) {
    const names = Array.from(history.keys());
    return COLORS[names.indexOf(name) % COLORS.length];
  }

  function renderLinks(status) {
    const body = document.querySelector('#links tbody');
    body.replaceChildren();
    for (const l of status.links) {
      const tr = document.createElement('tr');
      tr.dataset.link = l.name;
      cell(tr, l.name);
      cell(tr, l.admin_down ? 'down (admin)' : l.state, 'state state-' + l.state);
      cell(tr, l.reason, 'reason');
      cell(tr, time(l.state_changed_epoch_ms));
      cell(tr, l.srtt_ms.toFixed(1) + ' ms');
      cell(tr, (l.loss_ratio * 100).toFixed(1) + ' %');
      cell(tr, bits(l.tx_rate_bps));
      cell(tr, bits(l.rx_rate_bps));
      cell(tr, bits(l.delivery_rate_bps));
      cell(tr, l.bandwidth_bps ? bits(l.bandwidth_bps) : '-');
      cell(tr, l.peer || l.remote || '-');
      body.appendChild(tr);
    }
  }

  function renderFailovers(status) {
    const body = document.querySelector('#failovers tbody');
    body.replaceChildren();
    const list = status.failovers.slice().reverse();
    for (const f of list) {
      const tr = document.createElement('tr');
      cell(tr, f.link);
      cell(tr, time(f.silent_epoch_ms));
      cell(tr, f.suspect_after_ms >= 0 ? '+' + f.suspect_after_ms + ' ms' : '-');
      cell(tr, f.down_after_ms >= 0 ? '+' + f.down_after_ms + ' ms' : '-');
      cell(tr, '+' + f.moved_after_ms + ' ms');
      cell(tr, String(f.rescued_packets));
      cell(tr, !f.complete ? 'measuring' : f.baseline_bps < 10000 ? 'idle'
        : (f.capacity_recovered ? '' : '> ') + f.below_capacity_ms + ' ms');
      cell(tr, f.outcome);
      cell(tr, f.reason, 'reason');
      body.appendChild(tr);
    }
  }

  function record(status) {
    const now = status.now_epoch_ms;
    for (const l of status.links) {
      if (!history.has(l.name)) history.set(l.name, []);
      const h = history.get(l.name);
      h.push({ t: now, throughput: l.tx_rate_bps + l.rx_rate_bps, rttMs: l.srtt_ms, lossPercent: l.loss_ratio * 100 });
      while (h.length && h[0].t < now - HISTORY_SECONDS * 1000) h.shift();
    }
  }

  function draw(id, field, now) {
    const canvas = document.getElementById(id);
    const ctx = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height, pad = 30;
    ctx.clearRect(0, 0, w, h);
    let max = 0, points = 0;
    const last = {};
    for (const [name, series] of history) {
      for (const p of series) max = Math.max(max, p[field]);
      if (series.length) last[name] = series[series.length - 1][field];
    }
    max = max > 0 ? max * 1.1 : 1;
    ctx.strokeStyle = '#dde3ea';
    ctx.fillStyle = '#555';
    ctx.font = '10px sans-serif';
    for (let i = 0; i <= 4; i++) {
      const y = pad / 2 + (h - pad) * i / 4;
      ctx.beginPath(); ctx.moveTo(pad, y); ctx.lineTo(w, y); ctx.stroke();
      const v = max * (4 - i) / 4;
      ctx.fillText(field === 'throughput' ? bits(Math.round(v)).replace(' bit/s', '') : v.toFixed(1), 0, y + 3);
    }
    for (const [name, series] of history) {
      ctx.strokeStyle = colorOf(name);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      series.forEach((p, i) => {
        const x = pad + (w - pad) * (1 - (now - p.t) / (HISTORY_SECONDS * 1000));
        const y = pad / 2 + (h - pad) * (1 - p[field] / max);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        points++;
      });
      ctx.stroke();
    }
    canvas.dataset.points = String(points);
    const lastText = JSON.stringify(last);
    if (canvas.dataset.last !== undefined && canvas.dataset.last !== lastText) {
      canvas.dataset.changes = String(Number(canvas.dataset.changes || 0) + 1);
    }
    canvas.dataset.last = lastText;
  }

  function renderLegend() {
    const legend = document.getElementById('legend');
    legend.replaceChildren();
    for (const name of history.keys()) {
      const span = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = colorOf(name);
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(name));
      legend.appendChild(span);
    }
  }

  function render(status) {
    document.getElementById('name').textContent = status.name;
    document.getElementById('summary').textContent = 'tunnel ' + status.state + ' \u00b7 ' + status.mode + ' \u00b7 '
      + status.cipher + ' \u00b7 device ' + status.device + ' (mtu ' + status.mtu + ') \u00b7 up '
      + duration(status.uptime_seconds) + ' \u00b7 version ' + status.version;
    document.getElementById('problem').hidden = errors === 0;
    renderLinks(status);
    renderFailovers(status);
    record(status);
    renderLegend();
    draw('chart-throughput', 'throughput', status.now_epoch_ms);
    draw('chart-rtt', 'rttMs', status.now_epoch_ms);
    draw('chart-loss', 'lossPercent', status.now_epoch_ms);
    samples++;
    document.body.dataset.samples = String(samples);
  }

  async function poll() {
    try {
      const r = await fetch('/status', { cache: 'no-store' });
      if (!r.ok) throw new Error('/status: HTTP ' + r.status);
      render(await r.json());
      const p = document.getElementById('problem');
      if (errors === 0) p.hidden = true;
    } catch (e) {
      const p = document.getElementById('problem');
      p.hidden = false;
      p.textContent = 'cannot read the status: ' + e.message;
    } finally {
      setTimeout(poll, 1000);
    }
  }

  poll();
})();
