// Site search with Pagefind's own API. The page works without this script:
// the experts directory below the form stays visible until a search runs.
//
// One index holds both languages, so that a reader finds an article that exists
// only in the other one. A search for a topic (any of its names or synonyms) lists
// what is tagged with it. A search lists the pages in the reader's language first
// (filter "in"), then the articles that have no version in it (filter "also"),
// each group ranked by Pagefind. Accents and case do not matter (Pagefind folds
// them); the words a page is found by include the names and synonyms of its
// topics (theme/templates/partials/search_fields.html).
const form = document.querySelector("[data-search-form]");
const fallback = document.querySelector("[data-search-fallback]");
const input = form.querySelector("#search-query");
const status = form.querySelector("[data-search-status]");
const list = form.querySelector("[data-search-results]");
const filterBox = form.querySelector("[data-search-filters]");
const more = form.querySelector("[data-search-more]");
const siteRoot = new URL("../../", import.meta.url);
const text = form.dataset;
const here = text.lang;
const names = JSON.parse(text.names || "{}");
const plural = new Intl.PluralRules(here);
const PAGE = 20;

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

function capitalized(value) {
  return value[0].toUpperCase() + value.slice(1);
}

function label(filter, value) {
  if (filter === "kind") return text[`kind${capitalized(value)}`] || value;
  if (filter === "expertise") return (names.topics || {})[value] || value;
  if (filter === "language") return (names.languages || {})[value] || value;
  return value;
}

// "1 résultat", "2 résultats": the catalog's two forms, chosen by the language's own rules.
function counted(n) {
  const words = plural.select(n) === "one" ? text.resultsOne : text.resultsOther;
  return words.replace("{num}", n.toLocaleString(here));
}

// Pagefind excerpts mark hits with <mark>; rebuild them as nodes, never as HTML.
// A <textarea> decodes entities without parsing markup or dropping the spaces
// around a hit (an HTML document would trim them).
const decoder = document.createElement("textarea");
function decode(html) {
  decoder.innerHTML = html;
  return decoder.value;
}

function excerpt(html) {
  const p = document.createElement("p");
  html.split(/<\/?mark>/).forEach((part, i) => {
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

function folded(value) {
  return value.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

// When no word of the index starts with a searched word, Pagefind answers with
// the pages holding the longest word that the searched one starts with: "xyzzy"
// found every page with an "x". A page is an answer only if, for each word
// searched, it holds a word that starts like it (its first 60 %, 3 letters at least).
function answers(data, query) {
  const words = new Set(folded(data.content).split(/[^\p{L}\p{N}]+/u));
  return folded(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean).every((term) => {
    const start = term.slice(0, Math.max(3, Math.ceil(term.length * 0.6)));
    return [...words].some((word) => word.startsWith(start));
  });
}

async function buildFilters() {
  const filters = await pagefind.filters();
  for (const name of ["kind", "expertise", "language"]) {
    const values = Object.keys(filters[name] || {})
      .sort((a, b) => label(name, a).localeCompare(label(name, b), here));
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = text[`label${capitalized(name)}`];
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

function item(data, lang) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  const kind = (data.filters.kind || [])[0] || "";
  a.href = data.url;
  a.textContent = data.meta.title;
  li.append(a);
  const own = (data.filters.in || [])[0];
  if (own && own !== lang) {
    a.lang = own;
    a.hreflang = own;
    const badge = document.createElement("abbr");
    badge.className = "badge badge--lang";
    badge.title = label("language", own);
    badge.textContent = own.toUpperCase();
    li.append(" ", badge);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = ` — ${label("kind", kind)}`;
  // What the page says of itself (an article's summary, an expert's role, a topic's description),
  // else the words around the hit.
  const said = (data.meta.description || "").trim();
  const body = said ? Object.assign(document.createElement("p"), { textContent: said }) : excerpt(data.excerpt);
  if (own && own !== lang) body.lang = own;
  li.append(meta, body);
  return li;
}

let latest = 0;
let pending = [];
let query = "";

async function showMore(ticket) {
  const next = pending.splice(0, PAGE);
  const loaded = await Promise.all(next.map((r) => r.data()));
  if (ticket !== latest) return;
  list.append(...loaded.map((data) => item(data, here)));
  more.hidden = !pending.length;
}

async function run() {
  query = input.value.trim();
  const filters = selectedFilters();
  const ticket = ++latest;
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    fallback.hidden = false;
    return;
  }
  // A topic's name or synonym, in any language: exactly what is tagged with the topic
  // (or a narrower one), its page first, then its experts by name, then its articles,
  // newest first. Any other words: Pagefind's ranking of the pages that hold them.
  // Its words are among the names and synonyms every tagged page is indexed with, so that the
  // search loads only the index's chunks of those words, as any other search does.
  const topic = query && (names.terms || {})[folded(query).replace(/\s+/g, " ")];
  const term = query || null;
  const tagged = topic ? { ...filters, expertise: topic } : filters;
  const kinds = filters.kind ? filters.kind.any : ["topic", "expert", "article"];
  const searches = topic
    ? [
      [{ ...tagged, in: here, kind: "topic" }],
      [{ ...tagged, in: here, kind: "expert" }, { name: "asc" }],
      [{ ...tagged, in: here, kind: "article" }, { date: "desc" }],
      [{ ...tagged, also: here }, { date: "desc" }],
    ].filter(([f]) => !f.kind || kinds.includes(f.kind))
    : [[{ ...filters, in: here }], [{ ...filters, also: here }]];
  const groups = await Promise.all(searches.map(([f, sort]) => pagefind.search(term, sort ? { filters: f, sort } : { filters: f })));
  // A group answered by Pagefind's near words only is no answer (see answers()).
  const kept = await Promise.all(groups.map(async (group) => {
    if (!term || !group.results.length) return group.results;
    return answers(await group.results[0].data(), query) ? group.results : [];
  }));
  if (ticket !== latest) return;
  pending = kept.flat();
  fallback.hidden = true;
  status.textContent = pending.length ? counted(pending.length) : text.noResults;
  list.replaceChildren();
  await showMore(ticket);
  const url = new URL(location.href);
  url.searchParams.set("q", query);
  history.replaceState(null, "", url);
}

let timer;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
filterBox.addEventListener("change", run);
more.addEventListener("click", () => showMore(latest));
form.addEventListener("submit", (event) => { event.preventDefault(); run(); });

if (pagefind) {
  await buildFilters();
  form.hidden = false;
  input.value = new URLSearchParams(location.search).get("q") || "";
  if (input.value) run();
}
