// paperlayout serve: draws /state, refreshes it on every server-sent event. No build step.
"use strict";
const $ = (id) => document.getElementById(id);
let state = null;
let zoom = "fit";
let view = "pages";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function pct(v, total) { return (100 * v / total).toFixed(4) + "%"; }

function pageWidth(page) {
  if (view === "sheet" || zoom === "fit") return "";
  const dpi = state.dpi || 150;
  return zoom === "pixels" ? page.width + "px" : (page.width * 96 / dpi).toFixed(1) + "px";
}

function drawPages() {
  const host = $("pages");
  const old = new Map([...host.querySelectorAll(".page")].map((n) => [n.dataset.page, n]));
  host.replaceChildren();
  for (const page of state.pages) {
    let node;
    if (!page.url) {
      node = el("div", { class: "page missing", "data-page": page.number },
        el("strong", { text: `page ${page.number}: not laid out` }),
        el("p", { text: "See the diagnostics: the copy does not fit, or a pin cannot be met." }));
    } else {
      const previous = old.get(String(page.number));
      const img = previous && previous.querySelector("img").getAttribute("src") === page.url
        ? previous.querySelector("img")
        : el("img", { class: "proof", src: page.url, alt: `page ${page.number}`, "data-page": page.number,
                      width: page.width, height: page.height });
      const marks = el("div", { class: "marks" });
      for (const m of page.marks) {
        const box = el("div", { class: `mark ${m.level}`, "data-index": m.index, "data-code": m.code, title: `${m.where}\n${m.message}` },
          el("span", { text: m.label }));
        box.style.left = pct(m.px[0], page.width); box.style.top = pct(m.px[1], page.height);
        box.style.width = pct(m.px[2], page.width); box.style.height = pct(m.px[3], page.height);
        box.addEventListener("click", () => select(m.index, m.code, false));
        marks.append(box);
      }
      node = el("div", { class: "page", id: `page-${page.number}`, "data-page": page.number },
        el("span", { class: "number", text: page.number }), img, marks);
      node.style.width = pageWidth(page);
    }
    host.append(node);
  }
}

function drawDiagnostics() {
  const list = $("diagnostics");
  list.replaceChildren();
  $("count").textContent = `(${state.diagnostics.length})`;
  for (const d of state.diagnostics) {
    const loc = d.file ? `${d.file}:${d.line}` : d.where;
    const item = el("li", { class: d.level, "data-index": d.index, "data-code": d.code },
      el("span", { class: "code", text: `${d.index >= 0 ? d.index + 1 + " " : ""}${d.code}` }), " ",
      el("span", { class: "msg", text: d.message }), el("span", { class: "loc", text: d.file ? `${loc} ${d.where.slice(loc.length).trim()}` : loc }));
    item.addEventListener("click", () => select(d.index, d.code, true));
    list.append(item);
  }
}

function drawFigures() {
  const host = $("figures");
  host.replaceChildren();
  for (const p of state.pages) {
    const rows = [["fill", (100 * p.fill).toFixed(1) + " %"], ["largest hole", `${p.largest_hole_rows} rows`],
                  ["characters set", p.chars], ["jumps", p.jumps.length ? p.jumps.join("; ") : "none"]];
    host.append(el("div", { class: "figures", "data-page": p.number },
      el("strong", { text: `page ${p.number}` }),
      el("table", {}, ...rows.map(([k, v]) => el("tr", {}, el("td", { text: k }), el("td", { text: String(v) })))),
      el("details", {}, el("summary", { text: "why this layout" }), el("ul", {}, ...p.plan.map((line) => el("li", { text: line }))))));
  }
}

function select(index, code, scroll) {
  document.querySelectorAll(".flash, .current").forEach((n) => n.classList.remove("flash", "current"));
  const sel = index >= 0 ? `[data-index="${index}"]` : `[data-index="-1"][data-code="${code}"]`;
  const box = document.querySelector(`.mark${sel}`);
  const item = document.querySelector(`#diagnostics li${sel}`);
  if (box) { box.classList.add("flash"); if (scroll) box.scrollIntoView({ block: "center", inline: "center", behavior: "instant" }); }
  if (item) { item.classList.add("current"); if (!scroll) item.scrollIntoView({ block: "nearest" }); }
}

function drawStatus() {
  const s = $("status");
  s.classList.toggle("building", !!state.building);
  const rendered = (state.rendered || []).length;
  s.textContent = state.building ? "building…"
    : state.error ? `build failed (${state.seconds} s)`
    : `built in ${state.seconds} s; ${rendered} page(s) redrawn`;
  $("error").hidden = !state.error;
  $("error-text").textContent = state.error || "";
  $("title").textContent = state.title || "paperlayout";
}

async function refresh() {
  const response = await fetch("/state", { cache: "no-store" });
  const next = await response.json();
  if (state && next.version === state.version) return;  // already drawn (the first event repeats it)
  state = next;
  drawStatus();
  if (!state.building) { drawPages(); drawDiagnostics(); drawFigures(); }
  document.body.dataset.version = state.version;
  document.body.dataset.building = state.building ? "1" : "0";
}

function setView() {
  $("pages").classList.toggle("sheet", view === "sheet");
  document.body.classList.toggle("zoom-fit", zoom === "fit" || view === "sheet");
  for (const [id, on] of [["view-pages", view === "pages"], ["view-sheet", view === "sheet"], ["zoom-fit", zoom === "fit"],
                          ["zoom-actual", zoom === "actual"], ["zoom-pixels", zoom === "pixels"]]) $(id).classList.toggle("on", on);
  if (state) drawPages();
}

$("overlay").addEventListener("change", (e) => document.body.classList.toggle("no-overlay", !e.target.checked));
$("view-pages").addEventListener("click", () => { view = "pages"; setView(); });
$("view-sheet").addEventListener("click", () => { view = "sheet"; setView(); });
$("zoom-fit").addEventListener("click", () => { zoom = "fit"; view = "pages"; setView(); });
$("zoom-actual").addEventListener("click", () => { zoom = "actual"; view = "pages"; setView(); });
$("zoom-pixels").addEventListener("click", () => { zoom = "pixels"; view = "pages"; setView(); });
setView();

const events = new EventSource("/events");
events.addEventListener("state", refresh);
events.addEventListener("building", refresh);
events.onerror = () => { $("status").textContent = "server not reachable; retrying…"; };
refresh();
