// Employees' score histories aligned on one time axis, the data shape uPlot draws.
import type { Score } from '../protocol/aura-data';

/** Aligns each employee's history on one time axis (uPlot's data shape); gaps are null. */
export function alignSeries(scores: readonly Score[]): { xs: number[]; ys: Array<Array<number | null>> } {
  const times = [...new Set(scores.flatMap((s) => s.history.map((p) => Date.parse(p.at) / 1000)).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const ys = scores.map((s) => {
    const row: Array<number | null> = times.map(() => null);
    for (const p of s.history) {
      const i = index.get(Date.parse(p.at) / 1000);
      if (i !== undefined) row[i] = Number(p.score);
    }
    return row;
  });
  return { xs: times, ys };
}
