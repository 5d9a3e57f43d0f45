// embed.html, the iframe target: embed.html?scenario=scenarios/x.json&controls=minimal&theme=dark
// Query keys map to <raft-playground> attributes; unknown keys are ignored. Acts only on the
// embed page (the offline build bundles every page's script into one file).
import "./web/src/element.js";

if (document.body.classList.contains("embed-body")) {
  const q = new URLSearchParams(location.search);
  const el = document.createElement("raft-playground");
  for (const k of ["scenario", "seed", "nodes", "controls", "theme", "height", "speed"]) {
    const v = q.get(k);
    if (v !== null && v !== "") el.setAttribute(k, v);
  }
  if (!q.has("controls")) el.setAttribute("controls", "minimal");
  if (q.get("autoplay") !== "0") el.setAttribute("autoplay", "");
  if (q.has("fragment")) el.setAttribute("fragment", "");
  const theme = q.get("theme");
  if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
  document.body.append(el);
}
