/**
 * The NodeMCU start-up banner's fields, parsed from its lines in every documented shape: the one
 * parser for images and console text alike (lib/smoke finds banners in a noisy console with it,
 * `find_nodemcu_banner.ts` finds them in firmware images).
 *
 * Shapes by era (docs/boot-log.md A.5):
 *
 * - `release` (3.x): `NodeMCU 3.0.0.0 <prolog>` + TAB-indented `branch/commit/release/release
 *   DTS/SSL/build type/LFS/modules` lines + ` build <date> powered by Lua 5.1.4 on SDK …`;
 * - `cloud` (nodemcu-build.com 2015-2019): `NodeMCU custom build by frightanic.com` + TAB lines
 *   + ` build \tbuilt on: <date>` newline ` powered by Lua 5.1.4 on SDK …` (no version number);
 * - `plain` (1.5.x-2.2.x source builds): `NodeMCU 2.2.0.0 build <date> powered by Lua 5.1.4 on
 *   SDK …`.
 *
 * @module
 */

/** Fields of a banner; each present only when the banner has it. */
export interface NodemcuBannerFields {
  /** `3.0.0.0`, `2.2.0.0`, `1.5.4.1`... (absent in the old cloud-builder form). */
  version?: string;
  /** Text after the version on the first line, e.g. `built on nodemcu-build.com provided by frightanic.com`. */
  prolog?: string;
  /** Git branch. */
  branch?: string;
  /** Git commit. */
  commit?: string;
  /** `git describe` output (often empty on cloud builds). */
  release?: string;
  /** Release date-time stamp `yyyymmddHHMM`. */
  releaseDts?: string;
  /** Whether TLS support is built in. */
  ssl?: boolean;
  /** `integer`, `float` or `double`. */
  buildType?: string;
  /** LFS capacity text, e.g. `0x40000 bytes total capacity`. */
  lfs?: string;
  /** LFS capacity in bytes, when the `LFS:` value starts with a number. */
  lfsBytes?: number;
  /** Built-in modules. */
  modules?: string[];
  /** Build date as printed, e.g. `2020-02-01 19:59`. */
  buildDate?: string;
  /** Lua release number, e.g. `5.1.4`. */
  lua?: string;
  /** SDK version string, e.g. `3.0.1-dev(fce080e)`. */
  sdk?: string;
}

const POWERED = /powered by Lua (\d+(?:\.\d+)+)(?:.*? on SDK (\S+))?/;
const FIRST = /NodeMCU\s+(?:(\d+(?:\.\d+){1,3})(?=\s|$))?\s*(.*)$/;
// Noise (a garbled byte at the start of a console line) may precede a key line's TAB.
const KEY =
  /^[^\t\x20-\x7e]*[\t ]+(branch|commit|release DTS|release|SSL|build type|LFS|modules|built on): ?(.*)$/;
const BUILD =
  /^\s*(\d+(?:\.\d+){1,3})?\s*build\s+(?:\t?built on: |created on )?(.*?)\s*(?:powered by .*)?$/;
const BUILD_LINE = /^\s*(?:\d+(?:\.\d+){1,3}\s+)?build\s/;

/**
 * How a banner line reads, for scanners of console text: the `powered by Lua` line that ends
 * every banner, a TAB-indented `key: value` line, a ` build <date>` line, or something else.
 *
 * @param line one line, without its line end
 * @returns its kind
 *
 * @example
 * ```ts
 * import { bannerLineKind } from "./nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bannerLineKind("\tbranch: release"), "key");
 * assert.equal(bannerLineKind(" build 2020-02-01 19:59 powered by Lua 5.1.4 on SDK 3.0.1"), "end");
 * ```
 */
export function bannerLineKind(line: string): "end" | "key" | "build" | "other" {
  if (POWERED.test(line)) return "end";
  if (KEY.test(line)) return "key";
  return BUILD_LINE.test(line) ? "build" : "other";
}

function setKey(fields: NodemcuBannerFields, key: string, value: string): void {
  const v = value.trim();
  switch (key) {
    case "branch":
      fields.branch = v;
      return;
    case "commit":
      fields.commit = v;
      return;
    case "release":
      fields.release = v;
      return;
    case "release DTS":
      fields.releaseDts = v;
      return;
    case "SSL":
      fields.ssl = v === "true";
      return;
    case "build type":
      fields.buildType = v;
      return;
    case "LFS": {
      fields.lfs = v;
      const n = /^(0x[0-9a-fA-F]+|\d+)/.exec(v);
      if (n) fields.lfsBytes = Number(n[1]);
      return;
    }
    case "modules":
      fields.modules = v.split(",").map((m) => m.trim()).filter((m) => m !== "");
      return;
    case "built on":
      fields.buildDate = v;
  }
}

/**
 * Parses a banner's lines (the `NodeMCU` line first, or `""` when it was lost, and the
 * `powered by` line last) into its fields.
 *
 * @param lines the banner's lines, without line ends
 * @returns the fields it has
 *
 * @example
 * ```ts
 * import { parseBannerLines } from "./nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const f = parseBannerLines(["NodeMCU 3.0.0.0 ", "\tSSL: true", " build 2020-02-01 powered by Lua 5.1.4 on SDK 3.0.1"]);
 * assert.deepEqual([f.version, f.ssl, f.lua], ["3.0.0.0", true, "5.1.4"]);
 * ```
 */
export function parseBannerLines(lines: readonly string[]): NodemcuBannerFields {
  const fields: NodemcuBannerFields = {};
  const first = lines[0] ?? "";
  const single = lines.length === 1;
  const head = FIRST.exec(first);
  if (head) {
    if (head[1] !== undefined) fields.version = head[1];
    const rest = head[2] ?? "";
    if (!single) fields.prolog = rest.trim();
    else {
      const b = /^build\s+(.*?)\s+powered by/.exec(rest);
      if (b) fields.buildDate = b[1]!;
    }
  }
  for (const line of single ? [] : lines.slice(1)) {
    const kv = KEY.exec(line);
    if (kv) {
      setKey(fields, kv[1]!, kv[2]!);
      continue;
    }
    const build = BUILD.exec(line);
    if (build && !/^\s*powered by/.test(line)) {
      if (build[1] !== undefined && fields.version === undefined) fields.version = build[1];
      if (build[2] !== undefined && build[2] !== "") fields.buildDate = build[2];
    }
  }
  const powered = POWERED.exec(lines[lines.length - 1] ?? "");
  if (powered) {
    fields.lua = powered[1]!;
    if (powered[2] !== undefined) fields.sdk = powered[2];
  }
  return fields;
}

/**
 * Parses banner text (as printed or as found in an image) into its fields.
 *
 * @param text the banner
 * @returns the fields it has
 *
 * @example
 * ```ts
 * import { parseNodemcuBanner } from "./nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const f = parseNodemcuBanner("NodeMCU 2.2.0.0 build 20190405 powered by Lua 5.1.4 on SDK 2.2.1(6ab97e9)");
 * assert.deepEqual([f.version, f.lua, f.sdk], ["2.2.0.0", "5.1.4", "2.2.1(6ab97e9)"]);
 * ```
 */
export function parseNodemcuBanner(text: string): NodemcuBannerFields {
  return parseBannerLines(text.split(/\r?\n/).filter((line) => line.trim() !== ""));
}
