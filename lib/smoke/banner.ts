/**
 * The NodeMCU start-up banner in every documented format (docs/field.md A.5): 0.9.x, plain
 * 1.5-2.2 builds, the 2015-2019 cloud builder, the Docker builder, and 3.x with TAB-indented
 * key lines (Lua 5.1 or 5.3).
 *
 * @module
 */

import { consoleLines } from "./console_text.ts";

/** What a banner says about the firmware. Absent fields were not printed. */
export interface BannerFields {
  /** NodeMCU version, e.g. `"3.0.0.0"`, `"2.1.0"`, `"0.9.5"` (cloud builds before 3.x print none). */
  version?: string;
  /** Text after the version on the first line, e.g. `"built on nodemcu-build.com provided by frightanic.com"`. */
  prolog?: string;
  /** Git branch (`branch:` line). */
  branch?: string;
  /** Git commit (`commit:` line). */
  commit?: string;
  /** `git describe` result (`release:` line; empty on cloud builds). */
  release?: string;
  /** `release DTS:` value, e.g. `"202001061321"`. */
  releaseDts?: string;
  /** Whether TLS is compiled in (`SSL:` line). */
  ssl?: boolean;
  /** `integer`, `float` or `double` (`build type:` line). */
  buildType?: string;
  /** The `LFS:` value as printed, e.g. `"0x20000 bytes total capacity"`. */
  lfs?: string;
  /** LFS capacity in bytes, when the `LFS:` value starts with a number. */
  lfsBytes?: number;
  /** Compiled-in modules (`modules:` line). */
  modules?: string[];
  /** Build date as printed (`2020-06-27 20:24`, `20150318`, `unspecified`). */
  buildDate?: string;
  /** Lua version, e.g. `"5.1.4"`, `"5.3.5"`. */
  lua?: string;
  /** SDK version string, e.g. `"3.0.1-dev(fce080e)"`. */
  sdk?: string;
}

/** A banner found in console text. */
export interface BannerMatch {
  /** Offset of its first line. */
  at: number;
  /** Offset just after its `powered by` line. */
  end: number;
  /** The parsed fields. */
  fields: BannerFields;
}

const POWERED = /powered by Lua (\d+(?:\.\d+)+)(?:.*? on SDK (\S+))?/;
const FIRST = /NodeMCU\s+(?:(\d+(?:\.\d+){1,3})(?=\s|$))?\s*(.*)$/;
const KEY =
  /^[^\t\x20-\x7e]*[\t ]+(branch|commit|release DTS|release|SSL|build type|LFS|modules|built on): ?(.*)$/;
const BUILD =
  /^\s*(\d+(?:\.\d+){1,3})?\s*build\s+(?:\t?built on: |created on )?(.*?)\s*(?:powered by .*)?$/;
const BUILD_LINE = /^\s*(?:\d+(?:\.\d+){1,3}\s+)?build\s/;
/** How many lines a banner may span (3.x prints 11). */
const MAX_LINES = 16;

function setKey(fields: BannerFields, key: string, value: string): void {
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

function parseLines(lines: string[]): BannerFields {
  const fields: BannerFields = {};
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
 * Finds every complete banner (one whose `powered by Lua` line arrived) in console text.
 *
 * @param text console text
 * @returns the banners in order
 *
 * @example
 * ```ts
 * import { findBanners } from "./banner.ts";
 * import assert from "node:assert/strict";
 * const [b] = findBanners("\r\nNodeMCU 2.1.0 build unspecified powered by Lua 5.1.4 on SDK 2.1.0(116b762)\r\n");
 * assert.deepEqual(b?.fields, {
 *   version: "2.1.0", buildDate: "unspecified", lua: "5.1.4", sdk: "2.1.0(116b762)",
 * });
 * ```
 */
export function findBanners(text: string): BannerMatch[] {
  const lines = consoleLines(text);
  const out: BannerMatch[] = [];
  let floor = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!POWERED.test(line.text)) continue;
    if (i === lines.length - 1) break; // the powered-by line is not complete yet
    // Walk back over key and build lines to the `NodeMCU` line (which noise may have eaten).
    let start = i;
    for (let j = i; j >= Math.max(floor, i - MAX_LINES); j--) {
      const text = lines[j]!.text;
      if (/NodeMCU\b/.test(text)) {
        start = j;
        break;
      }
      if (j < i && !KEY.test(text) && !BUILD_LINE.test(text)) break;
      start = j;
    }
    const own = lines.slice(start, i + 1).map((l) => l.text);
    const nodemcuLine = own[0] !== undefined && /NodeMCU\b/.test(own[0]);
    const fields = parseLines(nodemcuLine ? own : ["", ...own]);
    out.push({ at: lines[start]!.at, end: lines[i + 1]!.at, fields });
    floor = i + 1;
  }
  return out;
}

/**
 * Parses the first complete banner in console text.
 *
 * @param text console text
 * @returns its fields, or `undefined` when there is no complete banner
 *
 * @example
 * ```ts
 * import { parseBanner } from "./banner.ts";
 * import assert from "node:assert/strict";
 * const b = parseBanner(
 *   "NodeMCU 3.0.0.0 \r\n\tbranch: release\r\n\tSSL: false\r\n\tbuild type: float\r\n" +
 *     " build 2024-02-25 09:00 powered by Lua 5.3.6 on SDK 3.0.1-dev(fce080e)\r\n",
 * );
 * assert.equal(b?.version, "3.0.0.0");
 * assert.equal(b?.prolog, "");
 * assert.equal(b?.lua, "5.3.6");
 * assert.equal(b?.ssl, false);
 * ```
 */
export function parseBanner(text: string): BannerFields | undefined {
  return findBanners(text)[0]?.fields;
}
