/**
 * NodeMCU's `bit` module (`app/modules/bit.c`) on 32-bit integers, installed when the image's
 * module list names it: `bnot`, `band`, `bor`, `bxor` (any number of arguments), `lshift`,
 * `rshift` (logical), `arshift` (arithmetic), `bit(n)`, `set(v, …)`, `clear(v, …)`,
 * `isset(v, n)`, `isclear(v, n)`.
 *
 * @module
 */

import type { LuaFunction, LuaValue } from "./lua_vm.ts";
import { checkInteger, type NodemcuHost } from "./nodemcu_host.ts";

/**
 * Installs `bit`.
 *
 * @param host the firmware's side
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { installBit } from "./nodemcu_bit.ts";
 * import type { NodemcuHost } from "./nodemcu_host.ts";
 * const vm = new LuaVm({ print() {} });
 * installBit({ vm } as NodemcuHost);
 * const out = vm.run("return bit.band(0xff, 0x0f, 0x3c), bit.rshift(-1, 28), bit.isset(5, 2)", "=stdin");
 * if (out.kind !== "ok" || out.results.join() !== "12,15,true") throw new Error(JSON.stringify(out));
 * ```
 */
export function installBit(host: NodemcuHost): void {
  const int = (v: LuaValue, n: number, name: string) => checkInteger(v, n, name) | 0;
  const fold = (name: string, op: (a: number, b: number) => number): LuaFunction => (...args) =>
    args.slice(1).reduce<number>((w, v, i) => op(w, int(v, i + 2, name)), int(args[0], 1, name)) |
    0;
  const each = (name: string, op: (v: number, bit: number) => number): LuaFunction => (v, ...at) =>
    at.reduce<number>((w, p, i) => op(w, 1 << int(p, i + 2, name)), int(v, 1, name)) | 0;
  host.vm.defineModule("bit", {
    bnot: (v) => ~int(v, 1, "bnot"),
    band: fold("band", (a, b) => a & b),
    bor: fold("bor", (a, b) => a | b),
    bxor: fold("bxor", (a, b) => a ^ b),
    lshift: (v, n) => int(v, 1, "lshift") << int(n, 2, "lshift"),
    rshift: (v, n) => (int(v, 1, "rshift") >>> int(n, 2, "rshift")) | 0,
    arshift: (v, n) => int(v, 1, "arshift") >> int(n, 2, "arshift"),
    bit: (n) => 1 << int(n, 1, "bit"),
    set: each("set", (w, b) => w | b),
    clear: each("clear", (w, b) => w & ~b),
    isset: (v, n) => (int(v, 1, "isset") & (1 << int(n, 2, "isset"))) !== 0,
    isclear: (v, n) => (int(v, 1, "isclear") & (1 << int(n, 2, "isclear"))) === 0,
  });
}
