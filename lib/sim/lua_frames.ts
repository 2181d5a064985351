/**
 * Splits what the Lua driver (lua_driver.ts) writes to stderr, byte by byte, into its frames:
 * `C<len>:<payload>` (a call into JavaScript) and `G<id>;` (a function made for JavaScript was
 * collected). Anything else is a broken bridge and throws.
 *
 * @module
 */

/** A complete frame. */
export type LuaFrame = { kind: "call"; payload: string } | { kind: "collected"; id: number };

/**
 * The frame reader.
 *
 * @example
 * ```ts
 * import { LuaFrameReader } from "./lua_frames.ts";
 * import assert from "node:assert/strict";
 * const frames: unknown[] = [];
 * const reader = new LuaFrameReader((frame) => frames.push(frame));
 * for (const c of "G12;C3:7Ts") reader.push(c.charCodeAt(0));
 * assert.deepEqual(frames, [{ kind: "collected", id: 12 }, { kind: "call", payload: "7Ts" }]);
 * ```
 */
export class LuaFrameReader {
  readonly #onFrame: (frame: LuaFrame) => void;
  #state: "kind" | "length" | "id" | "payload" = "kind";
  #number = 0;
  #payload = "";

  /** @param onFrame receives each complete frame */
  constructor(onFrame: (frame: LuaFrame) => void) {
    this.#onFrame = onFrame;
  }

  /**
   * One byte from stderr.
   *
   * @param byte the byte
   */
  push(byte: number): void {
    switch (this.#state) {
      case "kind":
        this.#number = 0;
        if (byte === 0x43) this.#state = "length"; // C
        else if (byte === 0x47) this.#state = "id"; // G
        else throw new Error(`Lua bridge: unexpected byte 0x${byte.toString(16)} on stderr`);
        return;
      case "length":
      case "id":
        if (byte >= 0x30 && byte <= 0x39) {
          this.#number = this.#number * 10 + byte - 0x30;
          return;
        }
        if (this.#state === "id" && byte === 0x3b) {
          this.#state = "kind";
          this.#onFrame({ kind: "collected", id: this.#number });
          return;
        }
        if (this.#state === "length" && byte === 0x3a) {
          this.#payload = "";
          this.#state = "payload";
          if (this.#number === 0) this.#complete();
          return;
        }
        throw new Error(`Lua bridge: unexpected byte 0x${byte.toString(16)} in a frame header`);
      case "payload":
        this.#payload += String.fromCharCode(byte);
        if (this.#payload.length === this.#number) this.#complete();
    }
  }

  #complete(): void {
    const payload = this.#payload;
    this.#payload = "";
    this.#state = "kind";
    this.#onFrame({ kind: "call", payload });
  }
}
