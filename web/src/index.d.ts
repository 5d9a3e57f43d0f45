// Public API of the `raftlab` package (hand-written; mirrors index.js and element.js).

import type {
  Action,
  PlaygroundHandle,
  Scenario,
  SharedState,
  TraceLine,
  ConfigInput,
  WorldView,
} from "./types.d.ts";

export * from "./types.d.ts";

/** Options for {@link createPlayground}. */
export interface PlaygroundOptions {
  /** World configuration (missing fields take the playground preset). */
  config?: ConfigInput;
  /** Seed; omitted: drawn from the platform and shown. */
  seed?: number;
  /** A scenario object, or the URL of a scenario JSON file. Takes precedence over config/seed. */
  scenario?: Scenario | string | URL;
  /** With `scenario`: the virtual time to show first. */
  t_us?: number;
  /** Which controls to show. Default "full". */
  controls?: "full" | "minimal" | "none";
  /** With minimal controls: show the logs under the cluster. Default false. */
  logs?: boolean;
  /** Start running at once (not when the reader asks for reduced motion). Default true. */
  autoplay?: boolean;
  /** Virtual seconds per real second, 0.01–100. Default 0.04 (a message is on screen for
   * 0.5–0.75 s with the free-play latency of 20–30 ms). */
  speed?: number;
  /** Colour theme. Default "auto" (follows the system). */
  theme?: "light" | "dark" | "auto";
  /** Replay a share link found in the page's URL fragment (`#s=…`). */
  fragment?: boolean;
  /** CSS height of the cluster view (minimal / none controls). */
  height?: string;
  /** URL of the ready scenarios' index (`scenarios/index.json`): full controls then offer a
   * scenario picker. Without it, or when it cannot be loaded, there is no picker. */
  scenarios?: string | URL;
  /** URL of the lessons' index (`lessons/index.json`, built by scripts/lessons.mjs): full
   * controls then offer the lesson player. With `fragment`, `#lesson=<id>&step=<n>` opens a step. */
  lessons?: string | URL;
  /** A lesson embed: this lesson's player under the cluster (any controls), from `lessons`. */
  lesson?: string;
  /** With `lesson`: the first and last step shown, from 1 (`[2, 4]`). Default: all. */
  steps?: [number, number];
  /** The page's language. Default: the reader's earlier choice, else the browser's language. */
  lang?: "en" | "zh";
}

/** The grader's answer (`raftlab grade`, {@link grade}). */
export interface Grade {
  /** Every goal met, every constraint kept, every action applied. */
  passed: boolean;
  kind: "exercise" | "challenge";
  /** Each goal: `met_at_us` is the virtual time from which it counts as met. */
  goals: { goal: string; ok: boolean; observed: string; met_at_us: number | null }[];
  constraints: { constraint: string; ok: boolean; observed: string }[];
  /** Why it did not pass, one English line each (`failures[i]` written out). */
  reasons: string[];
  /** The same reasons as data, in the same order: a code and the parameters it names
   * (sim::grade::Reason); `describeReason` in web/src/reasons.js words one in a language. */
  failures: {
    code: import("./vocab.d.ts").ReasonCode;
    index?: number;
    at_us?: number;
    max?: number;
    count?: number;
    seed?: number;
    exercise_seed?: number;
    text?: string;
    observed?: string;
  }[];
  /** Learner actions used, and when the last goal became met. */
  score: { actions: number; met_at_us: number | null };
}

/** One entry of the ready scenarios' index (`scenarios/index.json`). */
export interface ScenarioEntry {
  /** File name, relative to the index, e.g. "split_brain.json". */
  file: string;
  /** English title and description. */
  title: string;
  description: string;
  /** The same in the other languages, by language code (e.g. `text.zh.title`). */
  text?: Record<string, { title: string; description: string }>;
}

