import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("table2-gol2-model3");
