/**
 * Host paths from glob patterns (`tests/*.lua`, `test/**\/test_*.lua`), for test files named by
 * a pattern (the rack's `--then-test`, the Action's `lua-tests`): `*` and `?` match within one
 * path segment, `**` any number of folders; hidden entries are skipped. A pattern without
 * wildcards is a plain path.
 *
 * @module
 */

import { join, relative, resolve } from "node:path";
import { userError } from "../errors.ts";

const WILD = /[*?]/;

/** A path segment as a regular expression (`*` and `?` stay inside the segment). */
function segmentRegExp(segment: string): RegExp {
  const body = [...segment].map((c) =>
    c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${body}$`);
}

async function entries(dir: string): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (!e.name.startsWith(".")) out.push(e);
  } catch {
    return [];
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

async function match(dir: string, parts: string[], out: string[]): Promise<void> {
  const [head, ...rest] = parts;
  if (head === undefined) return;
  if (head === "**") {
    await match(dir, rest, out);
    for (const e of await entries(dir)) {
      if (e.isDirectory) await match(join(dir, e.name), parts, out);
    }
    return;
  }
  if (!WILD.test(head)) {
    const path = join(dir, head);
    if (rest.length === 0) {
      try {
        if ((await Deno.stat(path)).isFile) out.push(path);
      } catch {
        // no such file: the pattern matches nothing here
      }
    } else await match(path, rest, out);
    return;
  }
  const re = segmentRegExp(head);
  for (const e of await entries(dir)) {
    if (!re.test(e.name)) continue;
    const path = join(dir, e.name);
    if (rest.length === 0) {
      if (e.isFile) out.push(path);
    } else if (e.isDirectory) await match(path, rest, out);
  }
}

/**
 * The files the patterns match, each once, in pattern order then name order.
 *
 * @param patterns glob patterns or plain paths, relative to `cwd` or absolute
 * @param options the folder relative patterns start from (the current one by default)
 * @returns the paths (relative to `cwd` when the pattern was)
 * @throws `lua/no-match` (user) naming a pattern that matches no file
 *
 * @example
 * ```ts
 * import { expandGlobs } from "./local_glob.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/t/sub`, { recursive: true });
 * for (const f of ["t/test_a.lua", "t/sub/test_b.lua", "t/helper.lua"]) await Deno.writeTextFile(`${dir}/${f}`, "");
 * assert.deepEqual(await expandGlobs(["t/**\/test_*.lua"], { cwd: dir }), ["t/test_a.lua", "t/sub/test_b.lua"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function expandGlobs(
  patterns: string[],
  options: { cwd?: string } = {},
): Promise<string[]> {
  const cwd = resolve(options.cwd ?? Deno.cwd());
  const out: string[] = [];
  for (const pattern of patterns) {
    const absolute = pattern.startsWith("/");
    const parts = pattern.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
    const found: string[] = [];
    await match(absolute ? "/" : cwd, parts, found);
    if (found.length === 0) {
      throw userError(
        "lua/no-match",
        `No file matches '${pattern}'${absolute ? "" : ` in ${cwd}`}`,
        "Check the pattern: * and ? match inside one folder, ** any number of folders.",
      );
    }
    for (const f of found) {
      const shown = absolute ? f : relative(cwd, f);
      if (!out.includes(shown)) out.push(shown);
    }
  }
  return out;
}
