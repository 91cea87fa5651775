import { table4ClaimTest } from "../lib/claims/table4_test_helper.ts";

table4ClaimTest("table4-gol3-lstm4");
