/**
 * The flasher stubs the simulated ESP8266 recognises. When MEM_END jumps to an entry point, the
 * board hashes what RAM holds at each known stub's text and data addresses; if the entry, the
 * addresses, the lengths and both SHA-256 digests match a row, that stub "runs" (it greets the
 * host with `OHAI` and speaks its dialect). Anything else runs as unknown code: the board goes
 * silent. Only fingerprints are stored here, never stub bytes.
 *
 * ## Adding a stub
 *
 * 1. Take the stub's JSON (`entry`, `text`, `text_start`, `data`, `data_start`; `text` and `data`
 *    are base64) from the tool that ships it, e.g. `esptool/targets/stub_flasher/1/esp8266.json`.
 * 2. Compute the figures, e.g. with
 *    `deno eval 'import {createHash} from "node:crypto"; const j = JSON.parse(Deno.readTextFileSync("esp8266.json")); for (const k of ["text", "data"]) { const b = Uint8Array.from(atob(j[k]), (c) => c.charCodeAt(0)); console.log(k, b.length, createHash("sha256").update(b).digest("hex")); }'`.
 * 3. Add a row to {@link KNOWN_STUBS} with the entry, both addresses, lengths and digests, the
 *    family whose wire behaviour it has (`legacy` for esptool's `flasher_stub` builds,
 *    `esp-flasher-stub` for the new one) and where it comes from.
 * 4. Add a test that uploads the real JSON through the ROM and expects `OHAI` (see
 *    `stub_table_test.ts`).
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { Ram } from "./ram.ts";
import type { StubFamily } from "./stub_dialect.ts";

/** A segment's fingerprint. */
export interface SegmentPrint {
  /** Load address. */
  address: number;
  /** Length in bytes. */
  length: number;
  /** SHA-256 of the bytes, lower-case hex. */
  sha256: string;
}

/** A known stub. */
export interface KnownStub {
  /** Short name. */
  name: string;
  /** Which wire behaviour it has. */
  family: StubFamily;
  /** Entry point. */
  entry: number;
  /** The text segment. */
  text: SegmentPrint;
  /** The data segment. */
  data: SegmentPrint;
  /** Where the JSON comes from. */
  source: string;
}

/** The table. */
export const KNOWN_STUBS: readonly KnownStub[] = [
  {
    name: "esptool-4.8.1-legacy",
    family: "legacy",
    entry: 0x4010d004,
    text: {
      address: 0x4010d000,
      length: 8248,
      sha256: "0914cbde7b50fb4a4648795d83d4181f808a99073640cdcee6e4dfa958855cef",
    },
    data: {
      address: 0x3fffaca8,
      length: 768,
      sha256: "8531c89a1d90a97bf37b2fb8f40e434a2615df59c4bb22ca0c81597be5ebf682",
    },
    source: "esptool v4.8.1 esptool/targets/stub_flasher/1/esp8266.json",
  },
  {
    name: "esptool-js-0.7.0",
    family: "esp-flasher-stub",
    entry: 0x4010c504,
    text: {
      address: 0x4010c500,
      length: 11456,
      sha256: "37c16091ff165ffe760353a8e92d07f55927e34d01fb5fc04c18b5525c13f8f6",
    },
    data: {
      address: 0x3fffae6c,
      length: 920,
      sha256: "de5922ffd2c868b51c4eec1fb74459f31adb2975f7514459a91ac2ffed65f737",
    },
    source: "npm esptool-js@0.7.0 lib/targets/stub_flasher/esp8266.json (esp-flasher-stub v1.2.2)",
  },
];

/**
 * Finds the stub that RAM holds for an entry point.
 *
 * @param ram the board's RAM
 * @param entry the MEM_END entry point
 * @param table the stubs to look for, {@link KNOWN_STUBS} by default
 * @returns the stub, or `undefined` for unknown code
 *
 * @example
 * ```ts
 * import { Ram } from "./ram.ts";
 * import { identifyStub } from "./stub_table.ts";
 * import assert from "node:assert/strict";
 * assert.equal(identifyStub(new Ram(), 0x4010d004), undefined); // empty RAM is no stub
 * ```
 */
export function identifyStub(
  ram: Ram,
  entry: number,
  table: readonly KnownStub[] = KNOWN_STUBS,
): KnownStub | undefined {
  return table.find((stub) =>
    stub.entry === entry && matches(ram, stub.text) && matches(ram, stub.data)
  );
}

/**
 * Whether a RAM range overlaps a stub's segments (code that overwrites a running stub).
 *
 * @param stub the running stub
 * @param address start of the write
 * @param length bytes written
 * @returns true on overlap
 *
 * @example
 * ```ts
 * import { KNOWN_STUBS, overlapsStub } from "./stub_table.ts";
 * import assert from "node:assert/strict";
 * assert.equal(overlapsStub(KNOWN_STUBS[0]!, 0x4010d100, 4), true);
 * assert.equal(overlapsStub(KNOWN_STUBS[0]!, 0x40100000, 4), false);
 * ```
 */
export function overlapsStub(stub: KnownStub, address: number, length: number): boolean {
  return [stub.text, stub.data].some((s) =>
    address < s.address + s.length && address + length > s.address
  );
}

/**
 * Whether RAM still holds a stub's text and data exactly (a host may write the same bytes over a
 * running stub, as esptool does when it uploads its stub through the one already running).
 *
 * @param ram the board's RAM
 * @param stub the stub
 * @returns true when both segments match their fingerprints
 *
 * @example
 * ```ts
 * import { Ram } from "./ram.ts";
 * import { holdsStub, KNOWN_STUBS } from "./stub_table.ts";
 * import assert from "node:assert/strict";
 * assert.equal(holdsStub(new Ram(), KNOWN_STUBS[0]!), false);
 * ```
 */
export function holdsStub(ram: Ram, stub: KnownStub): boolean {
  return matches(ram, stub.text) && matches(ram, stub.data);
}

function matches(ram: Ram, print: SegmentPrint): boolean {
  const bytes = ram.read(print.address, print.length);
  return bytes !== undefined && createHash("sha256").update(bytes).digest("hex") === print.sha256;
}
