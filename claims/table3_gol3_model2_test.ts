import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("table3-gol3-model2");
