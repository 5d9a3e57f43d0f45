// Small DOM helpers for incremental rendering: attributes are written only when they change,
// and keyed lists reuse elements, so a frame touches only what moved.

const SVG_NS = "http://www.w3.org/2000/svg";
/** Per-element cache of the last written attributes/text. */
const written = new WeakMap();

/**
 * Creates an SVG element with attributes.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return /** @type {SVGElement} */ (e);
}

/**
 * Creates an HTML element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string | number | boolean>} [attrs]
 * @param {(Node | string)[]} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

/**
 * Sets an attribute if it differs from what this module last wrote (no DOM read).
 * @param {Element} e
 * @param {string} name
 * @param {string | number | null} value null removes it
 */
export function attr(e, name, value) {
  let cache = written.get(e);
  if (!cache) {
    cache = new Map();
    written.set(e, cache);
  }
  const v = value === null ? null : String(value);
  if (cache.get(name) === v) return;
  cache.set(name, v);
  if (v === null) e.removeAttribute(name);
  else e.setAttribute(name, v);
}

/**
 * Sets text content if it changed.
 * @param {Node} e
 * @param {string} text
 */
export function text(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

/**
 * Toggles a class only when needed.
 * @param {Element} e
 * @param {string} name
 * @param {boolean} on
 */
export function cls(e, name, on) {
  if (e.classList.contains(name) !== on) e.classList.toggle(name, on);
}

/**
 * A list of elements keyed by id under one parent. `update` creates missing elements,
 * updates all, removes those whose key vanished. Order follows first appearance.
 * @template T, E
 * @param {Element} parent
 * @param {(item: T) => E & Element} create
 * @returns {{ update(items: Iterable<T>, key: (item: T) => string | number, patch: (el: E, item: T) => void): void, get(key: string | number): E | undefined, clear(): void }}
 */
export function keyedList(parent, create) {
  /** @type {Map<string | number, E & Element>} */
  let live = new Map();
  return {
    update(items, key, patch) {
      const next = new Map();
      for (const item of items) {
        const k = key(item);
        let e = live.get(k);
        if (!e) {
          e = create(item);
          parent.append(e);
        }
        next.set(k, e);
        patch(e, item);
      }
      for (const [k, e] of live) if (!next.has(k)) e.remove();
      live = next;
    },
    get(k) {
      return live.get(k);
    },
    clear() {
      for (const e of live.values()) e.remove();
      live = new Map();
    },
  };
}
