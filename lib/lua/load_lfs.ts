/**
 * Loading a Lua Flash Store image built by `luac.cross -f` (docs/lua-side.md#lua-flash-store):
 * upload it as a file, call `node.LFS.reload(name)` (`node.flashreload` on older firmware), wait
 * through the restart(s), and confirm as the firmware's Lua version says:
 *
 * - Lua 5.1: an error comes back as a string (no restart); success prints
 *   `LFS region updated.  Restarting.` and the watchdog resets the chip;
 * - Lua 5.3: the call restarts the chip; the next boot prints `Erasing LFS from flash addr 0x…`,
 *   loads the image and restarts again; `LFS image corrupted.` means it was refused.
 *
 * Then the prompt must come back, and the firmware must list the image's modules.
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";
import { restartSign, watchConsole } from "./console_watch.ts";
import { luaQuote } from "./lua_literal.ts";
import type { LuaSession } from "./lua_session.ts";
import { uploadFile } from "./upload_file.ts";

/** What loading did. */
export interface LfsResult {
  /** The image's file name on the board. */
  name: string;
  /** Its size. */
  size: number;
  /** The modules the firmware lists in LFS afterwards (`undefined`: it cannot list them). */
  modules: string[] | undefined;
  /** The firmware's own lines about it, in order. */
  messages: string[];
}

/** Options for {@link loadLfs}. */
export interface LfsOptions {
  /** How long the reload and restarts may take (60 s by default). */
  timeoutMs?: number;
}

const MESSAGES =
  /LFS region updated\.\s+Restarting\.|Erasing LFS from flash addr[^\n]*|LFS image loaded[^\n]*|LFS image corrupted\.?|No LFS image loaded|No LFS partition allocated|LFS image file not found|checksum error on LFS image file|LFS Image too big[^\n]*|Incorrect LFS build type[^\n]*/g;

/**
 * Checks that the bytes look like an LFS image for the firmware's Lua version: gzip for 5.1,
 * NodeMCU's dump format (`ESC Lua 0x53`) for 5.3, and not plain bytecode.
 *
 * @param data the image
 * @param lua the firmware's Lua version (`5.1`, `5.3`)
 * @param source the file's name, for messages
 * @throws `lua/not-lfs-image` (user)
 *
 * @example
 * ```ts
 * import { checkLfsImage } from "./load_lfs.ts";
 * import assert from "node:assert/strict";
 * checkLfsImage(new Uint8Array([0x1f, 0x8b, 8, 0]), "5.1", "lfs.img");
 * assert.throws(() => checkLfsImage(new Uint8Array([0x1b, 0x4c, 0x75, 0x61, 0x51]), "5.1", "x.lc"), /plain Lua bytecode/);
 * ```
 */
export function checkLfsImage(data: Uint8Array, lua: string, source: string): void {
  const gzip = data[0] === 0x1f && data[1] === 0x8b;
  const dump = data[0] === 0x1b && data[1] === 0x4c && data[2] === 0x75 && data[3] === 0x61;
  const hint =
    "Build the image with luac.cross -f (for this firmware's Lua version and number type).";
  if (lua.startsWith("5.1") && !gzip) {
    const what = dump ? "plain Lua bytecode, not an LFS image" : "not a Lua 5.1 LFS image (gzip)";
    throw userError("lua/not-lfs-image", `${source} is ${what}`, hint);
  }
  if (lua.startsWith("5.3") && (!dump || data[4] !== 0x53)) {
    const what = gzip
      ? "a Lua 5.1 LFS image, and this firmware runs Lua 5.3"
      : "not a Lua 5.3 LFS image";
    throw userError("lua/not-lfs-image", `${source} is ${what}`, hint);
  }
}

