// The context every panel is created with: the controller (the only way to the world), the UI
// state the composition owns, and the few intents panels share. Types only; playground.js
// builds it.

/**
 * @typedef {{
 *   view: import("../types.d.ts").WorldView | null,
 *   worldConfig: import("../types.d.ts").SimConfig | null,
 *   playing: boolean,
 *   speed: number,
 *   frontier_us: number,
 *   evidence: { nodes: Set<number>, indexes: Set<number> } | null,
 *   served: number | null,
 *   partitionA: Set<number> | null,
 *   theme: "light" | "dark" | "auto",
 *   spot: { nodes: Set<number>, cells: Set<string>, monitors: Set<string>, kinds: Set<string> } | null,
 *   lang: import("../i18n.js").Lang,
 * }} UiState
 *   view: the view drawn last; frontier_us: the furthest time reached in this world (the
 *   timeline's end); evidence: a violation's nodes and log indexes to highlight;
 *   served: the node that served the history operation under the pointer or focus;
 *   partitionA: group A while the partition tool is active; spot: what a lesson step points
 *   at (nodes, log cells as `node/index`, monitors, message kinds); lang: the page's language
 *
 * @typedef {{
 *   id: string,
 *   controls: "full" | "minimal" | "none",
 *   ctrl: import("./controller.js").Controller,
 *   ui: UiState,
 *   tr: import("./labels.js").Tr,
 *   labels: import("./labels.js").Labels,
 *   pop: import("./panels/popover.js").Popover,
 *   say(msg: string, where?: HTMLElement | null): void,
 *   fail(e: unknown): void,
 *   apply(a: import("../types.d.ts").Action): boolean,
 *   seek(t_us: number): void,
 *   setPlaying(on: boolean): void,
 *   invalidate(): void,
 *   dark(): boolean,
 *   newWorld(c: import("../types.d.ts").ConfigInput, seed?: number): Promise<void>,
 *   loadScenario(sc: import("../types.d.ts").Scenario, t_us?: number): Promise<void>,
 *   config: import("../types.d.ts").ConfigInput,
 * }} Ctx
 *   tr: a label in the page's language now; labels: labels that follow language changes;
 *   say: announces in the status bar (and to screen readers); fail: says an error;
 *   apply: dispatches and announces; config: what the next world is created with
 */

export {};
