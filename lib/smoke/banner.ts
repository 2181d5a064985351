/**
 * Finding NodeMCU start-up banners in console text, in every documented format (docs/boot-log.md
 * A.5): 0.9.x, plain 1.5-2.2 builds, the 2015-2019 cloud builder, the Docker builder, and 3.x
 * with TAB-indented key lines (Lua 5.1 or 5.3), where noise may have eaten the first line. The
 * fields are parsed by the image layer's banner parser, the same one that reads images.
 *
 * @module
 */

import {
  bannerLineKind,
  type NodemcuBannerFields,
  parseBannerLines,
} from "../image/nodemcu_banner.ts";
import { consoleLines } from "./console_text.ts";

/** What a banner says about the firmware. Absent fields were not printed. */
export type BannerFields = NodemcuBannerFields;

/** A banner found in console text. */
export interface BannerMatch {
  /** Offset of its first line. */
  at: number;
  /** Offset just after its `powered by` line. */
  end: number;
  /** The parsed fields. */
  fields: BannerFields;
}

/** How many lines a banner may span (3.x prints 11). */
const MAX_LINES = 16;

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
    if (bannerLineKind(line.text) !== "end") continue;
    if (i === lines.length - 1) break; // the powered-by line is not complete yet
    // Walk back over key and build lines to the `NodeMCU` line (which noise may have eaten).
    let start = i;
    for (let j = i; j >= Math.max(floor, i - MAX_LINES); j--) {
      const text = lines[j]!.text;
      if (/NodeMCU\b/.test(text)) {
        start = j;
        break;
      }
      if (j < i && !["key", "build"].includes(bannerLineKind(text))) break;
      start = j;
    }
    const own = lines.slice(start, i + 1).map((l) => l.text);
    const nodemcuLine = own[0] !== undefined && /NodeMCU\b/.test(own[0]);
    const fields = parseBannerLines(nodemcuLine ? own : ["", ...own]);
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
