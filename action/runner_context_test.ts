import assert from "node:assert/strict";
import { runnerContext } from "./runner_context.ts";

Deno.test("runner context: the runner's variables", () => {
  const env = {
    GITHUB_EVENT_NAME: "release",
    GITHUB_EVENT_PATH: "/home/runner/work/_temp/_github_workflow/event.json",
    GITHUB_API_URL: "https://ghe.example.com/api/v3",
    GITHUB_WORKSPACE: "/home/runner/work/fw/fw",
    RUNNER_TEMP: "/home/runner/work/_temp",
  };
  const ctx = runnerContext(env, { cwd: "/cwd", tempDir: "/tmp" });
  assert.deepEqual(ctx, {
    eventName: "release",
    eventPath: env.GITHUB_EVENT_PATH,
    apiUrl: env.GITHUB_API_URL,
    workspace: env.GITHUB_WORKSPACE,
    workDir: "/home/runner/work/_temp/nodeflash",
    env,
  });
});

Deno.test("runner context: outside Actions, or with empty variables, the fallbacks", () => {
  const ctx = runnerContext({ GITHUB_EVENT_PATH: "", GITHUB_API_URL: "", RUNNER_TEMP: "" }, {
    cwd: "/cwd",
    tempDir: "/tmp",
  });
  assert.equal(ctx.eventName, "");
  assert.equal(ctx.eventPath, undefined);
  assert.equal(ctx.apiUrl, undefined);
  assert.equal(ctx.workspace, "/cwd");
  assert.equal(ctx.workDir, "/tmp/nodeflash");
});
