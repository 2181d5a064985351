/**
 * How long fetching a NodeMCU-sized firmware (1 MiB) takes through the fake GitHub on loopback:
 * API lookup + 302 to storage + streaming to disk + SHA-256, and the same from the cache.
 */

import { join } from "node:path";
import { FakeGitHub } from "../../tests/support/fake_github.ts";
import { fetchReleaseAsset } from "./fetch_release_asset.ts";

const firmware = new Uint8Array(1 << 20).map((_, i) => (i * 13) % 256);

async function withFake(run: (gh: FakeGitHub, dir: string) => Promise<void>): Promise<void> {
  await using gh = await FakeGitHub.start({
    releases: [{ tag: "v1", assets: [{ name: "nodemcu-float.bin", bytes: firmware }] }],
  });
  const dir = await Deno.makeTempDir();
  try {
    await run(gh, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.bench("fetchReleaseAsset 1 MiB, download + verify", async (b) => {
  await withFake(async (gh, dir) => {
    b.start();
    await fetchReleaseAsset({
      repository: "nodemcu/nodemcu-firmware",
      asset: "*.bin",
      baseUrl: gh.apiUrl,
      destDir: join(dir, "out"),
    });
    b.end();
  });
});

Deno.bench("fetchReleaseAsset 1 MiB, cache hit (re-hash + copy)", async (b) => {
  await withFake(async (gh, dir) => {
    const options = {
      repository: "nodemcu/nodemcu-firmware",
      asset: "*.bin",
      baseUrl: gh.apiUrl,
      destDir: join(dir, "out"),
      cacheDir: join(dir, "cache"),
    };
    await fetchReleaseAsset(options);
    b.start();
    await fetchReleaseAsset(options);
    b.end();
  });
});