/** Events emitted by a playground. */
export interface PlaygroundEvents {
  /** After each drawn frame: the frame's view, fetched with `{ log_tail, kv: false }` (the log
   * tails the grid shows, no state machines); call `handle.view()` for everything. */
  frame: WorldView;
  /** Trace events, as they are drained from the world. */
  events: TraceLine[];
  /** An action the world accepted (from the UI or from `apply`). */
  action: Action;
  /** A new world replaced the previous one. */
  world: PlaygroundHandle;
  /** The reader switched the page's language (every label is relabelled). */
  lang: "en" | "zh";
  /** An action, seek or load failed; the world is unchanged. */
  error: unknown;
}

/** Controls one live playground. */
export interface PlaygroundController {
  /** The live world (replaced when a new world is created). */
  readonly handle: PlaygroundHandle;
  /** The view drawn last (trimmed like the `frame` event's). */
  view(): WorldView;
  play(): void;
  pause(): void;
  readonly playing: boolean;
  /** The requested speed (virtual seconds per real second). */
  readonly speed: number;
  /** Virtual seconds per real second, clamped to 0.01–100. */
  setSpeed(speed: number): void;
  /** A sliced replay is running (opening a share link, a long jump forward). */
  readonly replaying: boolean;
  /** The scenario an export writes now (the loaded scenario's description and expectations
   * kept). */
  exportScenario(): Scenario;
  /** Jumps to a virtual time (replaying from the world's checkpoints). */
  seek(t_us: number): void;
  /** Applies an action; returns false (and emits "error") when the world rejects it. */
  apply(action: Action): boolean;
  /** Replaces the world with a new one. */
  newWorld(config: ConfigInput, seed?: number): Promise<void>;
  /** Replaces the world with a scenario's, optionally at a given time. */
  loadScenario(scenario: Scenario, t_us?: number): Promise<void>;
  /** The lesson player (full controls with `lessons`). */
  readonly lesson: {
    open(id: string, step: number): Promise<void>;
    close(): void;
    readonly active: boolean;
    readonly at: { id: string; step: number; steps: number } | null;
    readonly exercise: { readonly solved: boolean; readonly grade: Grade | null };
  };
  /** A URL (this page + `#s=…`) that replays this world to this moment. */
  shareLink(): Promise<string>;
  setTheme(theme: "light" | "dark" | "auto"): void;
  /** Draws a frame now. */
  redraw(): void;
  /** Where in-flight message `id` is drawn (client coordinates), or null when it is not. */
  messageRect(id: number): DOMRect | null;
  /** Subscribes; returns the unsubscribe function. */
  on<K extends keyof PlaygroundEvents>(name: K, fn: (payload: PlaygroundEvents[K]) => void): () => void;
  /** Stops the loop, frees the world, empties the element. */
  destroy(): void;
}

/** Grades a submission (a share link's state, an export, or `{ actions }`) against an exercise
 * (docs/exercises.md); the same answer as `raftlab grade`. Bad documents reject naming the field. */
export function grade(exercise: object | string, submission: object | string): Promise<Grade>;

/** Loads the Wasm module (once). Optional: creating a playground loads it too. */
export function load(): Promise<void>;
/** Bytes of Wasm linear memory the module holds (0 before it loads). */
export function wasmMemoryBytes(): number;

/** Creates a playground inside `element` (in its shadow root). */
export function createPlayground(
  element: Element,
  options?: PlaygroundOptions,
): Promise<PlaygroundController>;

/** Fetches the ready scenarios' index; null when there is none (never rejects). */
export function fetchScenarioIndex(url: string | URL): Promise<ScenarioEntry[] | null>;

/** Fetches and parses a scenario JSON file. */
export function fetchScenario(url: string | URL): Promise<Scenario>;

/** Encodes a scenario + moment as base64url text for a URL fragment. */
export function encodeShare(state: SharedState): Promise<string>;
/** Decodes {@link encodeShare} output; rejects with a ShareError on any bad input. */
export function decodeShare(text: string): Promise<SharedState>;
export class ShareError extends Error {}
