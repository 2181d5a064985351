/**
 * NodeMCU's `crypto` and `encoder` modules (`app/modules/crypto.c`, `encoder.c`), installed only
 * when the image's module list names them (nodemcu_modules.ts):
 *
 * - `crypto.hash(algo, data)`, `crypto.fhash(algo, filename)` (binary digests; `file does not
 *   exist`), `crypto.new_hash(algo)` (`:update(data)`, `:finalize()`), `crypto.hmac(algo, data,
 *   key)`, `crypto.new_hmac(algo, key)`, `crypto.mask(data, mask)`; algorithms MD5, SHA1, SHA256,
 *   SHA384, SHA512 in any case (`unknown hash mech` otherwise); `crypto.toHex` and
 *   `crypto.toBase64` only on builds older than November 2020 (they moved to `encoder`).
 * - `encoder.toHex`, `fromHex` (`Invalid hex string`), `toBase64`, `fromBase64` (`Invalid base64
 *   string`).
 *
 * Hashing costs the time model's MD5 rate per byte; `fhash` also the flash reads.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import type { LuaFunction, LuaValue } from "./lua_vm.ts";
import { checkString, method, type NodemcuHost, table } from "./nodemcu_host.ts";
import { buildStamp } from "./nodemcu_front_end.ts";

const ALGOS: Record<string, string> = {
  MD5: "md5",
  SHA1: "sha1",
  SHA256: "sha256",
  SHA384: "sha384",
  SHA512: "sha512",
};

/** Bytes of a Lua string (one per character). */
const buf = (text: string) => Buffer.from(text, "latin1");
const str = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

function algo(name: LuaValue, n: number): string {
  const a = ALGOS[checkString(name, n).toUpperCase()];
  if (a === undefined) throw new Error("unknown hash mech");
  return a;
}

/**
 * Installs `crypto`.
 *
 * @param host the firmware's side
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const image = buildNodemcuFirmware({ totalSize: 0x20000, flashSize: "1MB", banner: { version: "3.0.0.0", modules: ["crypto", "encoder", "file", "node", "tmr", "uart"] } });
 * const board = new SimBoard({ flashSize: "1MB", flashContents: flashImage(1 << 20, image.combined) });
 * const tap = new ConsoleTap(board);
 * await tap.until("\r\n> ");
 * tap.clear();
 * tap.type("=encoder.toHex(crypto.hash('md5', 'abc'))\r\n");
 * assert.match(await tap.until("\r\n> "), /900150983cd24fb0d6963f7d28e17f72/);
 * await board.close();
 * ```
 */
export function installCrypto(host: NodemcuHost): void {
  const d = host.device;
  const cost = (n: number) => d.work(n * d.timing.md5UsPerByte);
  const stream = (h: Hash | Hmac): LuaValue =>
    table({
      update: method((data) => {
        const text = checkString(data, 1);
        cost(text.length);
        h.update(buf(text));
        return [];
      }),
      finalize: method(() => str(h.digest())),
    });
  const functions: Record<string, LuaFunction> = {
    hash: (name, data) => {
      const a = algo(name, 1);
      const text = checkString(data, 2);
      cost(text.length);
      return str(createHash(a).update(buf(text)).digest());
    },
    fhash: (name, filename) => {
      const a = algo(name, 1);
      const data = host.fs()?.read(checkString(filename, 2));
      if (data === undefined) throw new Error("file does not exist");
      d.work(data.length * d.timing.readUsPerByte);
      cost(data.length);
      return str(createHash(a).update(data).digest());
    },
    new_hash: (name) => stream(createHash(algo(name, 1))),
    hmac: (name, data, key) => {
      const a = algo(name, 1);
      const text = checkString(data, 2);
      cost(text.length);
      return str(createHmac(a, buf(checkString(key, 3))).update(buf(text)).digest());
    },
    new_hmac: (name, key) => stream(createHmac(algo(name, 1), buf(checkString(key, 2)))),
    mask: (data, mask) => {
      const text = checkString(data, 1);
      const m = checkString(mask, 2);
      if (m.length === 0) throw new Error("invalid argument: mask");
      return Array.from(
        text,
        (c, i) => String.fromCharCode(c.charCodeAt(0) ^ m.charCodeAt(i % m.length)),
      ).join("");
    },
    sha1: (data) => str(createHash("sha1").update(buf(checkString(data, 1))).digest()),
  };
  const stamp = buildStamp(host.image.banner);
  const old = host.image.era === "2.x" || (stamp !== undefined && stamp < 202011070000);
  if (old) Object.assign(functions, encoderFunctions());
  host.vm.defineModule("crypto", functions);
}

function encoderFunctions(): Record<string, LuaFunction> {
  return {
    toHex: (data) => buf(checkString(data, 1)).toString("hex"),
    fromHex: (data) => {
      const text = checkString(data, 1);
      if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
        throw new Error("Invalid hex string");
      }
      return str(Buffer.from(text, "hex"));
    },
    toBase64: (data) => buf(checkString(data, 1)).toString("base64"),
    fromBase64: (data) => {
      const text = checkString(data, 1);
      if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
        throw new Error("Invalid base64 string");
      }
      return str(Buffer.from(text, "base64"));
    },
  };
}

/**
 * Installs `encoder`.
 *
 * @param host the firmware's side
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { installEncoder } from "./nodemcu_crypto.ts";
 * import type { NodemcuHost } from "./nodemcu_host.ts";
 * const vm = new LuaVm({ print() {} });
 * installEncoder({ vm } as NodemcuHost);
 * const out = vm.run("return encoder.toBase64(encoder.fromHex('00ff'))", "=stdin");
 * if (out.kind !== "ok" || out.results[0] !== "AP8=") throw new Error();
 * ```
 */
export function installEncoder(host: NodemcuHost): void {
  host.vm.defineModule("encoder", encoderFunctions());
}
