// Share links: a scenario (config + seed + timed action log) plus the moment to show, packed
// into a URL fragment. JSON → deflate-raw (the platform's CompressionStream, no dependency)
// → base64url. Pure functions: they run unchanged in the browser and in Node 20.

/** Format tag inside the payload, so a future format can be told apart. */
const SHARE_VERSION = 1;
/** Bound on the decompressed payload: a hostile fragment must not exhaust memory. */
const SHARE_DECOMPRESSED_BYTES_MAX = 4 * 1024 * 1024;
/** Bound on the encoded text accepted (well above any real link). */
const SHARE_ENCODED_CHARS_MAX = 2 * 1024 * 1024;
/** The fragment key: `#s=<payload>`. */
const FRAGMENT_KEY = "s";
/** The latest moment a share link may show: one hour of virtual time. Opening a link replays
 * the world from its start to that moment (in slices the reader can cancel), so a link to a
 * later time is refused rather than left to run for minutes. */
export const SHARE_T_US_MAX = 3_600_000_000;

/** Every failure of decoding is reported as this error, with a message naming what is wrong. */
export class ShareError extends Error {
  /**
   * @param {string} message
   * @param {unknown} [cause]
   */
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ShareError";
  }
}

/**
 * @typedef {import("./types.d.ts").SharedState} SharedState
 */

/**
 * Encodes a shared state as URL-safe text (base64url of deflate-raw of JSON).
 * @param {SharedState} state
 * @returns {Promise<string>}
 */
export async function encodeShare(state) {
  const checked = validateShared(state);
  const json = JSON.stringify({ v: SHARE_VERSION, ...checked });
  const packed = await pipeBytes(
    new TextEncoder().encode(json),
    new CompressionStream("deflate-raw"),
  );
  return bytesToBase64url(packed);
}

/**
 * Decodes text made by {@link encodeShare}. Any bad input rejects with a {@link ShareError}.
 * @param {string} text
 * @returns {Promise<SharedState>}
 */
export async function decodeShare(text) {
  if (typeof text !== "string" || text.length === 0) throw new ShareError("share link is empty");
  if (text.length > SHARE_ENCODED_CHARS_MAX) throw new ShareError("share link is too long");
  const packed = base64urlToBytes(text);
  let raw;
  try {
    raw = await pipeBytes(
      packed,
      new DecompressionStream("deflate-raw"),
      SHARE_DECOMPRESSED_BYTES_MAX,
    );
  } catch (e) {
    if (e instanceof ShareError) throw e;
    throw new ShareError("share link is corrupt (not deflate data)", e);
  }
  let parsed;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch (e) {
    throw new ShareError("share link is corrupt (not JSON)", e);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ShareError("share link does not hold an object");
  }
  if (parsed.v !== SHARE_VERSION) {
    throw new ShareError(`share link has unsupported version ${JSON.stringify(parsed.v)}`);
  }
  const { v: _v, ...state } = parsed;
  return validateShared(state);
}

/**
 * Checks the shape of a shared state (the Wasm validates the contents again on load).
 * @param {unknown} s
 * @returns {SharedState}
 */
export function validateShared(s) {
  if (s === null || typeof s !== "object" || Array.isArray(s)) {
    throw new ShareError("scenario must be an object");
  }
  const o = /** @type {Record<string, unknown>} */ (s);
  if (o.config !== undefined && (o.config === null || typeof o.config !== "object")) {
    throw new ShareError("scenario.config must be an object");
  }
  if (!isTime(o.seed)) throw new ShareError("scenario.seed must be an integer in [0, 2^53)");
  if (!Array.isArray(o.actions)) throw new ShareError("scenario.actions must be an array");
  o.actions.forEach((a, i) => {
    if (a === null || typeof a !== "object") {
      throw new ShareError(`scenario.actions[${i}] must be an object`);
    }
    if (!isTime(a.at_us)) throw new ShareError(`scenario.actions[${i}].at_us must be a time`);
    if (a.action === null || typeof a.action !== "object" || typeof a.action.type !== "string") {
      throw new ShareError(`scenario.actions[${i}].action.type must be a string`);
    }
  });
  if (o.t_us !== undefined && !isTime(o.t_us)) {
    throw new ShareError("scenario.t_us must be an integer in [0, 2^53)");
  }
  const late = [o.t_us, ...o.actions.map((a) => a.at_us)].find(
    (t) => typeof t === "number" && t > SHARE_T_US_MAX,
  );
  if (late !== undefined) {
    throw new ShareError(
      `the link's time (${(Number(late) / 60e6).toFixed(1)} min) is past the maximum a link may show (${SHARE_T_US_MAX / 60e6} min of virtual time)`,
    );
  }
  return /** @type {SharedState} */ (o);
}

/**
 * The URL fragment for a state: `#s=...`.
 * @param {SharedState} state
 * @returns {Promise<string>}
 */
export async function toFragment(state) {
  return `#${FRAGMENT_KEY}=${await encodeShare(state)}`;
}

/**
 * Extracts the payload from a fragment (`location.hash`), or null when it carries none.
 * @param {string} hash
 * @returns {string | null}
 */
export function payloadFromFragment(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const p = params.get(FRAGMENT_KEY);
  return p ? p : null;
}

/** @param {unknown} x */
function isTime(x) {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

/**
 * Runs bytes through a transform stream, collecting at most `max_bytes` of output.
 * @param {Uint8Array} input
 * @param {TransformStream<Uint8Array, Uint8Array>} transform
 * @param {number} [max_bytes]
 * @returns {Promise<Uint8Array>}
 */
async function pipeBytes(input, transform, max_bytes = Number.POSITIVE_INFINITY) {
  const writer = transform.writable.getWriter();
  // Errors surface on the reader; the writer's promises are silenced to avoid unhandled rejections.
  writer.write(input).catch(() => {});
  writer.close().catch(() => {});
  const reader = transform.readable.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max_bytes) {
      reader.cancel().catch(() => {});
      throw new ShareError(`share link expands beyond ${max_bytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** @param {Uint8Array} bytes */
function bytesToBase64url(bytes) {
  let bin = "";
  // Chunked so String.fromCharCode never receives too many arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @param {string} text */
function base64urlToBytes(text) {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new ShareError("share link has characters outside base64url");
  }
  if (text.length % 4 === 1) throw new ShareError("share link has a truncated base64url payload");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
