// Types for `raftlab/element`: importing it registers <raft-playground>.
import type { PlaygroundController } from "./index.d.ts";
import type { WorldView, PlaygroundHandle } from "./types.d.ts";

export class RaftPlayground extends HTMLElement {
  /** Resolves once the first frame is drawn. */
  readonly ready: Promise<PlaygroundController>;
  readonly controller: PlaygroundController | null;
  readonly handle: PlaygroundHandle | null;
  view(): WorldView | null;
}

declare global {
  interface HTMLElementTagNameMap {
    "raft-playground": RaftPlayground;
  }
}
