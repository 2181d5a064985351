/**
 * What the simulated firmware's Lua modules (nodemcu_node.ts, nodemcu_file.ts, nodemcu_tmr.ts,
 * nodemcu_uart.ts, nodemcu_crypto.ts, nodemcu_bit.ts, nodemcu_loader.ts) get from the firmware,
 * and the small helpers they share to take and check Lua arguments the way the C modules do
 * (`luaL_checkinteger` and friends raise `luaL_argerror`; the bridge words it, `bad argument
 * #n to 'name' (…)`, with the name the calling code used).
 *
 * @module
 */

import type { Device } from "./device.ts";
import {
  LuaArgError,
  type LuaFunction,
  type LuaFunctionRef,
  type LuaTable,
  type LuaValue,
  type LuaVersion,
  type LuaVm,
} from "./lua_vm.ts";
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
 * JavaScript side does not need (its closure knows the object). Argument errors count the
 * object, as the C function's do.
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
    if (!isSelf) return fn(...args);
    try {
      return fn(...args.slice(1));
    } catch (error) {
      throw error instanceof LuaArgError ? error.shifted(1) : error;
    }
  };
}

/**
 * Lua's type name of a value as it arrived in JavaScript (`no value` for a missing one).
 *
 * @param value the argument
 * @returns `nil`-less type name, as `luaL_typename` gives it for a missing argument
 *
 * @example
 * ```ts
 * import { typeName } from "./nodemcu_host.ts";
 * if (typeName(undefined) !== "no value" || typeName({ luaType: "table" }) !== "table") throw new Error();
 * ```
 */
export function typeName(value: LuaValue): string {
  if (value === undefined) return "no value";
  if (typeof value === "object") return "lua" in value ? "table" : value.luaType.split(":")[0]!;
  return typeof value === "function" ? "function" : typeof value;
}

/**
 * The error a C module raises for a bad argument (`luaL_argerror`).
 *
 * @param n the argument's position
 * @param problem what is wrong
 * @returns an error Lua reports as `bad argument #n to 'name' (problem)`
 *
 * @example
 * ```ts
 * import { argError } from "./nodemcu_host.ts";
 * if (argError(1, "filename invalid").problem !== "filename invalid") throw new Error();
 * ```
 */
export function argError(n: number, problem: string): LuaArgError {
  return new LuaArgError(n, problem);
}

/**
 * `luaL_checkinteger`: a number (a numeric string converts); 5.1 truncates a fraction, 5.3
 * refuses it (`number has no integer representation`).
 *
 * @param value the argument
 * @param n its position
 * @param options the VM's Lua version (5.1 when not given)
 * @returns the integer
 *
 * @example
 * ```ts
 * import { checkInteger } from "./nodemcu_host.ts";
 * if (checkInteger("12", 1) !== 12 || checkInteger(2.5, 1, { lua: "5.1" }) !== 2) throw new Error();
 * ```
 */
export function checkInteger(
  value: LuaValue,
  n: number,
  options: { lua?: LuaVersion } = {},
): number {
  const v = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw argError(n, `number expected, got ${typeName(value)}`);
  }
  if (options.lua === "5.3" && !Number.isInteger(v)) {
    throw argError(n, "number has no integer representation");
  }
  return Math.trunc(v);
}

/**
 * `luaL_checklstring`: a string (a number converts).
 *
 * @param value the argument
 * @param n its position
 * @returns the string
 *
 * @example
 * ```ts
 * import { checkString } from "./nodemcu_host.ts";
 * if (checkString(5, 1) !== "5") throw new Error();
 * ```
 */
export function checkString(value: LuaValue, n: number): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw argError(n, `string expected, got ${typeName(value)}`);
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
 * Runs Lua source that defines part of a module (a prelude) as the simulator's own code
 * (`LuaVm.runHost`: its functions read as C functions; `local B = ...` gets the bridge's
 * helpers), failing loudly if it does not run.
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
  vm.runHost(source);
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
