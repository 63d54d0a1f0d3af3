// Served by `invoke livereload` only, never part of a build: the live server adds this
// script to each page it sends. It listens for the end of each build: a build that
// succeeded reloads the page; one stopped by errors shows them over the page, file:line
// each, until a build succeeds. Every word it shows comes from the server, in the tools'
// language (ambassade's catalogs).
(() => {
  "use strict";
  const script = document.currentScript;
  const served = Number(script.dataset.build);
  const base = script.src.replace(/live\.js.*$/, "");
  let overlay = null;

  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = base + "live.css";
  document.head.append(style);

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };

  const hide = () => {
    if (overlay) overlay.remove();
    overlay = null;
  };

  const show = (state) => {
    hide();
    overlay = element("section", "ambassade-live");
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-labelledby", "ambassade-live-title");
    const title = element("h2", "ambassade-live__title", state.title);
    title.id = "ambassade-live-title";
    const list = element("ol", "ambassade-live__findings");
    for (const finding of state.findings) {
      const item = element("li", "ambassade-live__finding ambassade-live__finding--" + finding.severity);
      item.append(
        element("code", "ambassade-live__where", finding.where),
        " ",
        element("span", "ambassade-live__rule", finding.label),
        " ",
        element("span", "ambassade-live__message", finding.message),
      );
      if (finding.expected) item.append(element("span", "ambassade-live__expected", finding.expected));
      list.append(item);
    }
    const close = element("button", "ambassade-live__close", state.close);
    close.type = "button";
    close.addEventListener("click", hide);
    overlay.append(title, element("p", "ambassade-live__hint", state.hint), list, close);
    document.body.append(overlay);
  };

  const events = new EventSource(base + "events");
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.failed) {
      show(state);
    } else if (state.generation !== served) {
      window.location.reload();
    } else {
      hide();
    }
  });
})();
