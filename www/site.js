// Page chrome: the theme switch (auto → dark → light), remembered in localStorage and passed to
// every <raft-playground> on the page. Only on pages with the switch (the offline build bundles
// every page's script into one file; the embed page takes its theme from its URL). The chrome's
// words (elements with `data-t`, the switch) follow the playground's language: its `lang` event.
import { initialLang, t } from "./web/src/element.js";

const KEY = "raftlab-theme";
let lang = initialLang();

/** Writes the chrome's labels in `lang`. */
function relabel() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]"))
    el.textContent = t(lang, /** @type {any} */ (/** @type {HTMLElement} */ (el).dataset.t));
}
const ORDER = ["auto", "dark", "light"];

/** @param {any} key @param {Record<string, string>} [vars] */
const tr = (key, vars) => t(lang, key, vars);

/** @param {string} t */
function applyTheme(t) {
  if (t === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  for (const el of document.querySelectorAll("raft-playground")) el.setAttribute("theme", t);
  const b = document.getElementById("theme");
  if (b) b.textContent = tr("site_theme", { theme: tr(/** @type {any} */ (`site_theme_${t}`)) });
}

const button = document.getElementById("theme");
if (button) {
  relabel();
  let theme = localStorage.getItem(KEY) ?? "auto";
  document.addEventListener("lang", (e) => {
    lang = /** @type {CustomEvent} */ (e).detail;
    relabel();
    applyTheme(theme);
  });
  if (!ORDER.includes(theme)) theme = "auto";
  applyTheme(theme);
  button.addEventListener("click", () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    localStorage.setItem(KEY, theme);
    applyTheme(theme);
  });
}
