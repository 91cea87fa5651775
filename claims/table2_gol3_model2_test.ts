import { claimTest } from "../lib/claims/claim_test_helper.ts";

claimTest("table2-gol3-model2");
