/**
 * The NodeMCU start-up banner: parse its fields in every documented shape (the one parser for
 * images and console text alike; lib/smoke finds banners in a noisy console with it), find it
 * in a firmware image, and compose it (for test images and for the simulator, which prints it
 * "as the firmware would").
 *
 * How it sits in a binary (NodeMCU `app/lua/lua.c` `print_version`): one C string literal
 * `"\n" NODE_VERSION " build " BUILD_DATE " powered by " LUA_RELEASE " on SDK "`, to which the
 * firmware appends the SDK library's own version string (`SDK_VERSION`, e.g.
 * `3.0.1-dev(fce080e)`) stored elsewhere. Shapes by era (docs/field.md A.5):
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

/** A banner found in an image. */
export interface NodemcuBanner extends NodemcuBannerFields {
  /**
   * What the firmware hands to the console: the literal (starting with a newline) plus the SDK
   * string. Lines end in `\n`; NodeMCU's UART driver sends each as `\r\n`.
   */
  text: string;
  /** File offset of the banner literal. */
  offset: number;
}

/** Printable bytes of a C string: TAB, LF, CR and 0x20..0x7E. */
const isText = (b: number): boolean => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f);

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

/** Decodes bytes one char per byte (latin1), so string indexes are file offsets. */
function asLatin1(bytes: Uint8Array): string {
  return new TextDecoder("latin1").decode(bytes);
}

/** The NUL-terminated printable string around `at`. */
function cStringAround(bytes: Uint8Array, at: number): { start: number; text: string } {
  let start = at;
  while (start > 0 && isText(bytes[start - 1]!)) start--;
  let end = at;
  while (end < bytes.length && isText(bytes[end]!)) end++;
  return { start, text: asLatin1(bytes.subarray(start, end)) };
}

/**
 * Finds the NodeMCU banner literal in an image and the SDK version string that completes it.
 * Strings that mention "NodeMCU" but are not a banner (no version and no "powered by") are
 * skipped.
 *
 * @param bytes the firmware (the combined image, or the IROM part `0x10000.bin`)
 * @returns the banner, or `undefined` if there is none
 *
 * @example
 * ```ts
 * import { findNodemcuBanner } from "./nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const bytes = new TextEncoder().encode(
 *   "\u0000\nNodeMCU 2.2.0.0 build 20190405 powered by Lua 5.1.4 on SDK \u0000\u00002.2.1(6ab97e9)\u0000",
 * );
 * assert.equal(findNodemcuBanner(bytes)?.sdk, "2.2.1(6ab97e9)");
 * ```
 */
export function findNodemcuBanner(bytes: Uint8Array): NodemcuBanner | undefined {
  const all = asLatin1(bytes);
  let best: { start: number; text: string } | undefined;
  let at = all.indexOf("NodeMCU");
  while (at >= 0) {
    const found = cStringAround(bytes, at);
    if (found.text.includes("powered by")) {
      best = found;
      break;
    }
    if (best === undefined && /NodeMCU[ \t]+\d+\.\d+/.test(found.text)) best = found;
    at = all.indexOf("NodeMCU", found.start + found.text.length);
  }
  if (best === undefined) return undefined;
  let text = best.text;
  if (/on SDK $/.test(text)) {
    const sdk = /\0(\d+\.\d+\.\d+[\w.+-]*\([0-9a-f]{6,12}\))\0/.exec(all)?.[1];
    if (sdk !== undefined) text += sdk;
  }
  return { text, offset: best.start, ...parseNodemcuBanner(text) };
}

