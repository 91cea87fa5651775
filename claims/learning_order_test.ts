import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("learning-order");
