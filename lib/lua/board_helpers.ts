/**
 * The small Lua functions nodeflash defines on the board (in RAM, globals starting `__nf`)
 * before it moves files or runs tests, one REPL line each. They use only what NodeMCU 2.2 and
 * 3.x both have (the file object API, `tmr.wdclr`, `uart.write`, `loadfile`, `pcall`), work on
 * Lua 5.1 (float or integer builds) and 5.3, and never contain `>` (see ReplSession).
 *
 * Digest: `crypto.fhash("sha1")` through `encoder.toHex` when both modules are built in,
 * otherwise Adler-32 computed in Lua (sums stay below 2^31, so integer builds agree), printed
 * as `b:a` in decimal. Either way the size is counted while reading.
 *
 * @module
 */

/** A set of helpers an operation needs. */
export type HelperGroup = "digest" | "upload" | "download" | "run" | "test";

/** The helper lines, per group (each needs the groups listed in {@link HELPER_NEEDS}). */
export const HELPERS: Readonly<Record<HelperGroup, readonly string[]>> = {
  digest: [
    "__nfH=crypto and crypto.fhash and encoder and encoder.toHex and 1",
    'function __nfa(f) local z,a,b=0,1,0 while true do local s=f:read(256) if not s then break end z=z+#s if not __nfH then local t={s:byte(1,-1)} for i=1,#t do a=a+t[i] b=b+a end a=a%65521 b=b%65521 end tmr.wdclr() end return z,b..":"..a end',
    'function __nfh(n) local f=file.open(n,"r") if not f then return -1,"" end local z,c=__nfa(f) f:close() if __nfH then c=encoder.toHex(crypto.fhash("sha1",n)) end return z,c end',
  ],
  upload: [
    'function __nfo(n) if __nff then __nff:close() end file.remove(n) __nff=file.open(n,"w+") if not __nff then error("nf: cannot create "..n) end end',
    'function __nfw(s) if not __nff:write(s) then error("nf: write failed (file system full?)") end end',
    'function __nfc(t,n,z,c) __nff:close() __nff=nil local y,g=__nfh(t) if y~=z or g~=c then file.remove(t) print("nf|bad",y,g) return end file.remove(n) print(file.rename(t,n) and "nf|ok" or "nf|rename",y,g) end',
  ],
  download: [
    'function __nfd(n) __nfg=file.open(n,"r") print("nf|d",__nfg and file.list()[n] or -1) end',
    'function __nfr(k) for i=1,k do local s=__nfg:read(1024) or "" uart.write(0,"nf|"..#s.."|",s) tmr.wdclr() if #s==0 then __nfg:close() __nfg=nil return end end end',
  ],
  run: [
    'function __nfx(n,m) local f=file.open(n,"r") if not f then print("nf|"..m.."|none","") return end f:close() local ok,e=pcall(dofile,n) print("nf|"..m.."|"..(ok and "ok" or "err"),ok and "" or tostring(e)) end',
  ],
  test: [
    "__nfL=1",
    'function __nfp(s) print("\\nTAP: "..s) end',
    'function __nfq(ok,t,d) __nfp((ok and "ok " or "not ok ")..__nfk.." "..tostring(t).." # "..d) __nfk=__nfk+1 end',
    'function __nftap(e,t,m,r) m=tostring(m or "") r=tostring(r or "") if e=="pass" then __nfq(1,t,m) elseif e=="fail" then __nfq(nil,t,m..": "..r) elseif e=="except" then __nfq(nil,t,"exn; "..m..": "..r) else __nfu(e,t,m,r) end end',
    'function __nfu(e,t,m,r) if e=="start" then __nfk=1 __nfp("# STARTUP "..tostring(t)) elseif e=="finish" then __nfp("POST 1.."..(__nfk-1)) elseif e=="abort" then __nfp("Bail out! "..tostring(t).." # exn; "..m..": "..r) end end',
    'function __nfs(...) __nfS=1 local t=require("NTest")(...) t.outputhandler=__nftap return t end',
    'function __nft(n,m) __nfS=nil __nfk=1 local f,e=loadfile(n) local ok=f and true if f then ok,e=pcall(f,__nfs) end print("nf|"..m.."|"..(ok and "ok" or "err").."|"..(__nfS or 0),ok and "" or tostring(e)) end',
  ],
};

/** Groups each group builds on. */
export const HELPER_NEEDS: Readonly<Record<HelperGroup, readonly HelperGroup[]>> = {
  digest: [],
  upload: ["digest"],
  download: ["digest"],
  run: [],
  test: [],
};

/**
 * The helper lines a group needs, its dependencies first, leaving out groups already defined.
 *
 * @param group the group wanted
 * @param defined groups the board already has
 * @returns the groups to define, in order, with their lines
 *
 * @example
 * ```ts
 * import { helperPlan } from "./board_helpers.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(helperPlan("upload", new Set()).map((p) => p.group), ["digest", "upload"]);
 * assert.deepEqual(helperPlan("upload", new Set(["digest"])).map((p) => p.group), ["upload"]);
 * ```
 */
export function helperPlan(
  group: HelperGroup,
  defined: ReadonlySet<HelperGroup>,
): { group: HelperGroup; lines: readonly string[] }[] {
  const out: { group: HelperGroup; lines: readonly string[] }[] = [];
  const visit = (g: HelperGroup) => {
    if (defined.has(g) || out.some((p) => p.group === g)) return;
    for (const need of HELPER_NEEDS[g]) visit(need);
    out.push({ group: g, lines: HELPERS[g] });
  };
  visit(group);
  return out;
}
