import assert from "node:assert/strict";
import { join } from "node:path";
import { releaseSelector } from "./release_selector.ts";
import type { RunnerContext } from "./runner_context.ts";

function runner(overrides: Partial<RunnerContext>): RunnerContext {
  return {
    eventName: "",
    eventPath: undefined,
    apiUrl: undefined,
    workspace: ".",
    workDir: ".",
    env: {},
    ...overrides,
  };
}

Deno.test("release selector: named releases pass through whatever the event", async () => {
  const r = runner({ eventName: "release", eventPath: "/nonexistent" });
  assert.deepEqual(await releaseSelector({ kind: "latest" }, r), { kind: "latest" });
  assert.deepEqual(await releaseSelector({ kind: "id", id: 5 }, r), { kind: "id", id: 5 });
});

Deno.test("release selector: an empty input takes the release event's payload", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = { action: "published", release: { id: 3, tag_name: "v3" } };
    await Deno.writeTextFile(join(dir, "event.json"), JSON.stringify(payload));
    const selector = await releaseSelector(
      { kind: "triggering" },
      runner({ eventName: "release", eventPath: join(dir, "event.json") }),
    );
    assert.deepEqual(selector, { kind: "event", event: payload });
    await Deno.writeTextFile(join(dir, "bad.json"), "{");
    await assert.rejects(
      releaseSelector(
        { kind: "triggering" },
        runner({ eventName: "release", eventPath: join(dir, "bad.json") }),
      ),
      /input 'release': the event payload .* is not JSON/,
    );
    await assert.rejects(
      releaseSelector(
        { kind: "triggering" },
        runner({ eventName: "release", eventPath: join(dir, "none.json") }),
      ),
      /input 'release': cannot read the release event payload/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("release selector: an empty input outside a release event says what to write", async () => {
  await assert.rejects(
    releaseSelector(
      { kind: "triggering" },
      runner({ eventName: "workflow_dispatch", eventPath: "/e.json" }),
    ),
    (e: Error & { code: string; hint: string }) => {
      assert.equal(e.code, "input/release");
      assert.match(e.message, /started by 'workflow_dispatch'/);
      assert.match(e.hint, /latest/);
      return true;
    },
  );
  await assert.rejects(
    releaseSelector({ kind: "triggering" }, runner({})),
    /outside GitHub Actions/,
  );
});
