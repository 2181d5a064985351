/**
 * What the simulated firmware's Lua modules (nodemcu_node.ts, nodemcu_file.ts, nodemcu_tmr.ts,
 * nodemcu_uart.ts, nodemcu_crypto.ts, nodemcu_bit.ts, nodemcu_loader.ts) get from the firmware,
 * and the small helpers they share to take and check Lua arguments the way the C modules do
 * (`luaL_checkinteger` and friends raise `bad argument #n to 'name' (…)`).
 *
 * @module
 */

import type { Device } from "./device.ts";
import type { LuaFunction, LuaFunctionRef, LuaTable, LuaValue, LuaVm } from "./lua_vm.ts";
import type { NodemcuImage } from "./nodemcu_image.ts";
import type { NodemcuRuntime } from "./nodemcu_runtime.ts";
import type { SimFs } from "./sim_fs.ts";

/** What the modules need from the firmware. */
export interface NodemcuHost {
  /** The hardware. */
  device: Device;
  /** What the firmware knows about itself. */
  image: NodemcuImage;
  /** The VM. */
  vm: LuaVm;
  /** The running Lua environment: output, tasks, timers, callbacks, console input. */
  runtime: NodemcuRuntime;
  /** The mounted file system, if any. */
  fs(): SimFs | undefined;
  /** Formats the file system again (`file.format()`); returns whether it worked. */
  format(): boolean;
  /** Board time (µs) when the firmware started. */
  bootedAtUs: number;
}

/**
 * A Lua table built in JavaScript.
 *
 * @param fields its string keys
 * @returns the table
 *
 * @example
 * ```ts
 * import { table } from "./nodemcu_host.ts";
 * if (table({ a: 1 }).fields?.a !== 1) throw new Error();
 * ```
 */
export function table(fields: Record<string, LuaValue>): LuaTable {
  return { lua: "table", fields };
}

/**
 * A method of an object built in JavaScript: `obj:name(…)` passes the object first, which the
 * JavaScript side does not need (its closure knows the object).
 *
 * @param fn the method, without `self`
 * @returns a function that drops a leading table argument
 *
 * @example
 * ```ts
 * import { method } from "./nodemcu_host.ts";
 * const m = method((x) => x);
 * if (m({ luaType: "table" }, 5) !== 5 || m(6) !== 6) throw new Error();
 * ```
 */
export function method(fn: (...args: LuaValue[]) => LuaValue | LuaValue[]): LuaFunction {
  return (...args) => {
    const first = args[0];
    const isSelf = typeof first === "object" && first !== null && !("id" in first);
    return fn(...(isSelf ? args.slice(1) : args));
  };
}

/** Lua's type name of a value as it arrived in JavaScript. */
function typeName(value: LuaValue): string {
  if (value === undefined) return "no value";
  if (typeof value === "object") return "lua" in value ? "table" : value.luaType.split(":")[0]!;
  return typeof value === "function" ? "function" : typeof value;
}

/**
 * The error a C module raises for a bad argument.
 *
 * @param n the argument's position
 * @param name the function's name
 * @param problem what is wrong
 * @returns an error whose message Lua shows
 *
 * @example
 * ```ts
 * import { argError } from "./nodemcu_host.ts";
 * if (argError(1, "open", "filename invalid").message !== "bad argument #1 to 'open' (filename invalid)") throw new Error();
 * ```
 */
export function argError(n: number, name: string, problem: string): Error {
  return new Error(`bad argument #${n} to '${name}' (${problem})`);
}

/**
 * `luaL_checkinteger`: a number (a numeric string converts), truncated.
 *
 * @param value the argument
 * @param n its position
 * @param name the function's name
 * @returns the integer
 *
 * @example
 * ```ts
 * import { checkInteger } from "./nodemcu_host.ts";
 * if (checkInteger("12", 1, "f") !== 12) throw new Error();
 * ```
 */
export function checkInteger(value: LuaValue, n: number, name: string): number {
  const v = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw argError(n, name, `number expected, got ${typeName(value)}`);
  }
  return Math.trunc(v);
}

/**
 * `luaL_checklstring`: a string (a number converts).
 *
 * @param value the argument
 * @param n its position
 * @param name the function's name
 * @returns the string
 *
 * @example
 * ```ts
 * import { checkString } from "./nodemcu_host.ts";
 * if (checkString(5, 1, "f") !== "5") throw new Error();
 * ```
 */
export function checkString(value: LuaValue, n: number, name: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw argError(n, name, `string expected, got ${typeName(value)}`);
}

/**
 * Whether an argument is a Lua function (held by JavaScript).
 *
 * @param value the argument
 * @returns true for a function reference
 *
 * @example
 * ```ts
 * import { isFunction } from "./nodemcu_host.ts";
 * if (!isFunction({ luaType: "function", id: 3 }) || isFunction("f")) throw new Error();
 * ```
 */
export function isFunction(value: LuaValue): value is LuaFunctionRef {
  return typeof value === "object" && value !== null && "id" in value;
}

/**
 * Runs Lua source that defines part of a module (a prelude), failing loudly if it does not
 * load: it is the simulator's own code. Chunks named `[sim]` are cut from tracebacks.
 *
 * @param vm the VM
 * @param source the code
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { runPrelude } from "./nodemcu_host.ts";
 * const vm = new LuaVm({ print() {} });
 * runPrelude(vm, "answer = 42");
 * if (vm.globalString("answer") !== "42") throw new Error();
 * ```
 */
export function runPrelude(vm: LuaVm, source: string): void {
  const outcome = vm.run(source, "=[sim]");
  if (outcome.kind !== "ok") throw new Error(`sim prelude: ${JSON.stringify(outcome)}`);
}

/**
 * The modules a build without a module list has (`app/include/user_modules.h`'s defaults).
 */
export const DEFAULT_MODULES: readonly string[] = [
  "file",
  "gpio",
  "net",
  "node",
  "tmr",
  "uart",
  "wifi",
];

/**
 * The firmware's module list: the one its banner prints (`modules:`), else the defaults. The
 * simulator installs the ones it models (`node`, `file`, `tmr`, `uart`, `crypto`, `encoder`,
 * `bit`) only when listed, so a module the image lacks is a `nil` global, as on the device.
 *
 * @param image what the firmware knows about itself
 * @returns module names
 *
 * @example
 * ```ts
 * import { moduleList } from "./nodemcu_host.ts";
 * import type { NodemcuImage } from "./nodemcu_image.ts";
 * const image = { banner: { text: "", offset: 0, modules: ["file", "node"] } } as unknown as NodemcuImage;
 * if (moduleList(image).join() !== "file,node") throw new Error();
 * ```
 */
export function moduleList(image: NodemcuImage): readonly string[] {
  return image.banner?.modules ?? DEFAULT_MODULES;
}
