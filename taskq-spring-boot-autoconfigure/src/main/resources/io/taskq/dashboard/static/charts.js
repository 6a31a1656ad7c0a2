// Time series charts (uPlot, served from its WebJar) and the tasks' inline SVG sparklines.

import { html, perSecond } from './format.js';

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * A per-second line chart that fills its container's width. update() takes the series of
 * the overview: start instant, step in seconds and one value per step (null for none).
 */
export function perSecondChart(container, label, colorVariable) {
  let plot = null;
  let data = null;
  const height = 170;

  function points(series, values) {
    const start = Date.parse(series.start) / 1000;
    const xs = values.map((_, i) => start + i * series.stepSeconds);
    return [xs, values.map((v) => (v === undefined ? null : v))];
  }

  function create() {
    if (typeof window.uPlot !== 'function') {
      container.textContent = 'Chart unavailable: uPlot did not load.';
      container.classList.add('chart-missing');
      return;
    }
    const axis = {
      stroke: cssVar('--muted', '#667'),
      grid: { stroke: cssVar('--grid', '#e5e7eb'), width: 1 },
      ticks: { stroke: cssVar('--grid', '#e5e7eb'), width: 1 },
    };
    const color = cssVar(colorVariable, '#2563eb');
    plot = new window.uPlot(
      {
        width: Math.max(200, container.clientWidth),
        height,
        legend: { show: true, live: true },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [axis, { ...axis, size: 48, values: (u, splits) => splits.map((v) => perSecond(v)) }],
        series: [
          {},
          { label, stroke: color, width: 1.5, fill: color + '22', points: { show: false }, value: (u, v) => perSecond(v) },
        ],
      },
      data,
      container,
    );
  }

  const resize = new ResizeObserver(() => {
    if (plot && container.clientWidth > 0) plot.setSize({ width: container.clientWidth, height });
  });
  resize.observe(container);

  return {
    update(series, values) {
      data = points(series, values || []);
      if (!plot) create();
      else plot.setData(data);
    },
    destroy() {
      resize.disconnect();
      if (plot) plot.destroy();
      plot = null;
    },
  };
}

/** A small trend line of a task's mean duration per step; gaps where nothing ran. */
export function sparkline(values, title) {
  const width = 120;
  const height = 22;
  const numbers = (values || []).filter((v) => v !== null && v !== undefined);
  if (numbers.length === 0) return html`<span class="muted">\u2013</span>`;
  const max = Math.max(...numbers) || 1;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const segments = [];
  let current = [];
  values.forEach((value, i) => {
    if (value === null || value === undefined) {
      if (current.length) segments.push(current);
      current = [];
    } else {
      const x = (i * step).toFixed(1);
      const y = (height - 2 - (value / max) * (height - 4)).toFixed(1);
      current.push(`${x},${y}`);
    }
  });
  if (current.length) segments.push(current);
  const lines = segments.map((segment) =>
    segment.length === 1
      ? html`<circle cx="${segment[0].split(',')[0]}" cy="${segment[0].split(',')[1]}" r="1.5"></circle>`
      : html`<polyline points="${segment.join(' ')}"></polyline>`,
  );
  return html`<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${title}"><title>${title}</title>${lines}</svg>`;
}
