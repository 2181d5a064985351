/**
 * Faults injected on purpose (`--faults SPEC`, `sim://?faults=SPEC`, board option `faults`), so
 * flashers and smoke tests can be tested against a misbehaving board. SPEC is a comma-separated
 * list; every random choice comes from the board's `seed`, so a run repeats exactly:
 *
 * | item | what happens |
 * |---|---|
 * | `corrupt=P` | every byte on the wire, either way, has one bit flipped with probability P |
 * | `drop=P` | every SLIP frame (`C0 … C0`), either way, is lost with probability P |
 * | `delay=MS` | every byte the board sends reaches the host MS milliseconds later |
 * | `disconnect=N` | the USB link drops after N bytes (both ways counted), once |
 * | `unplug=N` | the USB cable is pulled after N bytes: the port vanishes and the board loses power; it is plugged back in after `replug` ms (the port returns under the same name, the board powers up), once |
 * | `replug=MS` | how long an `unplug` lasts (1000 ms by default) |
 * | `brownout=N` | the supply dips during the N-th flash program: half the page is written, the chip resets (`rst cause:1`), once |
 * | `brownout-every=N` | a supply too weak for the flash: every N-th page program after each power-up browns out, again and again |
 * | `noise=N` | N random bytes at the ROM's rate after each reset into download mode, before the loader answers |
 * | `stuck-gpio0` | GPIO0 is stuck high: the board never enters download mode |
 *
 * `=` may also be written `:`.
 *
 * @module
 */

import { userError } from "../errors.ts";

/** The faults, parsed. */
export interface FaultSpec {
  /** Probability that a byte gets a flipped bit. */
  corrupt?: number;
  /** Probability that a frame is lost. */
  drop?: number;
  /** Extra delay of the board's output, ms. */
  delayMs?: number;
  /** Bytes after which the link drops. */
  disconnectAfter?: number;
  /** Bytes after which the cable is pulled (the port and the board's power go). */
  unplugAfter?: number;
  /** How long the cable stays out, ms. */
  replugMs?: number;
  /** The flash program operation (1-based) the supply fails in. */
  brownoutAt?: number;
  /** Every N-th page program after each power-up browns out. */
  brownoutEvery?: number;
  /** Noise bytes after a reset into download mode. */
  noise?: number;
  /** GPIO0 stuck high. */
  stuckGpio0?: boolean;
}

/** The item names, for messages. */
export const FAULT_NAMES: readonly string[] = [
  "corrupt",
  "drop",
  "delay",
  "disconnect",
  "unplug",
  "replug",
  "brownout",
  "brownout-every",
  "noise",
  "stuck-gpio0",
];

/**
 * Parses a fault spec.
 *
 * @param text e.g. `corrupt=0.001,drop=0.01,delay=20`
 * @returns the faults ({} for an empty text)
 * @throws a user error `sim/faults` naming the bad item
 *
 * @example
 * ```ts
 * import { parseFaults } from "./faults.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseFaults("drop=0.1,stuck-gpio0"), { drop: 0.1, stuckGpio0: true });
 * ```
 */
export function parseFaults(text: string): FaultSpec {
  const out: FaultSpec = {};
  for (const raw of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+)(?:[=:](.*))?$/i.exec(raw);
    const name = m?.[1]?.toLowerCase() ?? "";
    const value = m?.[2];
    const bad = (what: string) =>
      userError(
        "sim/faults",
        `Bad fault '${raw}' in '${text}': ${what}`,
        `Items: ${
          FAULT_NAMES.join(", ")
        }; e.g. corrupt=0.001,drop=0.01,delay=20,disconnect=50000,unplug=90000,replug=800.`,
      );
    const num = (kind: "probability" | "count") => {
      const n = Number(value);
      if (value === undefined || value === "" || !Number.isFinite(n) || n < 0) {
        throw bad(`give a ${kind === "count" ? "whole number" : "number"}`);
      }
      if (kind === "probability" && n > 1) throw bad("a probability is between 0 and 1");
      if (kind === "count" && !Number.isInteger(n)) throw bad("give a whole number");
      return n;
    };
    switch (name) {
      case "corrupt":
        out.corrupt = num("probability");
        break;
      case "drop":
        out.drop = num("probability");
        break;
      case "delay":
        out.delayMs = num("count");
        break;
      case "disconnect":
        out.disconnectAfter = num("count");
        break;
      case "unplug":
        out.unplugAfter = num("count");
        break;
      case "replug":
        out.replugMs = num("count");
        break;
      case "brownout":
        out.brownoutAt = Math.max(1, num("count"));
        break;
      case "brownout-every":
        out.brownoutEvery = Math.max(1, num("count"));
        break;
      case "noise":
        out.noise = num("count");
        break;
      case "stuck-gpio0":
        if (value !== undefined) throw bad("it takes no value");
        out.stuckGpio0 = true;
        break;
      default:
        throw bad("unknown item");
    }
  }
  return out;
}

/**
 * A small deterministic generator (mulberry32): numbers in [0, 1).
 *
 * @param seed any integer
 * @returns the generator
 *
 * @example
 * ```ts
 * import { seededRandom } from "./faults.ts";
 * import assert from "node:assert/strict";
 * const a = seededRandom(7);
 * const b = seededRandom(7);
 * assert.equal(a(), b());
 * ```
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
