/**
 * Values between JavaScript and Lua, in the forms of the bridge (lua_driver.ts): JavaScript
 * values become a Lua "values chunk" (`local F,R=...;return v1,v2`), Lua values arrive in the
 * compact encoding the driver writes (`N`, `T`, `F`, `n1.5;`, `i42;`, `s3:abc`, `f7;`,
 * `rtable;`). Strings are bytes, one per character (Latin-1), both ways.
 *
 * @module
 */

/** A value passed between Lua and JavaScript. */
export type LuaValue =
  | undefined
  | boolean
  | number
  | string
  | LuaTable
  | LuaFunction
  | LuaFunctionRef
  | LuaRef;
/** A JavaScript function Lua can call; returns one value or several. */
export type LuaFunction = (...args: LuaValue[]) => LuaValue | LuaValue[];
/** A table built in JavaScript: plain keys, values converted recursively. */
export interface LuaTable {
  /** Marks a table. */
  readonly lua: "table";
  /** String keys. */
  fields?: Record<string, LuaValue>;
  /** Array part (1-based in Lua). */
  items?: LuaValue[];
}
/** A Lua function handed to JavaScript (a callback such as uart.on's); call it later. */
export interface LuaFunctionRef {
  /** Marks a function. */
  readonly luaType: "function";
  /** Which one (the VM's handle). */
  readonly id: number;
}
/** A Lua value JavaScript cannot use (a table, userdata or coroutine passed in). */
export interface LuaRef {
  /** Its Lua type name. */
  readonly luaType: string;
}

/** Escapes every byte outside printable ASCII, and `"` and `\`, as `\ddd`. */
const UNSAFE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

/**
 * A values chunk: Lua source that returns the values when called with `F` (makes a Lua
 * function for a JavaScript one, by id) and `R` (a Lua function held by JavaScript, by id).
 *
 * @param values the values
 * @param options `register` gives an id to each JavaScript function met; `integers` says
 *   whether the Lua has an integer subtype (5.3), so whole numbers stay integers
 * @returns the chunk
 *
 * @example
 * ```ts
 * import { valuesChunk } from "./lua_values.ts";
 * const chunk = valuesChunk([1, "a\n", { lua: "table", items: [true] }], {
 *   register: () => 1,
 *   integers: true,
 * });
 * if (chunk !== 'local F,R=...;return 1,"a\\010",{true}') throw new Error(chunk);
 * ```
 */
export function valuesChunk(
  values: readonly LuaValue[],
  options: { register(fn: LuaFunction): number; integers: boolean },
): string {
  const parts = values.map((v) => valueSource(v, options));
  return `local F,R=...;return ${parts.join(",")}`;
}

function valueSource(
  value: LuaValue,
  options: { register(fn: LuaFunction): number; integers: boolean },
): string {
  switch (typeof value) {
    case "undefined":
      return "nil";
    case "boolean":
      return String(value);
    case "number":
      return numberSource(value, options.integers);
    case "string":
      return `"${
        value.replace(UNSAFE, (c) => `\\${String(c.charCodeAt(0) & 0xff).padStart(3, "0")}`)
      }"`;
    case "function":
      return `F(${options.register(value)})`;
  }
  if ("lua" in value) {
    const items = (value.items ?? []).map((v) => valueSource(v, options));
    const fields = Object.entries(value.fields ?? {}).map(([k, v]) =>
      `[${valueSource(k, options)}]=${valueSource(v, options)}`
    );
    return `{${[...items, ...fields].join(",")}}`;
  }
  if (value.luaType === "function" && "id" in value) return `R(${value.id})`;
  return "nil";
}

function numberSource(n: number, integers: boolean): string {
  if (Number.isNaN(n)) return "(0/0)";
  if (!Number.isFinite(n)) return n > 0 ? "(1/0)" : "(-1/0)";
  if (Object.is(n, -0)) return "(-0.0)";
  const text = String(n);
  // Whole numbers from 2^53 on are floats in JavaScript: keep them floats in Lua 5.3.
  if (integers && Number.isInteger(n) && Math.abs(n) >= 2 ** 53 && !/[.e]/.test(text)) {
    return `${text}.0`;
  }
  return text;
}

/**
 * Decodes the driver's value encoding.
 *
 * @param text the encoded values (one character per byte)
 * @param functionRef makes the handle of a Lua function JavaScript now holds
 * @returns the values
 *
 * @example
 * ```ts
 * import { decodeValues } from "./lua_values.ts";
 * import assert from "node:assert/strict";
 * const values = decodeValues("Ns2:hin2.5;i7;f3;rtable;", (id) => ({ luaType: "function", id }));
 * assert.deepEqual(values, [undefined, "hi", 2.5, 7, { luaType: "function", id: 3 }, { luaType: "table" }]);
 * ```
 */
export function decodeValues(
  text: string,
  functionRef: (id: number) => LuaFunctionRef,
): LuaValue[] {
  const out: LuaValue[] = [];
  let at = 0;
  const until = (end: string): string => {
    const stop = text.indexOf(end, at);
    if (stop < 0) throw new Error(`bad value encoding: ${JSON.stringify(text)}`);
    const piece = text.slice(at, stop);
    at = stop + 1;
    return piece;
  };
  while (at < text.length) {
    const tag = text[at++];
    if (tag === "N") out.push(undefined);
    else if (tag === "T") out.push(true);
    else if (tag === "F") out.push(false);
    else if (tag === "n" || tag === "i") out.push(parseLuaNumber(until(";")));
    else if (tag === "s") {
      const length = Number(until(":"));
      out.push(text.slice(at, at + length));
      at += length;
    } else if (tag === "f") out.push(functionRef(Number(until(";"))));
    else if (tag === "r") out.push({ luaType: until(";") });
    else throw new Error(`bad value encoding: ${JSON.stringify(text)}`);
  }
  return out;
}

function parseLuaNumber(text: string): number {
  const n = Number(text);
  if (!Number.isNaN(n)) return n;
  if (/^-?inf/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  return NaN;
}

/**
 * Bytes of a string, one per character.
 *
 * @param text the string
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { bytesOf } from "./lua_values.ts";
 * if (bytesOf("\u00e9")[0] !== 0xe9) throw new Error();
 * ```
 */
export function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/**
 * A string with one character per byte.
 *
 * @param bytes the bytes
 * @returns the string
 *
 * @example
 * ```ts
 * import { textOf } from "./lua_values.ts";
 * if (textOf(new Uint8Array([0x68, 0x69])) !== "hi") throw new Error();
 * ```
 */
export function textOf(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}
