/**
 * Downloads one release asset through the API asset URL into a verified file, retrying the
 * whole transfer on transient failures and rate limits.
 *
 * @module
 */

import { sha256FromDigest } from "./digest.ts";
import type { GitHubReleaseClient } from "./github_client.ts";
import type { AssetInfo, DownloadProgress, ReleaseInfo, Repository } from "./types.ts";
import { repositoryName } from "./types.ts";
import type { VerifiedFile } from "./write_verified_file.ts";
import { writeVerifiedFile } from "./write_verified_file.ts";

/** Options for {@link downloadAsset}. */
export interface DownloadAssetOptions {
  /** The repository. */
  repository: Repository;
  /** The release (for messages). */
  release: ReleaseInfo;
  /** The asset to fetch. */
  asset: AssetInfo;
  /** Destination directory. */
  dir: string;
  /** Local file name; must already be safe (see `safeFileName`). */
  fileName: string;
  /** Progress of each attempt. */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
}

/**
 * Downloads and verifies an asset (size always, SHA-256 when GitHub gives a digest).
 *
 * @param client the GitHub client (token, retries, clock)
 * @param options what to download and where
 * @returns the verified file
 *
 * @example
 * ```ts
 * import { GitHubReleaseClient } from "./github_client.ts";
 * import { downloadAsset } from "./download_asset.ts";
 * const bytes = new TextEncoder().encode("firmware");
 * const client = new GitHubReleaseClient({
 *   fetch: (() => Promise.resolve(new Response(bytes, {
 *     headers: { "content-type": "application/octet-stream" } }))) as typeof fetch,
 * });
 * const dir = await Deno.makeTempDir();
 * const file = await downloadAsset(client, {
 *   repository: { owner: "o", repo: "r" },
 *   release: { id: 1, tag: "v1", name: null, draft: false, prerelease: false, createdAt: "",
 *     publishedAt: null, assets: [] },
 *   asset: { id: 2, name: "fw.bin", size: bytes.length, state: "uploaded", digest: null,
 *     contentType: "application/octet-stream" },
 *   dir, fileName: "fw.bin",
 * });
 * await Deno.remove(dir, { recursive: true });
 * if (file.size !== 8) throw new Error();
 * ```
 */
export function downloadAsset(
  client: GitHubReleaseClient,
  options: DownloadAssetOptions,
): Promise<VerifiedFile> {
  const { repository, release, asset } = options;
  const name = repositoryName(repository);
  const expected = sha256FromDigest(asset.digest);
  const label = `asset '${asset.name}' of ${name}@${release.tag}`;
  const onProgress = options.onProgress;
  return client.retry(async () => {
    const body = await client.openAsset(repository, asset.id);
    return await writeVerifiedFile(body, {
      dir: options.dir,
      fileName: options.fileName,
      size: asset.size,
      sha256: expected,
      label,
      onProgress: onProgress === undefined
        ? undefined
        : (received, total) => onProgress({ name: asset.name, received, total }),
    });
  }, client.context(`downloading ${label}`, `Asset '${asset.name}' (id ${asset.id}) of ${name}`));
}
