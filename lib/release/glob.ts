/**
 * A small glob matcher for asset names (`*-float.bin`, `nodemcu-*.bin`, `fw-{a,b}.bin`).
 *
 * The pattern is parsed into tokens and matched by dynamic programming: no regular expression is
 * built from user input, and matching time is bounded by pattern length times name length.
 * Supported: `*` (any run of characters), `?` (one character), `[abc]`, `[a-z]`, `[!a-z]`
 * (also `[^a-z]`), `{one,two}` alternatives and `\` to escape the next character. Names are
 * flat, so `*` also matches `/`. Matching is case-sensitive, like GitHub asset names.
 *
 * @module
 */

import { userError } from "../errors.ts";

type Token =
  | { type: "char"; char: string }
  | { type: "one" }
  | { type: "star" }
  | { type: "class"; negate: boolean; ranges: Array<[string, string]> };

/** Most alternatives a pattern may expand to (`{a,b}{c,d}` is 4). */
const MAX_ALTERNATIVES = 256;
/** Longest accepted pattern, in characters. */
const MAX_PATTERN_LENGTH = 1_000;

/** A compiled glob: test names with {@link Glob.matches}. */
export interface Glob {
  /** The pattern as given. */
  readonly pattern: string;
  /** Whether the whole name matches the pattern. */
  matches(name: string): boolean;
}

function badPattern(pattern: string, why: string): Error {
  return userError(
    "release/bad-asset-pattern",
    `The asset pattern '${pattern}' is not a valid glob: ${why}`,
    "Use * for any run of characters, ? for one, [abc] for a set, {a,b} for alternatives, " +
      "and \\ before a character to match it literally.",
  );
}

/** Splits `{a,b}` groups into separate patterns (nested groups allowed). */
function expandBraces(pattern: string, whole: string): string[] {
  const chars = Array.from(pattern);
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "[") {
      // skip a character class so that braces inside it are literal
      const end = classEnd(chars, i);
      if (end < 0) throw badPattern(whole, "a '[' has no closing ']'");
      i = end;
      continue;
    }
    if (c === "{") {
      if (depth === 0) open = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) {
        const head = chars.slice(0, open).join("");
        const tail = chars.slice(i + 1).join("");
        const bounds = [open, ...commas, i];
        const out: string[] = [];
        for (let k = 0; k + 1 < bounds.length; k++) {
          const body = chars.slice(bounds[k]! + 1, bounds[k + 1]!).join("");
          for (const rest of expandBraces(head + body + tail, whole)) {
            out.push(rest);
            if (out.length > MAX_ALTERNATIVES) throw badPattern(whole, "too many alternatives");
          }
        }
        return out;
      }
    } else if (c === "," && depth === 1) {
      commas.push(i);
    }
  }
  if (depth > 0) throw badPattern(whole, "a '{' has no closing '}'");
  return [pattern];
}

/** Index of the `]` closing the class that starts at `start`, or -1. */
function classEnd(chars: string[], start: number): number {
  let i = start + 1;
  if (chars[i] === "!" || chars[i] === "^") i++;
  if (chars[i] === "]") i++; // a leading ] is literal
  for (; i < chars.length; i++) {
    if (chars[i] === "\\") i++;
    else if (chars[i] === "]") return i;
  }
  return -1;
}

function parseClass(chars: string[], start: number, end: number): Token {
  let i = start + 1;
  const negate = chars[i] === "!" || chars[i] === "^";
  if (negate) i++;
  const ranges: Array<[string, string]> = [];
  while (i < end) {
    let c = chars[i]!;
    if (c === "\\" && i + 1 < end) c = chars[++i]!;
    if (chars[i + 1] === "-" && i + 2 < end) {
      let hi = chars[i + 2]!;
      let step = 3;
      if (hi === "\\" && i + 3 < end) {
        hi = chars[i + 3]!;
        step = 4;
      }
      ranges.push([c, hi]);
      i += step;
    } else {
      ranges.push([c, c]);
      i++;
    }
  }
  return { type: "class", negate, ranges };
}

function tokenize(pattern: string, whole: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\") {
      const next = chars[i + 1];
      if (next === undefined) throw badPattern(whole, "it ends with a lone '\\'");
      tokens.push({ type: "char", char: next });
      i++;
    } else if (c === "*") {
      if (tokens.at(-1)?.type !== "star") tokens.push({ type: "star" });
    } else if (c === "?") {
      tokens.push({ type: "one" });
    } else if (c === "[") {
      const end = classEnd(chars, i);
      if (end < 0) throw badPattern(whole, "a '[' has no closing ']'");
      tokens.push(parseClass(chars, i, end));
      i = end;
    } else {
      tokens.push({ type: "char", char: c });
    }
  }
  return tokens;
}

function tokenMatches(token: Token, char: string): boolean {
  switch (token.type) {
    case "char":
      return token.char === char;
    case "one":
      return true;
    case "class": {
      const inside = token.ranges.some(([lo, hi]) => char >= lo && char <= hi);
      return inside !== token.negate;
    }
    case "star":
      return true;
  }
}

/** Whole-string match by dynamic programming over (token, character) positions. */
function matchTokens(tokens: Token[], name: string[]): boolean {
  // row[j]: tokens[0..i) match name[0..j)
  let row = new Array<boolean>(name.length + 1).fill(false);
  row[0] = true;
  for (const token of tokens) {
    const next = new Array<boolean>(name.length + 1).fill(false);
    if (token.type === "star") {
      let seen = false;
      for (let j = 0; j <= name.length; j++) {
        seen = seen || row[j]!;
        next[j] = seen;
      }
    } else {
      for (let j = 1; j <= name.length; j++) {
        next[j] = row[j - 1]! && tokenMatches(token, name[j - 1]!);
      }
    }
    row = next;
  }
  return row[name.length]!;
}

/**
 * Compiles a glob pattern; a malformed pattern is a user error (`release/bad-asset-pattern`).
 *
 * @param pattern e.g. `"nodemcu-*-float.bin"`
 * @returns a matcher
 *
 * @example
 * ```ts
 * import { compileGlob } from "./glob.ts";
 * const glob = compileGlob("nodemcu-*-{float,integer}.bin");
 * if (!glob.matches("nodemcu-release-float.bin")) throw new Error();
 * if (glob.matches("nodemcu-release-float.bin.sha256")) throw new Error();
 * ```
 */
export function compileGlob(pattern: string): Glob {
  if (pattern.length === 0) throw badPattern(pattern, "it is empty");
  if (pattern.length > MAX_PATTERN_LENGTH) throw badPattern(pattern.slice(0, 40), "it is too long");
  const alternatives = expandBraces(pattern, pattern).map((p) => tokenize(p, pattern));
  return {
    pattern,
    matches(name: string): boolean {
      const chars = Array.from(name);
      return alternatives.some((tokens) => matchTokens(tokens, chars));
    },
  };
}
