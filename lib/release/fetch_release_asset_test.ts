import assert from "node:assert/strict";
import { join } from "node:path";
import { isNodeflashError } from "../errors.ts";
import { FakeGitHub, type FakeGitHubOptions } from "../../tests/support/fake_github.ts";
import { ManualClock } from "./clock.ts";
import { fetchReleaseAsset, type FetchReleaseAssetOptions } from "./fetch_release_asset.ts";
import type { ReleaseEvent } from "./types.ts";

const enc = (text: string) => new TextEncoder().encode(text);
const float = enc("float firmware ".repeat(1000));
const integer = enc("integer firmware ".repeat(1000));

function releases(): NonNullable<FakeGitHubOptions["releases"]> {
  return [
    {
      tag: "3.0.0-release_20240101",
      createdAt: "2024-01-01T00:00:00Z",
      assets: [{ name: "nodemcu-old-float.bin", bytes: enc("old") }],
    },
    {
      tag: "3.0.0-release_20240225",
      createdAt: "2024-02-25T00:00:00Z",
      assets: [
        { name: "nodemcu-release-float.bin", bytes: float },
        { name: "nodemcu-release-integer.bin", bytes: integer },
      ],
    },
  ];
}

interface World {
  gh: FakeGitHub;
  dir: string;
  clock: ManualClock;
  events: ReleaseEvent[];
  fetch: (options: Partial<FetchReleaseAssetOptions>) => ReturnType<typeof fetchReleaseAsset>;
}

