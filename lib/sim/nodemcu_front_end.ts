/**
 * Which of NodeMCU's Lua front ends an image has, from when it was built. The front end (the
 * firmware's `lua.c` and console driver) decides what a console line, `init.lua` and a failing
 * callback look like, and it changed twice in 2020, inside version 3.0.0.0:
 *
 * - **`readline`**: `app/lua/lua.c` as NodeMCU 0.9 to 2.2.1 and the 3.0 builds of 2019 have it
 *   (3.0-master_20190907 included): lines run as soon as they are complete, an error prints
 *   bare, `init.lua` runs in a protected call whose failure is printed as `lua: ` + message (a
 *   traceback after a runtime error) before the boot goes on to the prompt, and a missing one is
 *   `lua: cannot open init.lua`.
 * - **`pipe`**: `app/lua53/lua.c` (shared by the 5.1 build), from the commit of 27 April 2020 on
 *   the dev branch (3.0-master_20200610 on master): lines go through the stdin pipe, an error
 *   prints as `Lua error: ` + message, `init.lua`'s failure is printed without a prefix, a
 *   missing one is `cannot open init.lua: `.
 *
 * Independently, **errors in callbacks**: until 16 June 2020 (3.0-master_20200610 included) a
 * timer or event callback runs through `lua_call`, so its error is `PANIC: unprotected error in
 * call to Lua API (…)` and a restart; from then on (`luaL_pcallx`, 3.0-master_20200910 and
 * later) its traceback goes to `node.setonerror`'s handler (by default: print, and restart 2 s
 * later), and console errors print `Lua error: ` + TAB + message.
 *
 * The date is the banner's `release DTS:` (the commit's UTC date, which the build records),
 * else the date in its `release:` tag or build date. **Modelling choices:** a banner of
 * version 3 or later without any date (a hand-made test image, the generic banner of an image
 * without one) counts as current; a Lua 5.3 build has the pipe front end (5.3 arrived with it).
 *
 * @module
 */

import type { NodemcuBanner } from "../image/find_nodemcu_banner.ts";

/** When the unified `lua.c` landed on the dev branch (9ef5c7db, committed 2020-04-27 00:13 UTC). */
export const PIPE_SINCE = 202004270013;
/** When `luaL_pcallx` and `node.setonerror` landed (1f2e5bba, committed 2020-06-16 07:19 UTC). */
export const ONERROR_SINCE = 202006160719;

/** The front end's behaviour, as {@link luaFrontEnd} finds it. */
export interface LuaFrontEnd {
  /** How console lines reach Lua and how `init.lua` is reported. */
  console: "readline" | "pipe";
  /** What an error in a callback does. */
  callbackErrors: "panic" | "onerror";
}

/**
 * When the build's source was committed, as `yyyymmddHHMM` (UTC), from the banner: the release
 * DTS, else the date of the `release:` tag or the build date (at 00:00).
 *
 * @param banner the banner's fields
 * @returns the stamp, if the banner has a date
 *
 * @example
 * ```ts
 * import { buildStamp } from "./nodemcu_front_end.ts";
 * import type { NodemcuBanner } from "../image/find_nodemcu_banner.ts";
 * const banner = { text: "", offset: 0, release: "3.0-master_20200610 +32" } as NodemcuBanner;
 * if (buildStamp(banner) !== 202006100000) throw new Error();
 * ```
 */
export function buildStamp(banner: NodemcuBanner | undefined): number | undefined {
  const dts = /^(\d{12})/.exec(banner?.releaseDts ?? "")?.[1];
  if (dts !== undefined) return Number(dts);
  const day = /^(\d{8})/.exec(banner?.releaseDts ?? "")?.[1] ??
    /_(\d{8})/.exec(banner?.release ?? "")?.[1] ??
    /(\d{4})-(\d{2})-(\d{2})/.exec(banner?.buildDate ?? "")?.slice(1, 4).join("");
  return day === undefined ? undefined : Number(day) * 10000;
}

/**
 * The front end of a build.
 *
 * @param banner the banner's fields, if the image has a banner
 * @param options the firmware's major version and Lua version
 * @returns its console and callback-error behaviour
 *
 * @example
 * ```ts
 * import { luaFrontEnd } from "./nodemcu_front_end.ts";
 * import type { NodemcuBanner } from "../image/find_nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const jan2020 = { text: "", offset: 0, releaseDts: "202001061321" } as NodemcuBanner;
 * assert.deepEqual(luaFrontEnd(jan2020, { major: 3, lua: "5.1" }), { console: "readline", callbackErrors: "panic" });
 * assert.deepEqual(luaFrontEnd(undefined, { major: 3, lua: "5.1" }), { console: "pipe", callbackErrors: "onerror" });
 * ```
 */
export function luaFrontEnd(
  banner: NodemcuBanner | undefined,
  options: { major: number; lua: "5.1" | "5.3" },
): LuaFrontEnd {
  const stamp = buildStamp(banner);
  if (options.major < 3) return { console: "readline", callbackErrors: "panic" };
  if (stamp === undefined) return { console: "pipe", callbackErrors: "onerror" };
  return {
    console: stamp >= PIPE_SINCE || options.lua === "5.3" ? "pipe" : "readline",
    callbackErrors: stamp >= ONERROR_SINCE ? "onerror" : "panic",
  };
}
