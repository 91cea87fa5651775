import { claimTest } from "../lib/cli/claim_test_helper.ts";

claimTest("encoder-decoder-layers");
