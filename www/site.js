// Page chrome: the theme switch (auto → dark → light), remembered in localStorage and passed to
// every <raft-playground> on the page.
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

let theme = localStorage.getItem(KEY) ?? "auto";
if (!ORDER.includes(theme)) theme = "auto";
applyTheme(theme);
document.getElementById("theme")?.addEventListener("click", () => {
  theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
  localStorage.setItem(KEY, theme);
  applyTheme(theme);
});
