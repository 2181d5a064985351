/**
 * action.yml against the code and the docs: the inputs and outputs it declares are the ones
 * action/inputs.ts reads and action/outputs.ts writes, every input reaches the program through
 * `env:` (never pasted into the script), setup-deno is pinned to a commit, the program runs
 * with named permissions, and docs/action.md documents every input (with its default) and
 * every output.
 */

import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { INPUT_NAMES, inputEnvName } from "../action/inputs.ts";
import { OUTPUT_NAMES } from "../action/outputs.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface ActionYaml {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const text = await Deno.readTextFile(join(ROOT, "action.yml"));
const action = parse(text) as ActionYaml;
const docs = await Deno.readTextFile(join(ROOT, "docs/action.md"));

function flashStep(): Step {
  const step = action.runs.steps.find((s) => s.id === "flash");
  assert.ok(step, "action.yml has a step with id 'flash'");
  return step;
}

/** The rows of the Markdown table under a `### heading` of docs/action.md, by first cell. */
function docRows(heading: string): Map<string, string[]> {
  const start = docs.indexOf(`### ${heading}\n`);
  assert.ok(start >= 0, `docs/action.md has a '### ${heading}' section`);
  const next = docs.indexOf("\n#", start + 4);
  const section = docs.slice(start, next < 0 ? undefined : next);
  const rows = new Map<string, string[]>();
  for (const line of section.split("\n")) {
    const m = /^\| `([a-z0-9-]+)` \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!.split(" | ").map((c) => c.trim()));
  }
  return rows;
}

Deno.test("action.yml declares exactly the inputs action/inputs.ts reads, in its order", () => {
  assert.deepEqual(Object.keys(action.inputs), [...INPUT_NAMES]);
  for (const [name, input] of Object.entries(action.inputs)) {
    assert.ok(input.description.length > 10, `input '${name}' has a description`);
  }
  assert.equal(action.inputs["firmware"]?.required, true);
  assert.equal(action.inputs["repository"]?.default, "${{ github.repository }}");
  assert.equal(action.inputs["token"]?.default, "${{ github.token }}");
});

Deno.test("action.yml declares exactly the outputs action/outputs.ts writes, from the flash step", () => {
  assert.deepEqual(Object.keys(action.outputs), [...OUTPUT_NAMES]);
  for (const [name, output] of Object.entries(action.outputs)) {
    assert.equal(output.value, `\${{ steps.flash.outputs.${name} }}`);
  }
});

Deno.test("every input reaches the program through env:, and no expression reaches a script", () => {
  const env = flashStep().env ?? {};
  for (const name of INPUT_NAMES) {
    assert.equal(env[inputEnvName(name)], `\${{ inputs.${name} }}`, `input '${name}' in env:`);
  }
  assert.deepEqual(
    Object.keys(env).filter((k) => !k.startsWith("NODEFLASH_INPUT_")),
    [],
    "the step passes nothing but the inputs",
  );
  for (const step of action.runs.steps) {
    if (step.run === undefined) continue;
    assert.ok(
      !step.run.includes("${{"),
      `step '${step.name}' interpolates an expression into its script`,
    );
    assert.ok(step.shell, `step '${step.name}' names its shell`);
  }
});

Deno.test("setup-deno is pinned to a full commit SHA and installs Deno 2.9", () => {
  assert.equal(action.runs.using, "composite");
  const setup = action.runs.steps.find((s) => s.uses?.startsWith("denoland/setup-deno@"));
  assert.ok(setup, "a setup-deno step");
  assert.match(setup.uses!, /^denoland\/setup-deno@[0-9a-f]{40}$/);
  assert.match(text, /denoland\/setup-deno@[0-9a-f]{40} # v2\.\d+\.\d+\n/, "a '# v2.x.y' comment");
  assert.equal(setup.with?.["deno-version"], "2.9.x");
  assert.ok(action.runs.steps.indexOf(setup) < action.runs.steps.indexOf(flashStep()));
});

Deno.test("the program runs with named permissions, from the action's own directory", () => {
  const run = flashStep().run ?? "";
  assert.doesNotMatch(run, /(^|\s)(-A|--allow-all)(\s|$)/);
  const allows = run.match(/--allow-[a-z]+(=\S+)?/g) ?? [];
  // net: GitHub and rfc2217:// boards; ffi: serial ports; sys=uid,gid: @actions/core checks
  // that the summary file is writable with fs.access, which asks Deno for the uid and gid
  assert.deepEqual(allows.sort(), [
    "--allow-env",
    "--allow-ffi",
    "--allow-net",
    "--allow-read",
    "--allow-sys=uid,gid",
    "--allow-write",
  ]);
  assert.match(run, /--config "\$GITHUB_ACTION_PATH\/deno\.json"/);
  assert.match(run, /"\$GITHUB_ACTION_PATH\/action\/main\.ts"\s*$/);
  assert.match(run, /--no-prompt/);
});

Deno.test("docs/action.md documents every input with its default, and every output", () => {
  const inputs = docRows("Inputs");
  assert.deepEqual([...inputs.keys()], [...INPUT_NAMES]);
  for (const [name, input] of Object.entries(action.inputs)) {
    const [defaultCell, what] = inputs.get(name)!;
    const expected = input.required ? "required" : input.default ? `\`${input.default}\`` : "empty";
    assert.equal(defaultCell, expected, `the default of '${name}' in docs/action.md`);
    assert.ok((what ?? "").length > 20, `docs/action.md explains '${name}'`);
  }
  const outputs = docRows("Outputs");
  assert.deepEqual([...outputs.keys()], [...OUTPUT_NAMES]);
});

Deno.test("docs/action.md lists the fields of the results output that the code writes", async () => {
  const { boardRecords } = await import("../action/outputs.ts");
  const [record] = boardRecords({
    results: [{
      port: "sim://",
      ok: true,
      stage: "done",
      chip: null,
      mac: null,
      flashBytes: null,
      bytesWritten: 0,
      bytesSkipped: 0,
      seconds: 0,
      smoke: null,
      problem: null,
      lines: [],
      console: new Uint8Array(),
    }],
    logs: [],
  });
  const resultsRow = docRows("Outputs").get("results")!.join(" ");
  for (const field of Object.keys(record!)) {
    assert.ok(
      resultsRow.includes(`\`${field}\``),
      `docs/action.md names the results field '${field}'`,
    );
  }
});