/** What {@link nodemcuBanner} composes. */
export interface NodemcuBannerSpec {
  /** Firmware version, e.g. `3.0.0.0` or `1.5.4.1`. */
  version: string;
  /** Shape; by default `release` for 3.x and later, `plain` before. */
  style?: "release" | "cloud" | "plain";
  /** 3.x first-line prolog; the cloud builder's by default. */
  prolog?: string;
  /** Branch, `release` by default (`master` for 2.x). */
  branch?: string;
  /** Commit hash. */
  commit?: string;
  /** `git describe` text (empty by default, as on cloud builds). */
  release?: string;
  /** Release date-time stamp. */
  releaseDts?: string;
  /** TLS support. */
  ssl?: boolean;
  /** Number type. */
  buildType?: "integer" | "float" | "double";
  /** LFS line text; `0x0 bytes total capacity` (no LFS, as `LUA_FLASH_STORE` defaults) by default. */
  lfs?: string;
  /** Built-in modules. */
  modules?: string[];
  /** Build date. */
  buildDate?: string;
  /** Lua release, `5.1.4` by default. */
  lua?: string;
  /** SDK version string; by default one matching the version's era. */
  sdk?: string;
}

/** What goes into the binary: the literal and the separate SDK string. */
export interface NodemcuBannerParts {
  /** The `print_version` literal, starting with `\n` and ending in `on SDK ` (or the date for 0.9.x-like banners). */
  literal: string;
  /** The SDK version string the firmware appends. */
  sdk: string;
  /** The printed banner: literal + sdk. */
  text: string;
}

function defaultSdk(version: string): string {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major >= 3) return "3.0.1-dev(fce080e)";
  if (major === 2 && minor >= 2) return "2.2.1(6ab97e9)";
  if (major === 2) return "2.1.0(116b762)";
  return `${version.split(".").slice(0, 3).join(".")}(00000000)`;
}

/**
 * Composes a banner in one of the historical shapes. The SDK default for versions before 2.1
 * is synthetic (`x.y.z(00000000)`); pass `sdk` for a real one.
 *
 * @param spec version and fields
 * @returns the literal, the SDK string and the printed text
 *
 * @example
 * ```ts
 * import { nodemcuBanner, parseNodemcuBanner } from "./nodemcu_banner.ts";
 * import assert from "node:assert/strict";
 * const { text } = nodemcuBanner({ version: "3.0.0.0", modules: ["file", "node"] });
 * assert.deepEqual(parseNodemcuBanner(text).modules, ["file", "node"]);
 * ```
 */
export function nodemcuBanner(spec: NodemcuBannerSpec): NodemcuBannerParts {
  const major = Number(spec.version.split(".")[0]);
  const style = spec.style ?? (major >= 3 ? "release" : "plain");
  const sdk = spec.sdk ?? defaultSdk(spec.version);
  const lua = spec.lua ?? "5.1.4";
  const commit = spec.commit ?? "71a182caa7841f8a8e3ad2ca1e5e9bcd0c0ce1c8";
  const modules = (spec.modules ?? ["file", "gpio", "net", "node", "tmr", "uart", "wifi"]).join(
    ",",
  );
  const ssl = String(spec.ssl ?? false);
  const tail = ` powered by Lua ${lua} on SDK `;
  let literal: string;
  if (style === "release") {
    literal = `\nNodeMCU ${spec.version} ` +
      `${spec.prolog ?? "built on nodemcu-build.com provided by frightanic.com"}\n` +
      `\tbranch: ${spec.branch ?? "release"}\n\tcommit: ${commit}\n` +
      `\trelease: ${spec.release ?? ""}\n\trelease DTS: ${spec.releaseDts ?? "202001061321"}\n` +
      `\tSSL: ${ssl}\n\tbuild type: ${spec.buildType ?? "float"}\n` +
      `\tLFS: ${spec.lfs ?? "0x0 bytes total capacity"}\n\tmodules: ${modules}\n` +
      ` build ${spec.buildDate ?? "2020-02-01 19:59"}${tail}`;
  } else if (style === "cloud") {
    literal = `\nNodeMCU custom build by frightanic.com\n\tbranch: ${spec.branch ?? "master"}\n` +
      `\tcommit: ${commit}\n\tSSL: ${ssl}\n\tmodules: ${modules}\n` +
      ` build \tbuilt on: ${spec.buildDate ?? "2017-08-30 18:00"}\n${tail}`;
  } else {
    literal = `\nNodeMCU ${spec.version} build ${spec.buildDate ?? "unspecified"}${tail}`;
  }
  return { literal, sdk, text: literal + sdk };
}
