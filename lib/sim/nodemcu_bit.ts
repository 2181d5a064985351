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
  const lua = host.vm.version;
  const int = (v: LuaValue, n: number) => checkInteger(v, n, { lua }) | 0;
  const fold = (op: (a: number, b: number) => number): LuaFunction => (...args) =>
    args.slice(1).reduce<number>((w, v, i) => op(w, int(v, i + 2)), int(args[0], 1)) | 0;
  const each = (op: (v: number, bit: number) => number): LuaFunction => (v, ...at) =>
    at.reduce<number>((w, p, i) => op(w, 1 << int(p, i + 2)), int(v, 1)) | 0;
  host.vm.defineModule("bit", {
    bnot: (v) => ~int(v, 1),
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: (v, n) => int(v, 1) << int(n, 2),
    rshift: (v, n) => (int(v, 1) >>> int(n, 2)) | 0,
    arshift: (v, n) => int(v, 1) >> int(n, 2),
    bit: (n) => 1 << int(n, 1),
    set: each((w, b) => w | b),
    clear: each((w, b) => w & ~b),
    isset: (v, n) => (int(v, 1) & (1 << int(n, 2))) !== 0,
    isclear: (v, n) => (int(v, 1) & (1 << int(n, 2))) === 0,
  });
}
