// Share links and the share kit, enhanced. Without this script every text
// stays selectable in its box, every wording of the kit is shown, and the
// Mastodon link leads to the text to paste.
//
// - A "Copy" button beside each [data-copy] box.
// - The Mastodon link asks once for the visitor's server and opens its share
//   page. The server is remembered in this browser (localStorage) only after
//   the visitor has typed it; nothing is sent anywhere but to that server.
// - The kit shows one wording of each text at a time, a different one for each
//   colleague, with a button for the next: not everyone posts the same words.
// - A colleague who consented (share_stats: true) may pick their name: the
//   kit's links then end with ?p=<their slug>, remembered in this browser only.

const STORAGE_KEY = "ambassade.mastodon-server";
const strings = document.querySelector("[data-share-strings]")?.dataset ?? {};

function addCopyButtons() {
  for (const box of document.querySelectorAll("[data-copy]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "share-copy__button";
    button.textContent = strings.copyLabel || "Copy";
    const status = document.createElement("span");
    status.className = "share-copy__status";
    status.setAttribute("role", "status");
    button.addEventListener("click", async () => {
      const text = box.value ?? box.textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        // Older browsers, or a page not served over https: select it for the visitor.
        box.focus();
        box.select?.();
        document.execCommand?.("copy");
      }
      status.textContent = strings.copiedLabel || "Copied";
      setTimeout(() => { status.textContent = ""; }, 3000);
    });
    // In the kit, beside the share button; elsewhere, under the text.
    const actions = box.parentElement.querySelector(".kit-variant__actions");
    if (actions) actions.prepend(button, status);
    else box.after(button, status);
  }
}

function storedServer() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: ask every time
  }
}

function remember(server) {
  try {
    if (server) localStorage.setItem(STORAGE_KEY, server);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: nothing to remember
  }
}

// "https://piaille.fr/@me", "@me@piaille.fr" or "piaille.fr" all mean the server piaille.fr.
function serverOf(typed) {
  let value = typed.trim().toLowerCase().replace(/^https?:\/\//, "");
  value = value.split("/")[0];
  value = value.slice(value.lastIndexOf("@") + 1);
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+(:[0-9]+)?$/.test(value) ? value : null;
}

function openShare(server, text) {
  window.open(`https://${server}/share?text=${encodeURIComponent(text)}`, "_blank", "noopener");
}

function promptFor(link) {
  const existing = link.closest("section")?.querySelector(".mastodon-prompt");
  if (existing) {
    existing.querySelector("input").focus();
    return;
  }
  const form = document.createElement("form");
  form.className = "mastodon-prompt";
  const id = "mastodon-server-" + Math.random().toString(36).slice(2);
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = strings.instanceLabel || "Your Mastodon server";
  const input = document.createElement("input");
  input.id = id;
  input.type = "text";
  input.inputMode = "url";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.required = true;
  const error = document.createElement("p");
  error.className = "mastodon-prompt__error";
  error.setAttribute("role", "alert");
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.textContent = strings.instanceSubmit || "Share on Mastodon";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = strings.instanceCancel || "Cancel";
  cancel.addEventListener("click", () => { form.remove(); link.focus(); });
  form.append(label, input, submit, cancel, error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const server = serverOf(input.value);
    if (!server) {
      error.textContent = strings.instanceInvalid || "Type a server name such as mastodon.social.";
      input.focus();
      return;
    }
    remember(server);
    form.remove();
    addForget(link);
    openShare(server, link.dataset.shareMastodon);
  });
  (link.closest("ul") ?? link.parentElement).after(form);
  input.focus();
}

function addForget(link) {
  const item = link.closest("li") ?? link.parentElement;
  if (item.querySelector(".mastodon-forget")) return;
  const forget = document.createElement("button");
  forget.type = "button";
  forget.className = "mastodon-forget";
  forget.textContent = strings.instanceForget || "Forget my Mastodon server";
  forget.addEventListener("click", () => { remember(null); forget.remove(); link.focus(); });
  item.append(forget);
}

function enhanceMastodon() {
  for (const link of document.querySelectorAll("[data-share-mastodon]")) {
    if (storedServer()) addForget(link);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const server = storedServer();
      if (server) openShare(server, link.dataset.shareMastodon);
      else promptFor(link);
    });
  }
}

const PERSON_KEY = "ambassade.kit-person";

function stored(key) {
  try {
    return localStorage.getItem(key) || "";
  } catch {
    return "";
  }
}

function store(key, value) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // storage disabled: the choice lasts as long as the page
  }
}

// A small, stable number from a text: the same colleague gets the same first wording of an item.
function spread(text) {
  let h = 0;
  for (const c of text) h = (h * 31 + c.codePointAt(0)) >>> 0;
  return h;
}

function showVariant(net, index) {
  const variants = [...net.querySelectorAll(".kit-variant")];
  variants.forEach((v, i) => { v.hidden = i !== index; });
  net.dataset.shown = String(index);
  const label = net.querySelector(".kit-net__next");
  if (label) {
    label.textContent = `${strings.nextLabel || "Another wording"} (${index + 1}/${variants.length})`;
  }
}

function rotateVariants(person) {
  for (const net of document.querySelectorAll(".kit-net")) {
    const variants = net.querySelectorAll(".kit-variant");
    if (variants.length < 2) continue;
    if (!net.querySelector(".kit-net__next")) {
      const next = document.createElement("button");
      next.type = "button";
      next.className = "kit-net__next share-copy__button";
      next.addEventListener("click", () => {
        showVariant(net, (Number(net.dataset.shown) + 1) % variants.length);
        net.querySelector(".kit-variant:not([hidden]) textarea")?.focus();
      });
      net.querySelector(".kit-net__name").after(next);
    }
    const item = net.closest("[data-kit-item]")?.dataset.kitItem ?? "";
    // Without a name, chance spreads the wordings among colleagues.
    const start = person ? spread(person + item + net.dataset.kitNetwork) : Math.floor(Math.random() * 1e9);
    showVariant(net, start % variants.length);
  }
}

function personalise(person, param) {
  for (const net of document.querySelectorAll(".kit-net[data-link]")) {
    const base = net.dataset.link;
    const mine = person ? `${base}?${param}=${encodeURIComponent(person)}` : base;
    const current = net.dataset.current || base;
    const swap = (text) => text.split(current).join(mine)
      .split(encodeURIComponent(current)).join(encodeURIComponent(mine));
    for (const box of net.querySelectorAll("textarea")) box.value = swap(box.value);
    for (const link of net.querySelectorAll("a[data-share-intent]")) link.href = swap(link.href);
    for (const link of net.querySelectorAll("[data-share-mastodon]")) {
      link.dataset.shareMastodon = swap(link.dataset.shareMastodon);
    }
    net.dataset.current = mine;
  }
}

function enhanceKit() {
  const chooser = document.querySelector("[data-kit-person]");
  const select = chooser?.querySelector("select");
  let person = "";
  if (select) {
    const param = chooser.dataset.personParam || "p";
    const known = [...select.options].map((o) => o.value);
    person = known.includes(stored(PERSON_KEY)) ? stored(PERSON_KEY) : "";
    select.value = person;
    personalise(person, param);
    select.addEventListener("change", () => {
      person = select.value;
      store(PERSON_KEY, person);
      personalise(person, param);
      rotateVariants(person);
    });
    chooser.hidden = false;
  }
  rotateVariants(person);
}

addCopyButtons();
enhanceMastodon();
enhanceKit();
