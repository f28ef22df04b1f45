/**
 * The page-side helper behind the dashboard's charts: `liveLineChart(el, { yName, digits })`
 * returns `{ draw(series) }`, where each series is `{ name, color?, width?, zeroLine?, data:
 * [[ms, value]…] }` (zeroLine: a dashed line at 0 on its axis) drawn as a line on a UTC time axis by ECharts (the browser build, loaded by the page before this
 * script). The ECharts instance is created on the first draw that finds the element laid out (a
 * panel still hidden has no size to draw into) and follows the element's size from then on. Each
 * draw replaces the series, so a series that disappears is removed; no animation, since the data
 * moves every poll.
 */
export const LIVE_LINE_CHART_SCRIPT = /* js */ `
  const liveLineChart = (el, { yName, digits }) => {
    let chart = null;
    const text = '#8193a8', line = '#243041';
    const value = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits }));
    const ensure = () => {
      if (chart !== null) return chart;
      if (el.clientWidth === 0 || el.clientHeight === 0) return null;
      chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption({
        animation: false,
        useUTC: true,
        grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
        legend: { top: 0, right: 8, textStyle: { color: text }, itemHeight: 8 },
        tooltip: { trigger: 'axis', valueFormatter: value },
        xAxis: { type: 'time', axisLabel: { color: text, formatter: '{HH}:{mm}:{ss}' }, axisLine: { lineStyle: { color: line } }, splitLine: { show: false } },
        yAxis: { type: 'value', name: yName, nameTextStyle: { color: text }, scale: true, axisLabel: { color: text }, splitLine: { lineStyle: { color: line } } },
        series: [],
      });
      new ResizeObserver(() => chart.resize()).observe(el);
      return chart;
    };
    return {
      draw(series) {
        const c = ensure();
        if (c === null) return;
        c.setOption({
          series: series.map((s) => ({
            type: 'line', name: s.name, data: s.data, showSymbol: false,
            lineStyle: { width: s.width ?? 1.5, ...(s.color ? { color: s.color } : {}) },
            ...(s.color ? { itemStyle: { color: s.color } } : {}),
            ...(s.zeroLine ? { markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: line, type: 'dashed' }, data: [{ yAxis: 0 }] } } : {}),
          })),
        }, { replaceMerge: ['series'] });
      },
    };
  };
`;
