/**
 * Bytes as the body of a double-quoted Lua string that survives NodeMCU's REPL input line
 * (docs/lua-side.md#echo-and-line-endings): CR and LF end the line, BS and DEL erase a character,
 * NUL ends the line on 2.x (it is copied with `strlen`), and the uploader reads every `>` on the
 * console as the start of a prompt. Those bytes, XON and XOFF (a host port with software flow
 * control would swallow them), the quote and the backslash are written as Lua escapes (`\n`,
 * `\ddd`), which Lua 5.1 and 5.3 both read; every other byte (other control characters and
 * 0x80-0xFF included: Lua's lexer keeps them as they are inside a string) goes through as itself,
 * so a binary file grows by about 10 %, a text file hardly at all.
 *
 * @module
 */

/** The bytes written as escapes. */
const ESCAPED = new Set([0x00, 0x08, 0x0a, 0x0d, 0x11, 0x13, 0x22, 0x3e, 0x5c, 0x7f]);

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Whether a byte must be written as an escape inside the string.
 *
 * @param byte the byte
 * @returns `true` for NUL, BS, LF, CR, XON, XOFF, DEL, `"`, `\\` and `>`
 *
 * @example
 * ```ts
 * import { needsEscape } from "./lua_literal.ts";
 * if (!needsEscape(0x0a) || !needsEscape(0x3e) || needsEscape(0x41) || needsEscape(0xff)) {
 *   throw new Error();
 * }
 * ```
 */
export function needsEscape(byte: number): boolean {
  return ESCAPED.has(byte);
}

/** The escape for one byte; `padded` when a digit follows, so the escape cannot absorb it. */
function escapeOf(byte: number, padded: boolean): string {
  if (byte === 0x0a) return "\\n";
  if (byte === 0x22) return '\\"';
  if (byte === 0x5c) return "\\\\";
  return "\\" + (padded ? String(byte).padStart(3, "0") : String(byte));
}

/** One piece of a string body: its text and how many source bytes it holds. */
export interface LiteralPiece {
  /** The body, ASCII escapes and raw bytes, one character per byte. */
  text: string;
  /** Source bytes it encodes. */
  bytes: number;
}

/**
 * Encodes bytes from `start` into a string body of at most `maxChars` characters.
 *
 * @param data the bytes
 * @param options where to start and how long the body may be
 * @returns the body (one character per output byte) and how many source bytes it holds
 *
 * @example
 * ```ts
 * import { luaStringPiece } from "./lua_literal.ts";
 * import assert from "node:assert/strict";
 * const data = new TextEncoder().encode('a>b\n"1');
 * assert.deepEqual(luaStringPiece(data, { start: 0, maxChars: 100 }), {
 *   text: 'a\\62b\\n\\"1',
 *   bytes: 6,
 * });
 * // A byte escape followed by a digit is padded to three digits: "\0001", not "\01".
 * assert.equal(luaStringPiece(new Uint8Array([0, 0x31]), { start: 0, maxChars: 9 }).text, "\\0001");
 * ```
 */
export function luaStringPiece(
  data: Uint8Array,
  options: { start: number; maxChars: number },
): LiteralPiece {
  let text = "";
  let i = options.start;
  while (i < data.length) {
    const b = data[i]!;
    let piece: string;
    if (needsEscape(b)) {
      const next = data[i + 1];
      const digitNext = next !== undefined && next >= DIGIT_0 && next <= DIGIT_9;
      piece = escapeOf(b, digitNext);
    } else {
      piece = String.fromCharCode(b);
    }
    if (text.length + piece.length > options.maxChars) break;
    text += piece;
    i++;
  }
  return { text, bytes: i - options.start };
}

/**
 * A whole byte string as a Lua string literal with its quotes (for file names and short
 * arguments in the helper calls).
 *
 * @param value the string (UTF-8 encoded) or bytes
 * @returns the literal, e.g. `"init.lua"`
 *
 * @example
 * ```ts
 * import { luaQuote } from "./lua_literal.ts";
 * if (luaQuote('a"b') !== '"a\\"b"') throw new Error();
 * ```
 */
export function luaQuote(value: string | Uint8Array): string {
  const data = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return `"${luaStringPiece(data, { start: 0, maxChars: Infinity }).text}"`;
}

/**
 * The bytes a Lua string body stands for (the inverse of {@link luaStringPiece}, for the escapes
 * it writes); tests use it to check the encoding round-trips.
 *
 * @param body the body, one character per byte
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { decodeLuaBody } from "./lua_literal.ts";
 * if (decodeLuaBody("a\\62\\0001")[1] !== 0x3e) throw new Error();
 * ```
 */
export function decodeLuaBody(body: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const e = body[++i]!;
    if (e === "n") out.push(0x0a);
    else if (e === '"' || e === "\\") out.push(e.charCodeAt(0));
    else {
      const digits = /^\d{1,3}/.exec(body.slice(i))![0];
      out.push(Number(digits));
      i += digits.length - 1;
    }
  }
  return Uint8Array.from(out);
}
