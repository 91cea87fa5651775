import { claimTest } from "../lib/claims/claim_test_helper.ts";

claimTest("table1-3-timesteps");
