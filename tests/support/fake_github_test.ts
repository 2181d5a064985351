import assert from "node:assert/strict";
import { FakeGitHub } from "./fake_github.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const REPO = "/repos/nodemcu/nodemcu-firmware/releases";

function fake(options: Parameters<typeof FakeGitHub.start>[0] = {}): Promise<FakeGitHub> {
  return FakeGitHub.start({
    releases: [
      {
        tag: "v1",
        createdAt: "2024-01-01T00:00:00Z",
        assets: [{ name: "a.bin", bytes: bytes("one") }],
      },
      {
        tag: "v2",
        createdAt: "2024-02-01T00:00:00Z",
        assets: [{ name: "b.bin", bytes: bytes("two") }],
      },
      { tag: "v3-rc", prerelease: true, createdAt: "2024-03-01T00:00:00Z" },
      { tag: "v4-draft", draft: true, createdAt: "2024-04-01T00:00:00Z" },
    ],
    ...options,
  });
}

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

Deno.test("fake GitHub: latest skips drafts and pre-releases; tag, id and 404", async () => {
  await using gh = await fake();
  const latest = await getJson(`${gh.apiUrl}${REPO}/latest`);
  assert.equal(latest.status, 200);
  assert.equal(latest.body.tag_name, "v2");
  assert.equal(latest.headers.get("x-ratelimit-limit"), "60");
  const byTag = await getJson(`${gh.apiUrl}${REPO}/tags/v1`);
  assert.equal(byTag.body.id, gh.release("v1").id);
  const byId = await getJson(`${gh.apiUrl}${REPO}/${gh.release("v3-rc").id}`);
  assert.equal(byId.body.prerelease, true);
  const missing = await getJson(`${gh.apiUrl}${REPO}/tags/v9`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, "Not Found");
  const draftByTag = await getJson(`${gh.apiUrl}${REPO}/tags/v4-draft`, {
    authorization: "token anything",
  });
  assert.equal(draftByTag.status, 404, "GitHub does not find drafts by tag");
});

Deno.test("fake GitHub: the list is newest first, paginated with Link, drafts only with a token", async () => {
  await using gh = await fake();
  const anonymous = await getJson(`${gh.apiUrl}${REPO}?per_page=2&page=1`);
  assert.deepEqual(anonymous.body.map((r: { tag_name: string }) => r.tag_name), ["v3-rc", "v2"]);
  assert.match(anonymous.headers.get("link") ?? "", /page=2>; rel="next"/);
  const second = await getJson(`${gh.apiUrl}${REPO}?per_page=2&page=2`);
  assert.deepEqual(second.body.map((r: { tag_name: string }) => r.tag_name), ["v1"]);
  assert.equal(second.headers.get("link"), null);
  const withToken = await getJson(`${gh.apiUrl}${REPO}?per_page=100`, {
    authorization: "token t0ken-value",
  });
  assert.equal(withToken.body[0].tag_name, "v4-draft");
});

Deno.test("fake GitHub: asset bytes redirect to storage, which never sees the token", async () => {
  await using gh = await fake({ token: "s3cret-token" });
  const id = gh.asset("b.bin").id;
  const response = await fetch(`${gh.apiUrl}${REPO}/assets/${id}`, {
    headers: { accept: "application/octet-stream", authorization: "Bearer s3cret-token" },
  });
  assert.equal(new TextDecoder().decode(await response.arrayBuffer()), "two");
  assert.ok(response.url.startsWith(gh.storageUrl), "followed the redirect to storage");
  assert.equal(gh.apiRequests.at(-1)?.authorization, "Bearer s3cret-token");
  assert.equal(gh.storageRequests.length, 1);
  assert.equal(gh.storageRequests[0]?.authorization, null);
});

Deno.test("fake GitHub: storage refuses URLs it did not sign", async () => {
  await using gh = await fake();
  const response = await fetch(`${gh.storageUrl}/release-assets/${gh.asset("a.bin").id}?sig=x`);
  assert.equal(response.status, 403);
  await response.body?.cancel();
});