async function world(options: FakeGitHubOptions, run: (w: World) => Promise<void>): Promise<void> {
  await using gh = await FakeGitHub.start({ releases: releases(), ...options });
  const dir = await Deno.makeTempDir();
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  const events: ReleaseEvent[] = [];
  try {
    await run({
      gh,
      dir,
      clock,
      events,
      fetch: (more) =>
        fetchReleaseAsset({
          repository: "nodemcu/nodemcu-firmware",
          asset: "*-float.bin",
          baseUrl: gh.apiUrl,
          destDir: join(dir, "out"),
          clock,
          onEvent: (e) => events.push(e),
          ...more,
        }),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("fetchReleaseAsset: latest release, one asset by glob, verified into destDir", async () => {
  await world({}, async ({ gh, dir, fetch, events }) => {
    const got = await fetch({});
    const asset = gh.asset("nodemcu-release-float.bin");
    assert.deepEqual(got, {
      path: join(dir, "out", "nodemcu-release-float.bin"),
      name: "nodemcu-release-float.bin",
      size: float.length,
      sha256: asset.sha256,
      repository: "nodemcu/nodemcu-firmware",
      release: {
        id: gh.release("3.0.0-release_20240225").id,
        tag: "3.0.0-release_20240225",
        draft: false,
        prerelease: false,
      },
      asset: { id: asset.id, name: "nodemcu-release-float.bin", digest: asset.digestField },
      fromCache: false,
    });
    assert.deepEqual(await Deno.readFile(got.path), float);
    assert.deepEqual(events.map((e) => e.type), ["resolved"]);
  });
});

Deno.test("fetchReleaseAsset: by tag, by id and from a release event", async () => {
  await world({}, async ({ gh, fetch }) => {
    const old = gh.release("3.0.0-release_20240101");
    const byTag = await fetch({ release: { kind: "tag", tag: old.tag } });
    assert.equal(byTag.name, "nodemcu-old-float.bin");
    const byId = await fetch({ release: { kind: "id", id: old.id } });
    assert.equal(byId.release.tag, old.tag);
    const byEvent = await fetch({
      repository: undefined,
      release: { kind: "event", event: gh.releaseEvent("3.0.0-release_20240225") },
    });
    assert.equal(byEvent.name, "nodemcu-release-float.bin");
  });
});

Deno.test("fetchReleaseAsset: zero or two matching assets are user errors listing the assets", async () => {
  await world({}, async ({ fetch, dir }) => {
    await assert.rejects(fetch({ asset: "*-double.bin" }), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.code, "release/no-matching-asset");
      assert.match(e.message, /nodemcu-release-float\.bin, nodemcu-release-integer\.bin/);
      return true;
    });
    await assert.rejects(fetch({ asset: "nodemcu-release-*.bin" }), {
      code: "release/ambiguous-asset",
    });
    assert.equal(await exists(join(dir, "out")), false);
  });
});

Deno.test("fetchReleaseAsset: a private repository's token reaches the API but not storage", async () => {
  await world({ token: "ghs_privateRepoToken0123456789" }, async ({ gh, fetch }) => {
    await fetch({ token: "ghs_privateRepoToken0123456789" });
    assert.ok(
      gh.apiRequests.every((r) => r.authorization === "token ghs_privateRepoToken0123456789"),
    );
    assert.equal(gh.storageRequests.length, 1);
    assert.equal(gh.storageRequests[0]?.authorization, null);
  });
});

Deno.test("fetchReleaseAsset: a cache hit avoids a second download and is re-verified", async () => {
  await world({}, async ({ gh, dir, fetch, events }) => {
    const cacheDir = join(dir, "cache");
    const first = await fetch({ cacheDir });
    assert.equal(first.fromCache, false);
    assert.equal(first.path, join(dir, "out", "nodemcu-release-float.bin"));
    const second = await fetch({ cacheDir, destDir: join(dir, "second") });
    assert.equal(second.fromCache, true);
    assert.equal(second.sha256, first.sha256);
    assert.deepEqual(await Deno.readFile(second.path), float);
    assert.equal(gh.storageRequests.length, 1, "downloaded once");
    const inCache = await fetch({ cacheDir, destDir: undefined });
    assert.equal(inCache.fromCache, true);
    assert.ok(inCache.path.startsWith(cacheDir));
    assert.ok(events.some((e) => e.type === "cache-hit"));
    // a corrupted cache entry is detected and replaced by a fresh download
    await Deno.writeFile(inCache.path, integer.slice(0, float.length));
    const again = await fetch({ cacheDir, destDir: join(dir, "third") });
    assert.equal(again.fromCache, false);
    assert.deepEqual(await Deno.readFile(again.path), float);
    assert.equal(gh.storageRequests.length, 2);
  });
});

Deno.test("fetchReleaseAsset: a bad download leaves nothing in destDir or the cache", async () => {
  await world({
    releases: [{ tag: "v1", assets: [{ name: "fw.bin", bytes: float, digest: "wrong" }] }],
  }, async ({ dir, fetch }) => {
    await assert.rejects(fetch({ asset: "fw.bin", cacheDir: join(dir, "cache") }), {
      code: "release/digest-mismatch",
      kind: "device",
    });
    assert.equal(await exists(join(dir, "out")), false);
    for await (const entry of Deno.readDir(join(dir, "cache"))) {
      const files = [];
      for await (const f of Deno.readDir(join(dir, "cache", entry.name))) files.push(f.name);
      assert.deepEqual(files, [], "no file and no record in the cache entry");
    }
  });
});

Deno.test("fetchReleaseAsset: the token never appears in errors or events", async () => {
  const token = "ghp_" + "Secret0Token1".repeat(3);
  await world({ token: "another-token", echoTokenInErrors: true }, async ({ fetch, events }) => {
    const error = await fetch({ token }).catch((e) => e);
    assert.ok(isNodeflashError(error));
    assert.equal(error.code, "release/bad-credentials");
    const text = Deno.inspect(error, { depth: 20, showHidden: true }) + String(error.stack) +
      JSON.stringify(events);
    assert.ok(!text.includes(token));
  });
  await world({}, async ({ gh, fetch, events }) => {
    gh.inject("api", { kind: "status", status: 500 });
    await fetch({ token: "plain-secret-value" });
    assert.ok(events.some((e) => e.type === "retry"));
    assert.ok(!JSON.stringify(events).includes("plain-secret-value"));
  });
});

Deno.test("fetchReleaseAsset: hostile asset names are refused, nothing is written outside", async () => {
  const hostile = [
    "../../etc/passwd",
    "/tmp/abs.bin",
    "..\\win.bin",
    "nul\u0000.bin",
    "sub/fw.bin",
  ];
  for (const name of hostile) {
    await world(
      { releases: [{ tag: "v1", assets: [{ name, bytes: enc("evil") }] }] },
      async ({ dir, fetch }) => {
        await assert.rejects(fetch({ asset: "*", destDir: join(dir, "a", "b") }), (e) => {
          assert.ok(isNodeflashError(e), name);
          assert.equal(e.code, "release/unsafe-asset-name");
          return true;
        });
        assert.equal(await exists(join(dir, "a")), false, name);
        assert.equal(await exists(join(dir, "etc")), false, name);
        const chosen = await fetch({ asset: "*", destDir: join(dir, "a"), fileName: "fw.bin" });
        assert.equal(chosen.path, join(dir, "a", "fw.bin"));
        assert.equal(chosen.asset.name, name);
      },
    );
  }
  await world({}, async ({ fetch }) => {
    await assert.rejects(fetch({ fileName: "../x.bin" }), { code: "release/unsafe-asset-name" });
  });
});

Deno.test("fetchReleaseAsset: a 403 with retry-after is honoured through the injected clock", async () => {
  await world({}, async ({ gh, clock, fetch, events }) => {
    gh.inject("api", { kind: "secondary-rate-limit", retryAfterSeconds: 45 });
    await fetch({});
    assert.deepEqual(clock.sleeps, [45_000]);
    const retry = events.find((e) => e.type === "retry");
    assert.equal(retry?.type === "retry" && retry.delayMs, 45_000);
  });
});

Deno.test("fetchReleaseAsset: an exhausted rate limit fails with the reset time", async () => {
  await world({}, async ({ gh, clock, fetch }) => {
    const reset = clock.now() / 1000 + 40 * 60;
    gh.inject("api", { kind: "primary-rate-limit", resetEpochSeconds: reset });
    await assert.rejects(fetch({}), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.code, "release/rate-limited");
      assert.equal(
        e.message,
        `GitHub's API rate limit on ${
          new URL(gh.apiUrl).host
        } is exhausted (60 requests per hour) ` +
          "while looking up the latest release of nodemcu/nodemcu-firmware; it resets at " +
          "2030-01-01T00:40:00Z (in about 40 min)",
      );
      assert.match(e.hint ?? "", /token/);
      return true;
    });
    assert.deepEqual(clock.sleeps, [], "did not wait 40 minutes");
  });
});