/**
 * Uploads an LFS image and loads it.
 *
 * @param session the Lua session
 * @param image the name on the board (e.g. `lfs.img`) and the bytes
 * @param options timeout
 * @returns the modules now in LFS and the firmware's messages
 * @throws `lua/no-lfs` when the firmware cannot reload LFS; `lua/not-lfs-image` (user);
 *   `lua/lfs-rejected` with the firmware's words when it refuses the image
 *
 * @example
 * ```ts
 * import { loadLfs, openLuaSession } from "./mod.ts";
 * import { openSimTransport } from "../sim/open_sim_transport.ts";
 * import { flashImage } from "../sim/console_tap.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import assert from "node:assert/strict";
 * // A simulated NodeMCU devkit; on a real board: openTransport("/dev/ttyUSB0", { baudRate: 115200 })
 * const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB" }).combined;
 * const port = await openSimTransport("sim://", { board: { flashContents: flashImage(4 << 20, [[0, fw]]) } });
 * const session = await openLuaSession(port);
 * // This firmware was built without an LFS region: the reload is refused, the board answers on.
 * const image = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
 * await assert.rejects(loadLfs(session, { name: "lfs.img", data: image }), /LFS/);
 * assert.equal(await session.repl.exec("print(6*7)"), "42");
 * session.close();
 * await port.close();
 * ```
 */
export async function loadLfs(
  session: LuaSession,
  image: { name: string; data: Uint8Array },
  options: LfsOptions = {},
): Promise<LfsResult> {
  const reload = session.facts.lfs;
  if (reload === undefined) {
    throw deviceError(
      "lua/no-lfs",
      `The firmware on ${session.url} cannot load LFS images (no node.LFS or node.flashreload)`,
      "Use a firmware built with an LFS region (LUA_FLASH_STORE).",
    );
  }
  const lua = session.facts.lua;
  checkLfsImage(image.data, lua, image.name);
  await uploadFile(session, image);
  const call = reload === "node.LFS" ? "node.LFS.reload" : "node.flashreload";
  session.repl.onEvent({ type: "lfs", step: "reload" });
  await session.repl.sendLine(`print(${call}(${luaQuote(image.name)}))`);
  const end = await watchConsole(session.repl, {
    timeoutMs: options.timeoutMs ?? 60_000,
    // 5.3 answers the call with the error "system restarting" (and a prompt) before it restarts
    done: (text) =>
      /(?:^|\n)> $/.test(text) && !/system restarting/.test(text) &&
      restartSign(text) === undefined,
  });
  const before = end.text;
  if (end.kind === "done" || end.kind === "timeout") {
    const words = before.replace(/\n?> $/, "").trim();
    throw deviceError(
      "lua/lfs-rejected",
      `The firmware on ${session.url} did not load ${image.name}: ${
        end.kind === "timeout" ? "no restart came" : words || "it returned without restarting"
      }`,
      "Check that the image was built by luac.cross -f for this firmware (Lua version, integer or float build) and fits its LFS region.",
      { details: { output: before.slice(-1000) } },
    );
  }
  session.repl.onEvent({ type: "lfs", step: "restart", line: end.evidence });
  const smoke = await session.awaitPrompt("none");
  const all = before + "\n" + new TextDecoder("latin1").decode(smoke.log);
  const messages = [...all.matchAll(MESSAGES)].map((m) => m[0].trim());
  return await confirm(session, image, messages, lua);
}

async function confirm(
  session: LuaSession,
  image: { name: string; data: Uint8Array },
  messages: string[],
  lua: string,
): Promise<LfsResult> {
  const expected = lua.startsWith("5.3") ? /Erasing LFS from flash addr/ : /LFS region updated/;
  const refused = messages.find((m) =>
    /corrupted|not found|checksum error|too big|Incorrect|No LFS partition/.test(m)
  );
  const output = await session.repl.exec(
    'local l=node.LFS and node.LFS.list and node.LFS.list() if l then for _,n in ipairs(l) do print("nf|m",n) end end print("nf|l",l and #l or -1)',
  );
  const count = Number(/^nf\|l\t(-?\d+)/m.exec(output)?.[1] ?? -1);
  const modules = count < 0 ? undefined : [...output.matchAll(/^nf\|m\t(.*)$/gm)].map((m) => m[1]!);
  if (refused !== undefined || !messages.some((m) => expected.test(m)) || modules?.length === 0) {
    throw deviceError(
      "lua/lfs-rejected",
      `The firmware on ${session.url} restarted but did not load ${image.name}: ${
        refused ?? (modules?.length === 0 ? "LFS is empty" : `no '${expected.source}' line`)
      }`,
      "Check that the image was built by luac.cross -f for this firmware and fits its LFS region.",
      { details: { messages } },
    );
  }
  session.repl.onEvent({
    type: "lfs",
    step: "loaded",
    ...(messages.length ? { line: messages.at(-1)! } : {}),
  });
  return { name: image.name, size: image.data.length, modules, messages };
}
