// The plan-against-actual chart: cumulative target and actual by month (ECharts, no inline script).
// In a right-to-left page (Arabic) it mirrors: months run from right to left, the value
// axis stands on the right and the legend starts on the right.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("plan-chart");
  const source = document.getElementById("plan-chart-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const rightToLeft = document.documentElement.dir === "rtl";
  // Latin digits grouped as the language groups them, as the tables print them.
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    numberingSystem: "latn",
  });
  const format = (value) => (value === null || value === undefined ? "—" : number.format(value));
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: format },
    legend: {
      data: [data.names.target, data.names.actual],
      [rightToLeft ? "right" : "left"]: 0,
      align: rightToLeft ? "right" : "left",
    },
    grid: { containLabel: true, left: 16, right: 16, top: 36, bottom: 8 },
    xAxis: { type: "category", data: data.months, inverse: rightToLeft },
    yAxis: {
      type: "value",
      minInterval: 1,
      position: rightToLeft ? "right" : "left",
      axisLabel: { formatter: format },
    },
    series: [
      { name: data.names.target, type: "line", data: data.target, lineStyle: { type: "dashed" } },
      { name: data.names.actual, type: "line", data: data.actual, areaStyle: { opacity: 0.15 } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
