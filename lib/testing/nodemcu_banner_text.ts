/**
 * Composes a NodeMCU start-up banner in one of its historical shapes (see lib/image's
 * `nodemcu_banner.ts`), for test images and the demo: the C string literal the firmware keeps
 * and the SDK version string it appends.
 *
 * @module
 */

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
  /** Commit hash (3.0.0-release_20210201's by default). */
  commit?: string;
  /** `git describe` text (empty by default, as on cloud builds). */
  release?: string;
  /**
   * Release date-time stamp: the commit's UTC date, `202102010145` (3.0.0-release_20210201) by
   * default. The simulator takes its Lua front end from it (lib/sim/nodemcu_front_end.ts): give
   * an earlier one for a 2019 or early-2020 3.0 build.
   */
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
 * import { nodemcuBanner } from "./nodemcu_banner_text.ts";
 * import { parseNodemcuBanner } from "../image/nodemcu_banner.ts";
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
  const commit = spec.commit ?? "136e09739b835d6dcdf04034141d70ab755468c6";
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
      `\trelease: ${spec.release ?? ""}\n\trelease DTS: ${spec.releaseDts ?? "202102010145"}\n` +
      `\tSSL: ${ssl}\n\tbuild type: ${spec.buildType ?? "float"}\n` +
      `\tLFS: ${spec.lfs ?? "0x0 bytes total capacity"}\n\tmodules: ${modules}\n` +
      ` build ${spec.buildDate ?? "2021-02-01 19:59"}${tail}`;
  } else if (style === "cloud") {
    literal = `\nNodeMCU custom build by frightanic.com\n\tbranch: ${spec.branch ?? "master"}\n` +
      `\tcommit: ${commit}\n\tSSL: ${ssl}\n\tmodules: ${modules}\n` +
      ` build \tbuilt on: ${spec.buildDate ?? "2017-08-30 18:00"}\n${tail}`;
  } else {
    literal = `\nNodeMCU ${spec.version} build ${spec.buildDate ?? "unspecified"}${tail}`;
  }
  return { literal, sdk, text: literal + sdk };
}
