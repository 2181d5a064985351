import assert from "node:assert/strict";
import { join } from "node:path";
import { isNodeflashError } from "../errors.ts";
import { FakeGitHub } from "../../tests/support/fake_github.ts";
import type { FakeAssetSpec } from "../../tests/support/fake_github.ts";
import { ManualClock } from "./clock.ts";
import { downloadAsset } from "./download_asset.ts";
import { GitHubReleaseClient } from "./github_client.ts";
import type { DownloadProgress } from "./types.ts";

const repository = { owner: "nodemcu", repo: "nodemcu-firmware" };
const firmware = new Uint8Array(150_000).map((_, i) => (i * 31) % 256);

interface Setup {
  gh: FakeGitHub;
  client: GitHubReleaseClient;
  clock: ManualClock;
  dir: string;
  download: (onProgress?: (p: DownloadProgress) => void) => ReturnType<typeof downloadAsset>;
}

async function setup(
  asset: Partial<FakeAssetSpec> = {},
  options: { delivery?: "redirect" | "direct"; token?: string } = {},
  run: (s: Setup) => Promise<void>,
): Promise<void> {
  await using gh = await FakeGitHub.start({
    ...options,
    releases: [{ tag: "v1", assets: [{ name: "fw.bin", bytes: firmware, ...asset }] }],
  });
  const clock = new ManualClock();
  const client = new GitHubReleaseClient({
    baseUrl: gh.apiUrl,
    clock,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  const dir = await Deno.makeTempDir();
  try {
    const release = await client.getByTag(repository, "v1");
    const picked = release.assets[0]!;
    const download = (onProgress?: (p: DownloadProgress) => void) =>
      downloadAsset(client, {
        repository,
        release,
        asset: picked,
        dir,
        fileName: "fw.bin",
        onProgress,
      });
    await run({ gh, client, clock, dir, download });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

Deno.test("download via the 302 redirect, verified against the digest", async () => {
  await setup({}, {}, async ({ gh, dir, download }) => {
    const progress: DownloadProgress[] = [];
    const file = await download((p) => progress.push(p));
    assert.equal(file.path, join(dir, "fw.bin"));
    assert.equal(`sha256:${file.sha256}`, gh.asset("fw.bin").digestField);
    assert.deepEqual(await Deno.readFile(file.path), firmware);
    assert.deepEqual(progress.at(-1), {
      name: "fw.bin",
      received: firmware.length,
      total: firmware.length,
    });
    assert.equal(gh.storageRequests.length, 1);
  });
});

Deno.test("download with a 200 straight from the API works too", async () => {
  await setup({}, { delivery: "direct" }, async ({ gh, download }) => {
    const file = await download();
    assert.equal(file.size, firmware.length);
    assert.equal(gh.storageRequests.length, 0);
  });
});

Deno.test("a private repository's token goes to the API host, never to storage", async () => {
  await setup({}, { token: "private-repo-token" }, async ({ gh, download }) => {
    await download();
    const api = gh.apiRequests.filter((r) => r.accept === "application/octet-stream");
    assert.equal(api.length, 1);
    assert.equal(api[0]?.authorization, "token private-repo-token");
    assert.equal(gh.storageRequests.length, 1);
    assert.equal(gh.storageRequests[0]?.authorization, null);
  });
});

Deno.test("a digest mismatch fails with a device error and leaves no file", async () => {
  await setup({ digest: "wrong" }, {}, async ({ gh, dir, download }) => {
    await assert.rejects(download(), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.code, "release/digest-mismatch");
      assert.equal(e.kind, "device");
      assert.match(e.message, /asset 'fw\.bin' of nodemcu\/nodemcu-firmware@v1/);
      return true;
    });
    assert.deepEqual(await listing(dir), []);
    assert.equal(gh.storageRequests.length, 1, "a digest mismatch is not retried");
  });
});

Deno.test("a truncated download is retried and then succeeds", async () => {
  for (const delivery of ["redirect", "direct"] as const) {
    await setup({}, { delivery }, async ({ gh, clock, dir, download }) => {
      gh.inject("download", { kind: "truncate", keepBytes: 40_000 });
      const file = await download();
      assert.deepEqual(await Deno.readFile(file.path), firmware);
      assert.deepEqual(clock.sleeps, [1_000]);
      assert.deepEqual(await listing(dir), ["fw.bin"]);
    });
  }
});

Deno.test("a download truncated every time fails and leaves no file", async () => {
  await setup({}, {}, async ({ gh, clock, dir, download }) => {
    gh.inject("download", { kind: "truncate", keepBytes: 1_000 }, { times: 10 });
    await assert.rejects(download(), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.kind, "device");
      assert.equal(e.code, "release/connection-lost", "the body ended before Content-Length");
      assert.match(e.message, /after 4 attempts/);
      return true;
    });
    assert.deepEqual(await listing(dir), []);
    assert.equal(gh.storageRequests.length, 4);
    assert.deepEqual(clock.sleeps, [1_000, 2_000, 4_000]);
  });
});

Deno.test("5xx and a 403 with retry-after on the asset URL are retried", async () => {
  await setup({}, {}, async ({ gh, clock, download }) => {
    gh.inject("download", { kind: "status", status: 503 });
    gh.inject("download", { kind: "secondary-rate-limit", retryAfterSeconds: 20 });
    const file = await download();
    assert.equal(file.size, firmware.length);
    assert.deepEqual(clock.sleeps, [1_000, 20_000]);
  });
});

Deno.test("an asset without a digest is checked by size", async () => {
  await setup({ digest: "none" }, {}, async ({ download }) => {
    const file = await download();
    assert.match(file.sha256, /^[0-9a-f]{64}$/);
  });
});
