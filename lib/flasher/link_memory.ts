/**
 * What a run has learnt about each port's link: the rate the ROM synced at, the working rates
 * that did not work (the USB bridge or the board could not take them), and a flasher stub left
 * running (`--after no-reset`) and its rate, so the next job on the port skips what failed and
 * finds the stub without resetting the board. It lives as long as the object does: the CLI
 * keeps one per run, so nothing is written anywhere.
 *
 * @module
 */

/** What is known about one port. */
export interface LinkFacts {
  /** The rate the ROM answered SYNC at. */
  syncBaud?: number;
  /** Sync rates the ROM did not answer at. */
  failedSync?: number[];
  /** Working rates that did not work after CHANGE_BAUDRATE. */
  failedWorking?: number[];
  /** A stub left running, listening at this rate (`undefined` in an update: none any more). */
  stubBaud?: number | undefined;
}

/**
 * Facts per port, for one run.
 *
 * @example
 * ```ts
 * import { LinkMemory } from "./link_memory.ts";
 * import assert from "node:assert/strict";
 * const memory = new LinkMemory();
 * memory.update("/dev/ttyUSB0", { syncBaud: 460800 });
 * memory.update("/dev/ttyUSB0", { failedWorking: [921600] });
 * assert.deepEqual(memory.get("/dev/ttyUSB0"), { syncBaud: 460800, failedWorking: [921600] });
 * assert.equal(memory.get("/dev/ttyUSB1"), undefined);
 * ```
 */
export class LinkMemory {
  readonly #ports = new Map<string, LinkFacts>();

  /**
   * What is known about a port.
   *
   * @param port the port as opened
   * @returns the facts (a copy), or `undefined`
   */
  get(port: string): LinkFacts | undefined {
    const facts = this.#ports.get(port);
    return facts === undefined ? undefined : structuredClone(facts);
  }

  /**
   * Adds facts about a port: rates are merged into the failed lists; other fields replace what
   * was known (`stubBaud: undefined` forgets a stub).
   *
   * @param port the port as opened
   * @param facts what was learnt
   */
  update(port: string, facts: LinkFacts): void {
    const known = this.#ports.get(port) ?? {};
    const merge = (a: number[] | undefined, b: number[] | undefined) =>
      b === undefined ? a : [...new Set([...(a ?? []), ...b])];
    const next: LinkFacts = { ...known, ...facts };
    const failedSync = merge(known.failedSync, facts.failedSync);
    const failedWorking = merge(known.failedWorking, facts.failedWorking);
    if (failedSync !== undefined) next.failedSync = failedSync;
    if (failedWorking !== undefined) next.failedWorking = failedWorking;
    if ("stubBaud" in facts && facts.stubBaud === undefined) delete next.stubBaud;
    this.#ports.set(port, next);
  }
}
