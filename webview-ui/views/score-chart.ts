// A chart of employees' scores over time (uPlot), one series per employee, coloured from the theme's chart palette.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Score } from '../protocol/aura-data';
import { h } from '../app/ui';
import { alignSeries } from './score-series';

const palette = ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

export function ScoreChart({ scores }: { scores: Score[] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const { xs, ys } = alignSeries(scores);
    const css = getComputedStyle(document.body);
    const color = (i: number) => css.getPropertyValue(palette[i % palette.length]!).trim() || ['#3794ff', '#89d185', '#d18616', '#b180d7', '#f14c4c', '#cca700'][i % 6]!;
    const fg = css.getPropertyValue('--vscode-foreground').trim() || '#ccc';
    const grid = css.getPropertyValue('--vscode-editorWidget-border').trim() || '#444';
    const width = () => Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 240,
        series: [{}, ...scores.map((s, i) => ({ label: s.name ?? s.employeeId, stroke: color(i), width: 2, spanGaps: true, points: { show: true } }))],
        axes: [
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: 'score (0-100)' },
        ],
        scales: { y: { range: [0, 100] } },
        legend: { live: false },
      },
      [xs, ...ys] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
    resize.observe(el);
    return () => (resize.disconnect(), plot.destroy());
  }, [JSON.stringify(scores.map((s) => [s.employeeId, s.history]))]);
  return h('div', { class: 'chart', ref: host, role: 'img', 'aria-label': `Scores over time of ${scores.length} employees` });
}
