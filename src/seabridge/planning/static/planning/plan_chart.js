// The plan-against-actual chart: cumulative target and actual by month (ECharts, no inline script).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("plan-chart");
  const source = document.getElementById("plan-chart-data");
  if (!element || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const rightToLeft = document.documentElement.dir === "rtl";
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [data.names.target, data.names.actual] },
    grid: { containLabel: true, left: 16, right: 16, bottom: 8 },
    xAxis: { type: "category", data: data.months, inverse: rightToLeft },
    yAxis: { type: "value", minInterval: 1, position: rightToLeft ? "right" : "left" },
    series: [
      { name: data.names.target, type: "line", data: data.target, lineStyle: { type: "dashed" } },
      { name: data.names.actual, type: "line", data: data.actual, areaStyle: { opacity: 0.15 } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
});
