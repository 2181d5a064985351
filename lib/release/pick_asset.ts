/**
 * Chooses the one asset of a release whose name matches a glob. No match or several matches
 * is a user error that lists what the release has.
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { Glob } from "./glob.ts";
import { compileGlob } from "./glob.ts";
import type { AssetInfo, ReleaseInfo } from "./types.ts";

/** Options for {@link pickAsset}. */
export interface PickAssetOptions {
  /** `owner/repo`, for messages. */
  repository?: string;
}

/**
 * The assets whose names match the pattern, in release order.
 *
 * @param assets the release's assets
 * @param pattern a glob or a compiled {@link Glob}
 * @returns the matching assets
 *
 * @example
 * ```ts
 * import { matchAssets } from "./pick_asset.ts";
 * const assets = [{ id: 1, name: "a-float.bin", size: 1, state: "uploaded" as const,
 *   digest: null, contentType: "application/octet-stream" }];
 * if (matchAssets(assets, "*-float.bin").length !== 1) throw new Error();
 * ```
 */
export function matchAssets(assets: readonly AssetInfo[], pattern: string | Glob): AssetInfo[] {
  const glob = typeof pattern === "string" ? compileGlob(pattern) : pattern;
  return assets.filter((asset) => glob.matches(asset.name));
}

function listNames(assets: readonly AssetInfo[]): string {
  if (assets.length === 0) return "it has no assets";
  const names = assets.slice(0, 30).map((a) => a.name);
  const more = assets.length > names.length ? `, and ${assets.length - names.length} more` : "";
  return `it has: ${names.join(", ")}${more}`;
}

/**
 * Picks exactly one asset of a release by glob.
 *
 * @param release the release
 * @param pattern a glob or a compiled {@link Glob}
 * @param options the repository name for messages
 * @returns the asset
 *
 * @example
 * ```ts
 * import { pickAsset } from "./pick_asset.ts";
 * const asset = (id: number, name: string) => ({ id, name, size: 1, state: "uploaded" as const,
 *   digest: null, contentType: "application/octet-stream" });
 * const release = { id: 1, tag: "v1", name: null, draft: false, prerelease: false,
 *   createdAt: "", publishedAt: null,
 *   assets: [asset(1, "nodemcu-float.bin"), asset(2, "nodemcu-integer.bin")] };
 * if (pickAsset(release, "*-float.bin").id !== 1) throw new Error();
 * ```
 */
export function pickAsset(
  release: ReleaseInfo,
  pattern: string | Glob,
  options: PickAssetOptions = {},
): AssetInfo {
  const glob = typeof pattern === "string" ? compileGlob(pattern) : pattern;
  const matches = matchAssets(release.assets, glob);
  const where = `release '${release.tag}'${
    options.repository === undefined ? "" : ` of ${options.repository}`
  }`;
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw userError(
      "release/no-matching-asset",
      `No asset of ${where} matches '${glob.pattern}'; ${listNames(release.assets)}`,
      "Pick one of the listed names (a glob such as '*-float.bin' works).",
      { details: { assets: release.assets.map((a) => a.name) } },
    );
  }
  throw userError(
    "release/ambiguous-asset",
    `${matches.length} assets of ${where} match '${glob.pattern}': ` +
      matches.map((a) => a.name).join(", "),
    "Make the pattern match exactly one asset.",
    { details: { matches: matches.map((a) => a.name) } },
  );
}
