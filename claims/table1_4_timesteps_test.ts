import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("table1-4-timesteps");
