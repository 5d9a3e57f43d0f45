// Page chrome: the theme switch (auto → dark → light), remembered in localStorage and passed to
// every <raft-playground> on the page. Only on pages with the switch (the offline build bundles
// every page's script into one file; the embed page takes its theme from its URL).
const KEY = "raftlab-theme";
const ORDER = ["auto", "dark", "light"];

/** @param {string} t */
function applyTheme(t) {
  if (t === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  for (const el of document.querySelectorAll("raft-playground")) el.setAttribute("theme", t);
  const b = document.getElementById("theme");
  if (b) b.textContent = `Theme: ${t}`;
}

const button = document.getElementById("theme");
if (button) {
  let theme = localStorage.getItem(KEY) ?? "auto";
  if (!ORDER.includes(theme)) theme = "auto";
  applyTheme(theme);
  button.addEventListener("click", () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    localStorage.setItem(KEY, theme);
    applyTheme(theme);
  });
}
