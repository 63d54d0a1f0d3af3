// Site search with Pagefind's own API. The page works without this script:
// the experts directory below the form stays visible until a search runs.
const form = document.querySelector("[data-search-form]");
const fallback = document.querySelector("[data-search-fallback]");
const input = form.querySelector("#search-query");
const status = form.querySelector("[data-search-status]");
const list = form.querySelector("[data-search-results]");
const filterBox = form.querySelector("[data-search-filters]");
const siteRoot = new URL("../../", import.meta.url);
const text = form.dataset;

// A large site's index comes in parts (pagefind/parts.json): the first is
// loaded, the others are merged into it and searched with it. A site with
// nothing to find yet lists none: the form stays hidden.
async function indexParts() {
  try {
    const response = await fetch(new URL("pagefind/parts.json", siteRoot));
    if (response.ok) return (await response.json()).parts;
  } catch {
    // Without the list, the first part alone is searched.
  }
  return ["pagefind/"];
}

const parts = await indexParts();
const pagefind = parts.length ? await import(new URL("pagefind/pagefind.js", siteRoot).href) : null;
if (pagefind) {
  await pagefind.options({ baseUrl: siteRoot.pathname });
  pagefind.init();
  // Pagefind waits forever on a part it cannot load: a part that is not there
  // (a deploy that lost it) is left out, and the others are searched.
  const others = parts.slice(1).map((part) => new URL(part, siteRoot));
  const found = await Promise.all(others.map((url) => fetch(new URL("pagefind-entry.json", url))
    .then((response) => response.ok, () => false)));
  for (const [i, url] of others.entries()) {
    if (found[i]) await pagefind.mergeIndex(url.pathname, { baseUrl: siteRoot.pathname });
  }
}

function label(filter, value) {
  if (filter === "kind") return text[`kind${value[0].toUpperCase()}${value.slice(1)}`] || value;
  if (filter === "language") return text[`language${value[0].toUpperCase()}${value.slice(1)}`] || value;
  return value;
}

// Expert pages are indexed once, in the default language; open them in the reader's.
function localUrl(url, kind) {
  if (kind !== "expert" || text.lang === text.defaultLang) return url;
  const root = siteRoot.pathname;
  return root + text.lang + "/" + url.slice(root.length);
}

// Pagefind excerpts mark hits with <mark>; rebuild them as nodes, never as HTML.
// A <textarea> decodes entities without parsing markup or dropping the spaces
// around a hit (an HTML document would trim them).
const decoder = document.createElement("textarea");
function decode(text) {
  decoder.innerHTML = text;
  return decoder.value;
}

function excerpt(html) {
  const p = document.createElement("p");
  const parts = html.split(/<\/?mark>/);
  parts.forEach((part, i) => {
    const plain = decode(part);
    if (i % 2) {
      const mark = document.createElement("mark");
      mark.textContent = plain;
      p.append(mark);
    } else {
      p.append(plain);
    }
  });
  return p;
}

async function buildFilters() {
  const filters = await pagefind.filters();
  for (const name of ["kind", "expertise", "language"]) {
    const values = Object.keys(filters[name] || {}).sort((a, b) => a.localeCompare(b));
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = text[`label${name[0].toUpperCase()}${name.slice(1)}`];
    fieldset.append(legend);
    for (const value of values) {
      const lab = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      lab.append(box, " ", label(name, value));
      fieldset.append(lab);
    }
    filterBox.append(fieldset);
  }
}

function selectedFilters() {
  const selected = {};
  for (const box of filterBox.querySelectorAll("input:checked")) {
    (selected[box.name] ||= { any: [] }).any.push(box.value);
  }
  return selected;
}

let latest = 0;
async function run() {
  const query = input.value.trim();
  const filters = selectedFilters();
  const ticket = ++latest;
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    status.textContent = "";
    fallback.hidden = false;
    return;
  }
  const search = await pagefind.search(query || null, { filters });
  const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  if (ticket !== latest) return;
  fallback.hidden = true;
  status.textContent = results.length ? text.results.replace("{num}", search.results.length) : text.noResults;
  list.replaceChildren(...results.map((r) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    const kind = (r.filters.kind || [])[0];
    a.href = localUrl(r.url, kind);
    a.textContent = r.meta.title;
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = ` — ${label("kind", kind || "")}`;
    li.append(a, meta, excerpt(r.excerpt));
    return li;
  }));
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history.replaceState(null, "", url);
}

let timer;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
filterBox.addEventListener("change", run);
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });

if (pagefind) {
  await buildFilters();
  form.hidden = false;
  input.value = new URLSearchParams(location.search).get("q") || "";
  if (input.value) run();
}
