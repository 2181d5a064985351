/**
 * Files on the host that go to the board: one file, or a folder's files (sub-folders become
 * names with `/`, as NodeMCU's flat file system allows; hidden entries are skipped), each named
 * and checked before any byte is sent.
 *
 * @module
 */

import { basename, join, relative } from "node:path";
import { userError } from "../errors.ts";
import { checkFileName } from "./file_name.ts";

/** A host file and the name it gets on the board. */
export interface LocalFile {
  /** The name on the board. */
  name: string;
  /** The host path. */
  path: string;
  /** The bytes. */
  data: Uint8Array;
}

/**
 * Reads a host file.
 *
 * @param path the host path
 * @param options the name on the board (the file's base name by default)
 * @returns the file
 * @throws `lua/no-file` (user) when it cannot be read; `lua/bad-name` for a name the board refuses
 *
 * @example
 * ```ts
 * import { readLocalFile } from "./local_files.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/init.lua`, "print(1)\n");
 * assert.equal((await readLocalFile(`${dir}/init.lua`)).name, "init.lua");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readLocalFile(
  path: string,
  options: { name?: string } = {},
): Promise<LocalFile> {
  const name = options.name ?? basename(path);
  checkFileName(name, path);
  let data: Uint8Array;
  try {
    data = await Deno.readFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.IsADirectory
      ? "it is a folder (use sync for folders)"
      : error instanceof Error
      ? error.message
      : String(error);
    throw userError("lua/no-file", `Cannot read ${path}: ${why}`, "Check the path.");
  }
  return { name, path, data };
}

async function walk(dir: string, root: string, out: string[]): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const full = join(dir, e.name);
    if (e.isDirectory) await walk(full, root, out);
    else if (e.isFile) out.push(full);
  }
}

/**
 * Reads a folder's files, named by their path inside it (`lib/util.lua`).
 *
 * @param dir the folder
 * @returns its files, sorted by name
 * @throws `lua/no-file` (user) when the folder cannot be read; `lua/bad-name` naming every file
 *   whose name the board refuses (over 31 bytes)
 *
 * @example
 * ```ts
 * import { readLocalDir } from "./local_files.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/lib`);
 * await Deno.writeTextFile(`${dir}/lib/a.lua`, "return 1\n");
 * assert.deepEqual((await readLocalDir(dir)).map((f) => f.name), ["lib/a.lua"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readLocalDir(dir: string): Promise<LocalFile[]> {
  const paths: string[] = [];
  try {
    await walk(dir, dir, paths);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "no such folder" : String(error);
    throw userError("lua/no-file", `Cannot read the folder ${dir}: ${why}`, "Check the path.");
  }
  const names = paths.map((p) => relative(dir, p).split("\\").join("/"));
  const bad = names.filter((n) => new TextEncoder().encode(n).length > 31);
  if (bad.length > 0) {
    throw userError(
      "lua/bad-name",
      `NodeMCU keeps at most 31 bytes of a file name; too long in ${dir}: ${bad.join(", ")}`,
      "Rename these files (names inside sub-folders include the folder's name and a '/').",
    );
  }
  const out: LocalFile[] = [];
  for (let i = 0; i < paths.length; i++) {
    checkFileName(names[i]!, paths[i]!);
    out.push({ name: names[i]!, path: paths[i]!, data: await Deno.readFile(paths[i]!) });
  }
  return out;
}

/**
 * Checks that a host file is Lua source (a test file, say): a `.lua` name, text without NUL
 * bytes, not precompiled bytecode.
 *
 * @param file the file
 * @throws `lua/not-lua` (user) saying what it is instead
 *
 * @example
 * ```ts
 * import { checkLuaSource } from "./local_files.ts";
 * import assert from "node:assert/strict";
 * const text = (s: string) => new TextEncoder().encode(s);
 * checkLuaSource({ name: "t.lua", path: "t.lua", data: text("print(1)\n") });
 * assert.throws(() => checkLuaSource({ name: "t.py", path: "t.py", data: text("print(1)\n") }), /not a Lua/);
 * ```
 */
export function checkLuaSource(file: LocalFile): void {
  const hint = "Test files are Lua source files ending in .lua.";
  if (!file.path.endsWith(".lua")) {
    throw userError("lua/not-lua", `${file.path} is not a Lua file (no .lua extension)`, hint);
  }
  if (file.data[0] === 0x1b) {
    throw userError("lua/not-lua", `${file.path} is compiled Lua bytecode, not Lua source`, hint);
  }
  if (file.data.includes(0)) {
    throw userError("lua/not-lua", `${file.path} is not a Lua file (it holds binary data)`, hint);
  }
}
