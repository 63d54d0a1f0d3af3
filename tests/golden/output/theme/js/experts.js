// The experts directory, filtered as the reader chooses. Without this script the
// filters are links to a page per topic, city, language and team; with it, one
// menu per facet filters the cards in place, and the address keeps the choice
// (?expertise=cloud&ville=lyon) so that it can be shared.
const box = document.querySelector("[data-directory-filters]");
const grid = document.querySelector("[data-directory]");
const count = document.querySelector("[data-directory-count]");

if (box && grid) {
  const text = box.dataset;
  const cards = [...grid.querySelectorAll(".expert-card")];
  const facets = [...box.querySelectorAll("[data-facet]")].map((facet) => ({
    name: facet.dataset.facet,
    title: facet.querySelector(".facet__title").textContent,
    // The address's word for the facet: the one its filtered pages use (experts/ville/lyon/).
    word: new URL(facet.querySelector("a").href).pathname.split("/").slice(-3, -2)[0],
    values: [...facet.querySelectorAll("a[data-key]")].map((a) => ({
      key: a.dataset.key,
      name: a.querySelector("[data-name]").textContent,
    })),
  }));

  const form = document.createElement("form");
  form.className = "directory-form";
  form.setAttribute("aria-label", box.querySelector("summary").textContent);
  const fields = document.createElement("div");
  fields.className = "directory-form__fields";
  const selects = facets.map((facet) => {
    const label = document.createElement("label");
    const select = document.createElement("select");
    select.name = facet.word;
    select.dataset.facet = facet.name;
    select.append(new Option(text.labelAll, ""));
    for (const value of facet.values) select.append(new Option(value.name, value.key));
    label.append(facet.title, select);
    fields.append(label);
    return select;
  });
  const reset = document.createElement("button");
  reset.type = "reset";
  reset.textContent = text.labelReset;
  fields.append(reset);
  form.append(fields);
  box.replaceWith(form);

  // "12 experts": the catalogs' singular and plural, chosen by the page language's rules.
  const plural = new Intl.PluralRules(document.documentElement.lang);
  const said = count ? count.textContent : "";
  count?.setAttribute("role", "status");

  function apply() {
    const chosen = selects.filter((s) => s.value).map((s) => [s.dataset.facet, s.value]);
    let shown = 0;
    for (const card of cards) {
      const keep = chosen.every(([facet, key]) => (card.dataset[facet] || "").split(" ").includes(key));
      card.hidden = !keep;
      shown += keep;
    }
    if (count) {
      const words = plural.select(shown) === "one" ? text.countOne : text.countOther;
      count.textContent = chosen.length ? words.replace("{num}", shown.toLocaleString(document.documentElement.lang)) : said;
    }
    const url = new URL(location.href);
    for (const select of selects) {
      if (select.value) url.searchParams.set(select.name, select.value);
      else url.searchParams.delete(select.name);
    }
    history.replaceState(null, "", url);
  }

  const asked = new URLSearchParams(location.search);
  for (const select of selects) {
    const value = asked.get(select.name);
    if (value && [...select.options].some((o) => o.value === value)) select.value = value;
  }
  form.addEventListener("change", apply);
  // A reset puts the menus back after this event: filter once it has.
  form.addEventListener("reset", () => setTimeout(apply));
  form.addEventListener("submit", (event) => event.preventDefault());
  if (selects.some((s) => s.value)) apply();
}
