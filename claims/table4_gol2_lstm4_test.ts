import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("table4-gol2-lstm4");
