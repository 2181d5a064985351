import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { compileGlob } from "./glob.ts";

function matches(pattern: string, name: string): boolean {
  return compileGlob(pattern).matches(name);
}

Deno.test("glob: * matches any run, ? exactly one character, the whole name only", () => {
  assert.equal(matches("*-float.bin", "nodemcu-release-float.bin"), true);
  assert.equal(matches("*-float.bin", "nodemcu-release-float.bin.sha256"), false);
  assert.equal(matches("*-float.bin", "-float.bin"), true);
  assert.equal(matches("nodemcu-*.bin", "nodemcu-.bin"), true);
  assert.equal(matches("nodemcu-*.bin", "xnodemcu-a.bin"), false);
  assert.equal(matches("fw-?.bin", "fw-1.bin"), true);
  assert.equal(matches("fw-?.bin", "fw-12.bin"), false);
  assert.equal(matches("*", ""), true);
  assert.equal(matches("a**b", "ab"), true);
  assert.equal(matches("fw.bin", "FW.BIN"), false, "case-sensitive");
});

Deno.test("glob: character classes, ranges, negation and a leading ]", () => {
  assert.equal(matches("fw-[0-9].bin", "fw-7.bin"), true);
  assert.equal(matches("fw-[0-9].bin", "fw-x.bin"), false);
  assert.equal(matches("fw-[!0-9].bin", "fw-x.bin"), true);
  assert.equal(matches("fw-[^0-9].bin", "fw-3.bin"), false);
  assert.equal(matches("fw-[ab-].bin", "fw--.bin"), true, "a trailing - is literal");
  assert.equal(matches("fw-[]x].bin", "fw-].bin"), true);
  assert.equal(matches("fw-[{}].bin", "fw-{.bin"), true, "braces inside a class are literal");
});

Deno.test("glob: {a,b} alternatives, nested, with empty members", () => {
  const glob = compileGlob("nodemcu-{float,integer}.bin");
  assert.equal(glob.matches("nodemcu-float.bin"), true);
  assert.equal(glob.matches("nodemcu-integer.bin"), true);
  assert.equal(glob.matches("nodemcu-double.bin"), false);
  assert.equal(matches("a{b,c{d,e}}f", "acef"), true);
  assert.equal(matches("a{b,c{d,e}}f", "acf"), false);
  assert.equal(matches("fw{,-debug}.bin", "fw.bin"), true);
  assert.equal(matches("fw{,-debug}.bin", "fw-debug.bin"), true);
});

Deno.test("glob: backslash escapes make wildcards literal", () => {
  assert.equal(matches("fw\\*.bin", "fw*.bin"), true);
  assert.equal(matches("fw\\*.bin", "fwX.bin"), false);
  assert.equal(matches("fw\\{a,b\\}", "fw{a,b}"), true);
});

Deno.test("glob: regular-expression syntax in a pattern is just characters", () => {
  assert.equal(matches("(a+)+$.bin", "(a+)+$.bin"), true);
  assert.equal(matches("(a+)+$.bin", "aaaa.bin"), false);
  assert.equal(matches("fw.bin", "fwxbin"), false, "a dot is not 'any character'");
  assert.equal(matches("^fw|x", "x"), false);
});

Deno.test("glob: many stars against a long name finish and answer correctly", () => {
  const name = "a".repeat(2_000);
  assert.equal(matches("*a*a*a*a*a*a*a*a*a*a*b", name), false);
  assert.equal(matches("*a*a*a*a*a*a*a*a*a*a", name), true);
});

Deno.test("glob: malformed patterns are user errors naming the problem", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /empty/],
    ["fw-[0-9.bin", /'\[' has no closing/],
    ["fw-{a,b.bin", /'\{' has no closing/],
    ["fw\\", /lone/],
    ["x".repeat(1_001), /too long/],
    ["{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}", /too many alternatives/],
  ];
  for (const [pattern, message] of cases) {
    assert.throws(() => compileGlob(pattern), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.code, "release/bad-asset-pattern");
      assert.equal(e.kind, "user");
      assert.match(e.message, message);
      return true;
    });
  }
});
