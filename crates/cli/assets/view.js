// shieldnet web view: everything drawn on two canvases from /data.json; no external resources.
"use strict";
(async function () {
  const status = document.getElementById("status");
  let data;
  try {
    data = await (await fetch("data.json")).json();
  } catch (e) {
    status.textContent = "cannot load data.json: " + e;
    return;
  }
  const $ = (id) => document.getElementById(id);
  $("title").textContent = `shieldnet · ${data.scenario} · seed ${data.seed} · mode ${data.mode}`;
  const slider = $("time");
  slider.max = Math.ceil(data.duration_s);
  const partyColor = {};
  data.parties.forEach((p) => (partyColor[p.id] = p.color));
  const shown = {};
  const partiesDiv = $("parties");
  for (const p of data.parties) {
    shown[p.id] = true;
    const l = document.createElement("label");
    l.innerHTML = `<input type="checkbox" id="party-${p.id}" checked> <span class="sw" style="background:${p.color}"></span>${p.id}`;
    partiesDiv.appendChild(l);
    partiesDiv.appendChild(document.createElement("br"));
    l.querySelector("input").addEventListener("change", (e) => { shown[p.id] = e.target.checked; draw(); });
  }
  const sources = { own: true, fused: true, partner: true };
  document.querySelectorAll(".src").forEach((c) => c.addEventListener("change", (e) => { sources[e.target.value] = e.target.checked; draw(); }));
  ["layer-coverage", "layer-truth", "layer-interceptors"].forEach((id) => $(id).addEventListener("change", draw));

  // Bounds of everything but the coverage footprints, padded.
  let lon0 = 180, lon1 = -180, lat0 = 90, lat1 = -90;
  const grow = (lon, lat) => { lon0 = Math.min(lon0, lon); lon1 = Math.max(lon1, lon); lat0 = Math.min(lat0, lat); lat1 = Math.max(lat1, lat); };
  data.radars.concat(data.batteries, data.assets).forEach((s) => grow(s.lon, s.lat));
  data.objects.forEach((o) => o.samples.forEach((s) => grow(s[1], s[2])));
  const pad = 3;
  lon0 -= pad; lon1 += pad; lat0 -= pad; lat1 += pad;
  const kx = Math.cos(((lat0 + lat1) / 2) * Math.PI / 180);

  const map = $("map"), prof = $("profile");
  function fit(c) { const r = c.getBoundingClientRect(); c.width = Math.max(200, r.width); c.height = Math.max(120, r.height); }
  function proj(lon, lat) {
    const w = map.width, h = map.height;
    const sx = w / ((lon1 - lon0) * kx), sy = h / (lat1 - lat0), s = Math.min(sx, sy);
    const ox = (w - (lon1 - lon0) * kx * s) / 2, oy = (h - (lat1 - lat0) * s) / 2;
    return [ox + (lon - lon0) * kx * s, h - oy - (lat - lat0) * s];
  }
  function poly(ctx, pts, close) {
    ctx.beginPath();
    pts.forEach((p, i) => { const [x, y] = proj(p[0], p[1]); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
    if (close) ctx.closePath();
  }
  function upTo(samples, t) { let n = 0; while (n < samples.length && samples[n][0] <= t) n++; return samples.slice(0, n); }

  function draw() {
    const t = Number(slider.value);
    $("clock").textContent = `t = ${t} s  (${data.epoch_iso} + ${t} s)`;
    const ctx = map.getContext("2d");
    ctx.clearRect(0, 0, map.width, map.height);
    // Graticule every 5°.
    ctx.strokeStyle = "#c4d3e3"; ctx.lineWidth = 0.5;
    for (let lo = Math.ceil(lon0 / 5) * 5; lo <= lon1; lo += 5) { poly(ctx, [[lo, lat0], [lo, lat1]]); ctx.stroke(); }
    for (let la = Math.ceil(lat0 / 5) * 5; la <= lat1; la += 5) { poly(ctx, [[lon0, la], [lon1, la]]); ctx.stroke(); }
    // Coastlines (Natural Earth 1:110m).
    ctx.strokeStyle = "#556"; ctx.lineWidth = 1;
    data.coastlines.forEach((line) => { poly(ctx, line); ctx.stroke(); });
    if ($("layer-coverage").checked) {
      data.radars.forEach((r) => {
        poly(ctx, r.footprint, true);
        ctx.fillStyle = partyColor[r.party] + "18"; ctx.fill();
        ctx.strokeStyle = partyColor[r.party] + "88"; ctx.stroke();
      });
    }
    data.assets.forEach((a) => { poly(ctx, a.footprint, true); ctx.fillStyle = partyColor[a.party] + "55"; ctx.fill(); });
    const site = (s, shape) => {
      const [x, y] = proj(s.lon, s.lat);
      ctx.fillStyle = partyColor[s.party]; ctx.strokeStyle = "#fff";
      ctx.beginPath();
      if (shape === "tri") { ctx.moveTo(x, y - 7); ctx.lineTo(x + 6, y + 5); ctx.lineTo(x - 6, y + 5); ctx.closePath(); }
      else ctx.rect(x - 5, y - 5, 10, 10);
      ctx.fill(); ctx.stroke();
      ctx.fillStyle = "#222"; ctx.fillText(s.id, x + 8, y - 6);
    };
    data.radars.forEach((r) => site(r, "tri"));
    data.batteries.forEach((b) => site(b, "sq"));
    // Tracks of the shown parties: each party's picture, last 120 s.
    data.tracks.forEach((tr) => {
      if (!shown[tr.party] || !sources[tr.source]) return;
      const s = upTo(tr.samples, t).filter((p) => p[0] >= t - 120);
      if (!s.length || tr.samples[tr.samples.length - 1][0] < t - 2) return;
      ctx.strokeStyle = partyColor[tr.party]; ctx.lineWidth = 1.2; ctx.setLineDash(tr.source === "own" ? [] : [4, 3]);
      poly(ctx, s.map((p) => [p[1], p[2]])); ctx.stroke(); ctx.setLineDash([]);
      const [x, y] = proj(s[s.length - 1][1], s[s.length - 1][2]);
      ctx.strokeRect(x - 4, y - 4, 8, 8);
    });
    data.objects.forEach((o) => {
      const isThreat = o.kind === "threat";
      if (isThreat && !$("layer-truth").checked) return;
      if (!isThreat && !$("layer-interceptors").checked) return;
      const s = upTo(o.samples, t);
      if (!s.length) return;
      ctx.strokeStyle = isThreat ? "#e4572e" : partyColor[o.party] || "#333"; ctx.lineWidth = isThreat ? 2 : 1.2;
      poly(ctx, s.map((p) => [p[1], p[2]])); ctx.stroke();
      const last = s[s.length - 1];
      if (last[0] >= o.samples[o.samples.length - 1][0] && t > last[0] + 1) return;
      const [x, y] = proj(last[1], last[2]);
      ctx.fillStyle = ctx.strokeStyle; ctx.beginPath(); ctx.arc(x, y, isThreat ? 4 : 3, 0, 7); ctx.fill();
    });
    data.intercepts.forEach((i) => {
      if (i.t_s > t) return;
      const [x, y] = proj(i.lon, i.lat);
      ctx.strokeStyle = "#000"; ctx.fillStyle = "#ffd400"; ctx.beginPath(); ctx.arc(x, y, 6, 0, 7); ctx.fill(); ctx.stroke();
    });
    drawProfile(t);
  }

  // Altitude (km) against ground range from the object's first sample (km).
  function drawProfile(t) {
    const ctx = prof.getContext("2d");
    const w = prof.width, h = prof.height, m = 40;
    ctx.clearRect(0, 0, w, h);
    let rmax = 1, amax = 1;
    data.objects.forEach((o) => o.samples.forEach((s) => { rmax = Math.max(rmax, s[4]); amax = Math.max(amax, s[3] / 1000); }));
    const X = (r) => m + (r / rmax) * (w - 2 * m), Y = (a) => h - m + 10 - (a / amax) * (h - 2 * m);
    ctx.strokeStyle = "#999"; ctx.strokeRect(m, Y(amax), w - 2 * m, Y(0) - Y(amax));
    ctx.fillStyle = "#333";
    ctx.fillText("altitude (km) vs ground range from launch (km)", m, 12);
    ctx.fillText(`${Math.round(amax)} km`, 2, Y(amax) + 4); ctx.fillText("0", m - 10, Y(0));
    ctx.fillText(`${Math.round(rmax)} km`, w - m - 20, h - 4);
    data.objects.forEach((o) => {
      const isThreat = o.kind === "threat";
      if (isThreat && !$("layer-truth").checked) return;
      if (!isThreat && !$("layer-interceptors").checked) return;
      const s = upTo(o.samples, t);
      if (!s.length) return;
      ctx.strokeStyle = isThreat ? "#e4572e" : partyColor[o.party] || "#333";
      ctx.beginPath();
      s.forEach((p, i) => { const x = X(p[4]), y = Y(p[3] / 1000); if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y); });
      ctx.stroke();
    });
  }

  let timer = null;
  $("play").addEventListener("click", () => {
    if (timer) { clearInterval(timer); timer = null; $("play").textContent = "▶ play"; return; }
    $("play").textContent = "❚❚ pause";
    timer = setInterval(() => {
      const v = Number(slider.value) + 5;
      slider.value = v > Number(slider.max) ? 0 : v;
      draw();
    }, 50);
  });
  slider.addEventListener("input", draw);
  window.addEventListener("resize", () => { fit(map); fit(prof); draw(); });
  fit(map); fit(prof);
  slider.value = slider.max;
  draw();

  // A machine-readable list of what is drawn (used by the headless-browser test).
  const list = $("objects");
  const add = (kind, id) => { const li = document.createElement("li"); li.dataset.kind = kind; li.textContent = id; list.appendChild(li); };
  data.radars.forEach((r) => add("radar", r.id));
  data.batteries.forEach((b) => add("battery", b.id));
  data.objects.forEach((o) => add(o.kind, o.id));
  const perParty = {};
  data.tracks.forEach((tr) => (perParty[tr.party] = (perParty[tr.party] || 0) + 1));
  Object.keys(perParty).forEach((p) => add("tracks", `${p}: ${perParty[p]} tracks`));
  data.intercepts.forEach((i) => add("intercept", i.threat));
  status.textContent = `rendered ${data.objects.length} trajectories, ${data.tracks.length} tracks, ${data.coastlines.length} coastlines`;
  document.body.dataset.rendered = "true";
})();
