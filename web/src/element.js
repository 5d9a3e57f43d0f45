// <raft-playground>: a live Raft world in one element. Importing this module registers it.
//
//   <script type="module" src="…/web/src/element.js"></script>
//   <raft-playground scenario="scenarios/split-brain.json" controls="minimal" theme="auto">
//   </raft-playground>
//
// Attributes: scenario (URL of a scenario JSON), seed, nodes, controls (full | minimal | none),
// autoplay, speed, height (CSS length of the cluster view), theme (light | dark | auto),
// fragment (replay a share link found in the page URL), scenarios (URL of the ready scenarios'
// index, scenarios/index.json: full controls then offer a scenario picker), logs (minimal
// controls: show the logs under the cluster, for a post that talks about them), lessons (URL of
// the lessons' index, lessons/index.json: full controls then offer the lesson player; with
// fragment, `#lesson=<id>&step=<n>` opens a step), lesson (a lesson embed: the lesson's id; its
// player under the cluster, default index lessons/index.json), steps (with lesson: the steps
// shown, `2-4` or `3`, from 1), lang (en | zh; default: the reader's choice,
// else the browser's language). Tests read state through `el.handle` and `el.view()`.
// Events: "ready" (detail: the controller), "error", and "lang" (bubbling; detail: "en" | "zh")
// when the reader switches language, so the page around it can relabel itself (www/site.js).

import { createPlayground } from "./index.js";

/** @typedef {import("./index.d.ts").PlaygroundController} PlaygroundController */

const THEMES = ["light", "dark", "auto"];
const CONTROLS = ["full", "minimal", "none"];

export class RaftPlayground extends HTMLElement {
  static observedAttributes = ["theme"];

  /** @type {PlaygroundController | null} */
  #controller = null;
  /** @type {Promise<PlaygroundController> | null} */
  #starting = null;

  /** Resolves with the controller once the first frame is drawn. */
  get ready() {
    return this.#start();
  }

  /** The controller (null until ready). */
  get controller() {
    return this.#controller;
  }

  /** The live world handle (null until ready). */
  get handle() {
    return this.#controller?.handle ?? null;
  }

  /** The last drawn world view (null until ready). */
  view() {
    return this.#controller?.view() ?? null;
  }

  connectedCallback() {
    this.#start().catch(() => {
      // Already shown inside the element and dispatched as an "error" event.
    });
  }

  disconnectedCallback() {
    // Moving the element in the DOM reconnects it in the same task: keep the world then.
    queueMicrotask(() => {
      if (!this.isConnected && this.#controller) {
        this.#controller.destroy();
        this.#controller = null;
        this.#starting = null;
      }
    });
  }

  /** @param {string} name @param {string | null} _old @param {string | null} value */
  attributeChangedCallback(name, _old, value) {
    if (name === "theme" && this.#controller)
      this.#controller.setTheme(pick(value, THEMES, "auto"));
  }

  #start() {
    if (!this.#starting) {
      const a = (/** @type {string} */ n) => this.getAttribute(n);
      /** @type {import("./index.d.ts").PlaygroundOptions} */
      const opts = {
        controls: /** @type {any} */ (pick(a("controls"), CONTROLS, "minimal")),
        theme: /** @type {any} */ (pick(a("theme"), THEMES, "auto")),
        autoplay: this.hasAttribute("autoplay"),
        fragment: this.hasAttribute("fragment"),
        logs: this.hasAttribute("logs"),
      };
      const nodes = intAttr(a("nodes"));
      if (nodes !== undefined) opts.config = { node_count: nodes };
      const seed = intAttr(a("seed"));
      if (seed !== undefined) opts.seed = seed;
      const speed = Number(a("speed"));
      if (a("speed") && speed > 0) opts.speed = speed;
      const height = a("height");
      if (height) opts.height = /^\d+$/.test(height) ? `${height}px` : height;
      const scenarios = a("scenarios");
      if (scenarios) opts.scenarios = new URL(scenarios, document.baseURI).href;
      const lesson = a("lesson");
      // A lesson embed: its steps (a range `2-4`, or one step `3`), from the lessons' index.
      if (lesson) {
        opts.lesson = lesson;
        const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(a("steps") ?? "");
        if (m) opts.steps = [Number(m[1]), Number(m[2] ?? m[1])];
      }
      const lessons = a("lessons") ?? (lesson ? "lessons/index.json" : null);
      if (lessons) opts.lessons = new URL(lessons, document.baseURI).href;
      const lang = a("lang");
      if (lang === "en" || lang === "zh") opts.lang = lang;
      const scenario = a("scenario");
      if (scenario) opts.scenario = new URL(scenario, document.baseURI).href;
      this.#starting = createPlayground(this, opts).then(
        (c) => {
          this.#controller = c;
          // The theme may have changed while the world was loading.
          c.setTheme(/** @type {any} */ (pick(this.getAttribute("theme"), THEMES, "auto")));
          this.dispatchEvent(new CustomEvent("ready", { detail: c }));
          return c;
        },
        (e) => {
          const shadow = this.shadowRoot ?? this.attachShadow({ mode: "open" });
          const p = document.createElement("p");
          p.className = "failed";
          p.setAttribute("role", "alert");
          p.textContent = `Raftlab could not start: ${e instanceof Error ? e.message : e}`;
          p.style.cssText = "padding:12px;color:#b42318;font:14px system-ui,sans-serif";
          shadow.replaceChildren(p);
          this.dispatchEvent(new CustomEvent("error", { detail: e }));
          throw e;
        },
      );
    }
    return this.#starting;
  }
}

/** @param {string | null} v @param {string[]} allowed @param {string} fallback */
function pick(v, allowed, fallback) {
  return v && allowed.includes(v) ? v : fallback;
}

/** @param {string | null} v */
function intAttr(v) {
  if (v === null || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

// The string table, for the page around the element (its header follows the `lang` event).
export { fillHoles, initialLang, LANGS, saveLang, t } from "./i18n.js";

if (!customElements.get("raft-playground"))
  customElements.define("raft-playground", RaftPlayground);
