// "From our experts": show a random selection of recent posts on each visit.
// The cards come pre-rendered (and sanitized) by the build in the page's
// language; without this script the page keeps its fixed selection.
const section = document.querySelector("[data-recent-posts]");
const list = section?.querySelector(".posts");

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

if (section && list) {
  const response = await fetch(section.dataset.recentPosts, { credentials: "same-origin" });
  if (response.ok) {
    const { cards } = await response.json();
    const count = Number(section.dataset.count) || cards.length;
    const parser = new DOMParser();
    const items = shuffled(cards).slice(0, count).map((html) => {
      const doc = parser.parseFromString(html, "text/html");
      return document.importNode(doc.querySelector("li"), true);
    });
    if (items.length) list.replaceChildren(...items);
  }
}
