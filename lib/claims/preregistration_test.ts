import assert from "node:assert/strict";
import { expectationOf, preregistration } from "./preregistration.ts";
import { SCALES } from "./protocol.ts";
import { CLAIMS } from "./registry.ts";

Deno.test("every claim has exactly one pre-registered expectation at every scale, with its basis", () => {
  for (const scale of SCALES) {
    const file = preregistration(scale);
    assert.deepEqual(
      Object.keys(file.expectations).sort(),
      CLAIMS.map((c) => c.id).sort(),
      `lib/claims/preregistered/${scale}.json lists exactly the registry's claims`,
    );
    for (const claim of CLAIMS) {
      const expectation = expectationOf(claim, scale);
      assert.ok(expectation.setOn.basis.length > 20, `${scale} ${claim.id}: a basis in words`);
      assert.equal(expectation.verdict === "untested", expectation.reason !== undefined);
    }
  }
  assert.throws(() => expectationOf({ id: "no-such-claim" }, "quick"), /add one to lib\/claims/);
});

Deno.test("the rule constants are the same kind at every scale and paper names no tuning base", () => {
  assert.equal(preregistration("quick").tuning.seedBase, 20240530);
  assert.equal(preregistration("faithful").tuning.seedBase, 1);
  assert.equal(preregistration("paper").tuning.seedBase, null);
  for (const scale of SCALES) {
    const rules = preregistration(scale).rules;
    assert.equal(rules.level, 0.95);
    assert.ok(rules.minIncludedRuns >= 3 && rules.signTestMinRuns >= 6);
  }
});
