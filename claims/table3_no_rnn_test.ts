import { claimTest } from "../lib/claims/claim_test_helper.ts";

claimTest("table3-no-rnn");
