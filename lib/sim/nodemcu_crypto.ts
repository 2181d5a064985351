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
import type { NodemcuImage } from "./nodemcu_image.ts";

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

/**
 * The build's date as `yyyymmdd`, from the banner (release DTS, release tag, build date).
 *
 * @param image what the firmware knows about itself
 * @returns the date, if the banner has one
 *
 * @example
 * ```ts
 * import { buildDay } from "./nodemcu_crypto.ts";
 * import type { NodemcuImage } from "./nodemcu_image.ts";
 * const image = { banner: { text: "", offset: 0, releaseDts: "202009090323" } } as unknown as NodemcuImage;
 * if (buildDay(image) !== 20200909) throw new Error();
 * ```
 */
export function buildDay(image: NodemcuImage): number | undefined {
  const b = image.banner;
  const dts = /^(\d{8})/.exec(b?.releaseDts ?? "")?.[1] ??
    /_(\d{8})/.exec(b?.release ?? "")?.[1] ??
    /(\d{4})-(\d{2})-(\d{2})/.exec(b?.buildDate ?? "")?.slice(1, 4).join("");
  return dts === undefined ? undefined : Number(dts);
}

function algo(name: LuaValue, n: number, fn: string): string {
  const a = ALGOS[checkString(name, n, fn).toUpperCase()];
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
        const text = checkString(data, 1, "update");
        cost(text.length);
        h.update(buf(text));
        return [];
      }),
      finalize: method(() => str(h.digest())),
    });
  const functions: Record<string, LuaFunction> = {
    hash: (name, data) => {
      const a = algo(name, 1, "hash");
      const text = checkString(data, 2, "hash");
      cost(text.length);
      return str(createHash(a).update(buf(text)).digest());
    },
    fhash: (name, filename) => {
      const a = algo(name, 1, "fhash");
      const data = host.fs()?.read(checkString(filename, 2, "fhash"));
      if (data === undefined) throw new Error("file does not exist");
      d.work(data.length * d.timing.readUsPerByte);
      cost(data.length);
      return str(createHash(a).update(data).digest());
    },
    new_hash: (name) => stream(createHash(algo(name, 1, "new_hash"))),
    hmac: (name, data, key) => {
      const a = algo(name, 1, "hmac");
      const text = checkString(data, 2, "hmac");
      cost(text.length);
      return str(createHmac(a, buf(checkString(key, 3, "hmac"))).update(buf(text)).digest());
    },
    new_hmac: (name, key) =>
      stream(createHmac(algo(name, 1, "new_hmac"), buf(checkString(key, 2, "new_hmac")))),
    mask: (data, mask) => {
      const text = checkString(data, 1, "mask");
      const m = checkString(mask, 2, "mask");
      if (m.length === 0) throw new Error("invalid argument: mask");
      return Array.from(
        text,
        (c, i) => String.fromCharCode(c.charCodeAt(0) ^ m.charCodeAt(i % m.length)),
      ).join("");
    },
    sha1: (data) => str(createHash("sha1").update(buf(checkString(data, 1, "sha1"))).digest()),
  };
  const day = buildDay(host.image);
  const old = host.image.era === "2.x" || (day !== undefined && day < 20201107);
  if (old) Object.assign(functions, encoderFunctions());
  host.vm.defineModule("crypto", functions);
}

function encoderFunctions(): Record<string, LuaFunction> {
  return {
    toHex: (data) => buf(checkString(data, 1, "toHex")).toString("hex"),
    fromHex: (data) => {
      const text = checkString(data, 1, "fromHex");
      if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
        throw new Error("Invalid hex string");
      }
      return str(Buffer.from(text, "hex"));
    },
    toBase64: (data) => buf(checkString(data, 1, "toBase64")).toString("base64"),
    fromBase64: (data) => {
      const text = checkString(data, 1, "fromBase64");
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
