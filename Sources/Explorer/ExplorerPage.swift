/// The explorer's page: one HTML file with its script, no outside resources.
///
/// Click or drag on the picture (left) to move the query; the view (right) is the picture
/// `vis` renders for that query and these controls, fetched from `/api/map`. One request is
/// in flight at a time: a click that arrives meanwhile replaces any click still waiting
/// (newest wins), so dragging never queues work. The values under the pointer (weight, row,
/// column) come from `/api/values`. The click-to-picture times (from the click to the new
/// picture decoded) are kept in `window.visTimings` and shown under the view; a test reads
/// `visClicks`, `visShownClick` and `visLastQuery` to know which click a picture answers.
/// The modes come from `/api/info`; with a trained vision transformer the block, head and
/// query-token selectors appear (keys: `[`/`]` block, `-`/`=` head) and its top classes are
/// listed; with the trained RAM a click places the first glimpse.
enum ExplorerPage {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vis explore</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;display:flex;height:100vh;color:#222}
#list{width:200px;overflow:auto;border-right:1px solid #ccc;padding:8px;box-sizing:border-box}
#list a{display:block;padding:3px 4px;cursor:pointer;word-break:break-all;color:#036;text-decoration:none}
#list a.current{background:#def}
#main{flex:1;padding:10px;overflow:auto}
#controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin-bottom:8px}
#panes{display:flex;gap:12px;align-items:flex-start}
#picture{cursor:crosshair;max-width:45vw;image-rendering:auto;user-select:none}
#view{max-width:50vw}
#status{margin-top:6px;font-family:monospace;white-space:pre}
</style></head>
<body>
<div id="list"></div>
<div id="main">
 <div id="controls">
  <label>mode <select id="mode"><option>self</option><option>axial</option><option>coord</option></select></label>
  <span id="network" hidden>
   <label>block <select id="layer"></select></label>
   <label>head <select id="head"></select></label>
   <label>query <select id="token"></select></label>
  </span>
  <label><input type="checkbox" id="heads"> per-head grid</label>
  <label>colormap <select id="colormap"></select></label>
  <label>opacity <input type="range" id="alpha" min="0" max="1" step="0.05" value="0.5"></label>
  <label>percentiles <input id="percentile" size="6" placeholder="LO,HI"></label>
  <button id="save">save PNG</button>
 </div>
 <div id="panes"><img id="picture" alt="click to move the query" draggable="false"><img id="view" alt=""></div>
 <div id="status"><span id="under"></span>
<span id="timing"></span>
<span id="predictions"></span>
<span id="message"></span></div>
</div>
<script>
"use strict";
const colormaps = ["jet","viridis","magma","inferno","plasma","turbo","gray"];
const $ = id => document.getElementById(id);
for (const name of colormaps) { const o = document.createElement("option"); o.textContent = name; $("colormap").appendChild(o); }
const state = {image: 0, x: null, y: null, info: null, values: null};
window.visTimings = [];
window.visRequests = [];
window.visClicks = 0;      // clicks and drags on the picture so far
window.visShownClick = 0;  // the click whose picture is shown
let inFlight = false, waiting = null;

function params(extra) {
  const p = new URLSearchParams({image: state.image, mode: $("mode").value,
    x: state.x, y: state.y, heads: $("heads").checked ? 1 : 0,
    colormap: $("colormap").value, alpha: $("alpha").value});
  const pct = $("percentile").value.trim();
  if (pct) p.set("percentile", pct);
  if (!$("network").hidden) {
    if ($("layer").value !== "") p.set("layer", $("layer").value);
    if ($("head").value !== "") p.set("head", $("head").value);
    if ($("token").value !== "") p.set("token", $("token").value);
  }
  for (const k in (extra || {})) p.set(k, extra[k]);
  return p;
}

function ask(clickTime) {
  if (state.x === null) return;
  const p = params();
  if (inFlight) { waiting = {clickTime}; return; }   // newest wins: only the last waits
  inFlight = true;
  const click = window.visClicks;
  window.visRequests.push(p.toString());
  window.visLastQuery = {x: state.x, y: state.y, request: p.toString(), click: click};
  fetch("api/map?" + p).then(async r => {
    if (!r.ok) throw new Error(await r.text());
    const blob = await r.blob();
    const url = URL.createObjectURL(blob);
    await new Promise((done, fail) => { $("view").onload = done; $("view").onerror = fail; $("view").src = url; });
    const ms = performance.now() - clickTime;
    window.visTimings.push(ms);
    $("timing").textContent = "click to picture: " + ms.toFixed(1) + " ms (render " + r.headers.get("X-Vis-Render-Ms") + " ms)";
    $("message").textContent = "";
    window.visShown = p.toString();
    window.visShownClick = click;
    window.visReady = true;
    return fetch("api/values?" + p).then(v => v.json()).then(v => { state.values = v; });
  }).catch(e => { $("message").textContent = String(e.message || e); })
    .finally(() => {
      inFlight = false;
      if (waiting) { const w = waiting; waiting = null; ask(w.clickTime); }
    });
}

function pointerToImage(ev) {
  const img = $("picture"), info = state.info;
  const x = Math.floor(ev.offsetX * info.width / img.clientWidth);
  const y = Math.floor(ev.offsetY * info.height / img.clientHeight);
  return [Math.min(info.width - 1, Math.max(0, x)), Math.min(info.height - 1, Math.max(0, y))];
}

$("picture").addEventListener("mousedown", ev => {
  window.visClicks++;
  [state.x, state.y] = pointerToImage(ev); ask(performance.now());
});
$("picture").addEventListener("mousemove", ev => {
  if (!state.info) return;
  const [x, y] = pointerToImage(ev);
  if (ev.buttons & 1) { window.visClicks++; state.x = x; state.y = y; ask(performance.now()); }
  const v = state.values;
  if (v) {
    const col = Math.min(v.columns - 1, Math.floor(x * v.columns / state.info.width));
    const row = Math.min(v.rows - 1, Math.floor(y * v.rows / state.info.height));
    $("under").textContent = "weight " + v.values[row * v.columns + col].toExponential(3) + "  row " + row + "  column " + col +
      "  (query row " + v.queryRow + ", column " + v.queryColumn + ")";
  }
});
for (const id of ["mode", "heads", "colormap", "alpha", "percentile", "layer", "head", "token"]) $(id).addEventListener("change", () => ask(performance.now()));

function fill(select, entries, keep) {
  const old = select.value;
  select.innerHTML = "";
  for (const [value, label] of entries) { const o = document.createElement("option"); o.value = value; o.textContent = label; select.appendChild(o); }
  if (keep && [...select.options].some(o => o.value === old)) select.value = old;
}

function step(select, by) {
  const i = Math.min(select.options.length - 1, Math.max(0, select.selectedIndex + by));
  if (i !== select.selectedIndex) { select.selectedIndex = i; ask(performance.now()); }
}
document.addEventListener("keydown", ev => {
  if ($("network").hidden || ev.target.tagName === "INPUT") return;
  if (ev.key === "[") step($("layer"), -1); else if (ev.key === "]") step($("layer"), 1);
  else if (ev.key === "-") step($("head"), -1); else if (ev.key === "=") step($("head"), 1);
});

function showNetwork(info) {
  fill($("mode"), info.modes.map(m => [m, m]), true);
  const net = info.network;
  $("network").hidden = !(net && net.kind === "vision transformer");
  $("predictions").textContent = net && net.predictions ? "top classes: " + net.predictions.map(p => p.name + " " + (100 * p.probability).toFixed(1) + "%").join(", ") : "";
  if ($("network").hidden) return;
  fill($("layer"), [["", "last"]].concat([...Array(net.blocks).keys()].map(i => [String(i), String(i)])), true);
  fill($("head"), [["", "mean"]].concat([...Array(net.heads).keys()].map(i => [String(i), String(i)])), true);
  const tokens = [["", "the clicked patch"]];
  if (net.classToken) tokens.push(["cls", "class token"]);
  for (let k = 0; k < net.registers; k++) tokens.push(["register:" + k, "register " + k]);
  fill($("token"), tokens, true);
}

$("save").addEventListener("click", async () => {
  if (state.x === null) return;
  let r = await fetch("api/save?" + params(), {method: "POST"});
  if (r.status === 409) {
    const body = await r.json();
    if (!confirm(body.exists + " exists. Replace it?")) return;
    r = await fetch("api/save?" + params({overwrite: 1}), {method: "POST"});
  }
  $("message").textContent = r.ok ? "saved " + (await r.json()).saved : await r.text();
});

async function open(index) {
  state.image = index;
  document.querySelectorAll("#list a").forEach((a, i) => a.className = i === index ? "current" : "");
  state.info = await (await fetch("api/info?image=" + index)).json();
  showNetwork(state.info);
  await new Promise(done => { $("picture").onload = done; $("picture").src = "api/picture?image=" + index; });
  state.x = Math.floor(state.info.width / 2); state.y = Math.floor(state.info.height / 2);
  ask(performance.now());
}

fetch("api/images").then(r => r.json()).then(list => {
  for (const item of list) {
    const a = document.createElement("a"); a.textContent = item.name; a.onclick = () => open(item.index);
    $("list").appendChild(a);
  }
  const search = new URLSearchParams(location.search);
  const named = list.findIndex(item => item.name === search.get("name"));
  const start = named >= 0 ? named : Number(search.get("image") || 0);
  open(Math.min(Math.max(0, start), list.length - 1));   // visReady once its first map is shown
});
</script>
</body></html>
"""#
}