Deno.test("fetchReleaseAsset: an asset still uploading after a release event is waited for", async () => {
  const spec = {
    tag: "v1",
    assets: [{
      name: "fw-float.bin",
      bytes: float,
      openForReleaseFetches: 2,
      hiddenForReleaseFetches: 1,
    }],
  };
  await world({ releases: [spec] }, async ({ gh, clock, fetch, events }) => {
    const got = await fetch({
      release: { kind: "event", event: gh.releaseEvent("v1") },
      uploadWait: { delayMs: 3_000 },
    });
    assert.deepEqual(await Deno.readFile(got.path), float);
    // the event lacks it; fetch 1 still lacks it; fetch 2 lists it open; fetch 3 uploaded
    const waits = events.filter((e) => e.type === "waiting-for-asset");
    assert.deepEqual(waits.map((e) => e.type === "waiting-for-asset" && e.state), [
      "missing",
      "missing",
      "open",
    ]);
    assert.deepEqual(clock.sleeps, [3_000, 3_000, 3_000]);
  });
});

Deno.test("fetchReleaseAsset: bad options fail before any request", async () => {
  await world({}, async ({ gh, fetch }) => {
    await assert.rejects(fetch({ destDir: undefined }), { code: "release/no-destination" });
    await assert.rejects(fetch({ asset: "[oops" }), { code: "release/bad-asset-pattern" });
    await assert.rejects(fetch({ repository: "not-a-repo" }), { code: "release/bad-repository" });
    assert.equal(gh.apiRequests.length, 0);
  });
});

Deno.test("fetchReleaseAsset: an aborted signal stops before anything is written", async () => {
  await world({}, async ({ dir, fetch }) => {
    const controller = new AbortController();
    controller.abort(new Error("job cancelled"));
    await assert.rejects(fetch({ signal: controller.signal }), /job cancelled|abort/i);
    assert.equal(await exists(join(dir, "out")), false);
  });
});
