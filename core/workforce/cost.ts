// The cost of a model call in USD, from its token counts and the employee's cost table (USD per million tokens).
import type { EmployeeProfile } from './employee';

export type CostTable = EmployeeProfile['costTable'];

/** Rounded to a billionth of a dollar: hides float noise (0.30000000000000004) without losing cheap calls. */
export function callCostUsd(costTable: CostTable, tokensIn: number, tokensOut: number): number {
  const usd = (tokensIn * costTable.inputPerMTok + tokensOut * costTable.outputPerMTok) / 1_000_000;
  return Math.round(usd * 1e9) / 1e9;
}
