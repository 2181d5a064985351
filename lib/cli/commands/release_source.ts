/**
 * Firmware from a GitHub release for `flash`: `--release owner/repo@tag --asset '*.bin'`
 * (`@latest` too), token from `--token` or `GITHUB_TOKEN`. Downloaded, size- and
 * digest-checked and cached before any board is touched.
 *
 * @module
 */

import { type FlashFile, userError } from "../../../mod.ts";
import type { CommandContext, OptionSpec } from "../command.ts";
import { readUserFile } from "../values.ts";

/** The release options of `flash`. */
export const RELEASE_OPTIONS: Record<string, OptionSpec> = {
  release: {
    type: "string",
    valueName: "OWNER/REPO@TAG",
    description: "take the firmware (at 0x0) from a GitHub release (@latest for the newest)",
  },
  asset: {
    type: "string",
    valueName: "GLOB",
    description: "which release asset, e.g. '*-float.bin'",
  },
  token: {
    type: "string",
    valueName: "TOKEN",
    description: "GitHub token (default: GITHUB_TOKEN)",
  },
};

/**
 * Downloads the release asset when `--release` was given.
 *
 * @param ctx the command context
 * @returns the firmware file at 0x0, or undefined without `--release`
 */
export async function fetchFirmwareFromRelease(
  ctx: CommandContext,
): Promise<FlashFile | undefined> {
  const release = ctx.options.release;
  if (typeof release !== "string") {
    if (typeof ctx.options.asset === "string") {
      throw userError("input/usage", "--asset needs --release", "Add --release OWNER/REPO@TAG.");
    }
    return undefined;
  }
  const asset = ctx.options.asset;
  if (typeof asset !== "string") {
    throw userError(
      "input/usage",
      "--release needs --asset to say which file to flash",
      "Add --asset with a glob such as '*-float.bin'.",
    );
  }
  // loaded here, not with the command: GitHub's client costs every other run its start-up time
  const { defaultCacheDir, fetchReleaseAsset, parseReleaseRef } = await import(
    "../../release/mod.ts"
  );
  const ref = parseReleaseRef(release);
  const token = typeof ctx.options.token === "string" ? ctx.options.token : ctx.env("GITHUB_TOKEN");
  const env: Record<string, string | undefined> = {};
  for (const k of ["RUNNER_TOOL_CACHE", "RUNNER_TEMP", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA"]) {
    env[k] = ctx.env(k);
  }
  ctx.out.info(`Fetching ${asset} from ${release}...`);
  const fetched = await fetchReleaseAsset({
    repository: ref.repository,
    release: ref.release,
    asset,
    token,
    baseUrl: ctx.env("GITHUB_API_URL"),
    cacheDir: defaultCacheDir(env),
    signal: ctx.signal,
  });
  ctx.out.info(
    `${
      fetched.fromCache ? "Cached" : "Downloaded"
    } ${fetched.name} (${fetched.size} bytes, sha256 ${fetched.sha256}) from ${fetched.repository} ${fetched.release.tag}`,
  );
  ctx.out.emit({ type: "release-asset", ...fetched });
  return { address: 0, name: fetched.name, data: await readUserFile(fetched.path) };
}