Deno.test("fake GitHub: a private repository is 404 without the token and 401 with a wrong one", async () => {
  await using gh = await fake({ token: "right-token" });
  assert.equal((await getJson(`${gh.apiUrl}${REPO}/latest`)).status, 404);
  const wrong = await getJson(`${gh.apiUrl}${REPO}/latest`, { authorization: "token wrong" });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.message, "Bad credentials");
  const right = await getJson(`${gh.apiUrl}${REPO}/latest`, { authorization: "token right-token" });
  assert.equal(right.status, 200);
  assert.equal(right.headers.get("x-ratelimit-limit"), "5000");
});

Deno.test("fake GitHub: rate-limit faults carry GitHub's headers", async () => {
  await using gh = await fake();
  gh.inject("api", { kind: "secondary-rate-limit", retryAfterSeconds: 7 });
  gh.inject("api", { kind: "primary-rate-limit", resetEpochSeconds: 1_900_000_000, status: 429 });
  const secondary = await getJson(`${gh.apiUrl}${REPO}/latest`);
  assert.equal(secondary.status, 403);
  assert.equal(secondary.headers.get("retry-after"), "7");
  const primary = await getJson(`${gh.apiUrl}${REPO}/latest`);
  assert.equal(primary.status, 429);
  assert.equal(primary.headers.get("x-ratelimit-remaining"), "0");
  assert.equal(primary.headers.get("x-ratelimit-reset"), "1900000000");
  assert.match(primary.body.message, /rate limit exceeded/);
  assert.equal((await getJson(`${gh.apiUrl}${REPO}/latest`)).status, 200);
  assert.equal(gh.pendingFaults, 0);
});

Deno.test("fake GitHub: a truncated download promises more bytes than it sends", async () => {
  for (const delivery of ["redirect", "direct"] as const) {
    await using gh = await FakeGitHub.start({
      delivery,
      releases: [{ tag: "v1", assets: [{ name: "fw.bin", bytes: new Uint8Array(5000) }] }],
    });
    gh.inject("download", { kind: "truncate", keepBytes: 100 });
    const response = await fetch(`${gh.apiUrl}${REPO}/assets/${gh.asset("fw.bin").id}`, {
      headers: { accept: "application/octet-stream" },
    });
    assert.equal(response.headers.get("content-length"), "5000");
    await assert.rejects(response.arrayBuffer(), TypeError);
    assert.equal(gh.storageRequests.length, delivery === "redirect" ? 1 : 0);
  }
});

Deno.test("fake GitHub: an open asset becomes uploaded, a hidden one appears", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{
      tag: "v1",
      assets: [
        { name: "open.bin", bytes: bytes("x"), openForReleaseFetches: 2 },
        { name: "late.bin", bytes: bytes("y"), hiddenForReleaseFetches: 1 },
      ],
    }],
  });
  const url = `${gh.apiUrl}${REPO}/${gh.release("v1").id}`;
  const states: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { body } = await getJson(url);
    states.push(
      body.assets.map((a: { name: string; state: string }) => `${a.name}:${a.state}`).join(),
    );
  }
  assert.deepEqual(states, [
    "open.bin:open",
    "open.bin:open,late.bin:uploaded",
    "open.bin:uploaded,late.bin:uploaded",
  ]);
  const event = gh.releaseEvent("v1") as { release: { assets: unknown[] } };
  assert.equal(event.release.assets.length, 1, "the event shows the release as first published");
});

Deno.test("fake GitHub: digests are real, null or wrong as asked", async () => {
  await using gh = await FakeGitHub.start({
    releases: [{
      tag: "v1",
      assets: [
        { name: "real.bin", bytes: bytes("abc") },
        { name: "old.bin", bytes: bytes("abc"), digest: "none" },
        { name: "bad.bin", bytes: bytes("abc"), digest: "wrong" },
      ],
    }],
  });
  const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(gh.asset("real.bin").digestField, `sha256:${abc}`);
  assert.equal(gh.asset("old.bin").digestField, null);
  assert.notEqual(gh.asset("bad.bin").digestField, `sha256:${abc}`);
  assert.match(gh.asset("bad.bin").digestField ?? "", /^sha256:[0-9a-f]{64}$/);
});
