import assert from "node:assert/strict";
import { HELPER_NEEDS, helperPlan, HELPERS } from "./board_helpers.ts";
import { FACTS_LINE } from "./board_facts.ts";
import { checkLine } from "./repl_session.ts";

Deno.test("every helper line fits NodeMCU's input line and holds nothing the echo tracker refuses", () => {
  for (const [group, lines] of Object.entries(HELPERS)) {
    for (const line of lines) {
      assert.doesNotThrow(() => checkLine(line), `${group}: ${line}`);
    }
  }
  checkLine(FACTS_LINE);
});

Deno.test("a helper group comes after the groups it needs, each once", () => {
  const plan = helperPlan("upload", new Set());
  assert.deepEqual(plan.map((p) => p.group), ["digest", "upload"]);
  for (const [group, needs] of Object.entries(HELPER_NEEDS)) {
    for (const need of needs) assert.ok(need in HELPERS, `${group} needs ${need}`);
  }
  assert.deepEqual(helperPlan("digest", new Set(["digest"])), []);
});
