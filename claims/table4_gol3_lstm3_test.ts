import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("table4-gol3-lstm3");
