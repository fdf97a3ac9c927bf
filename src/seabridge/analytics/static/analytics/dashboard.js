// The analytics dashboard: its charts (ECharts, served by us) and the period fields.
// No inline script (CSP): the figures come from the json_script block "analytics-charts".
// In a right-to-left page (Arabic) every chart mirrors: time runs from right to left,
// value axes stand on the right and legends start on the right.
"use strict";

(() => {
  const rightToLeft = () => document.documentElement.dir === "rtl";

  // Show only the period fields the chosen kind reads (the server ignores the others).
  const showPeriodFields = (form) => {
    const kind = form.querySelector("[name=period]");
    if (!kind) return;
    form.querySelectorAll("[data-periods]").forEach((wrapper) => {
      const kinds = wrapper.dataset.periods.split(" ");
      wrapper.classList.toggle("d-none", !kinds.includes(kind.value));
    });
  };

  const charts = [];

  const make = (id, option) => {
    const element = document.getElementById(id);
    if (!element) return;
    const chart = echarts.init(element);
    chart.setOption(option);
    charts.push(chart);
  };

  const draw = (data) => {
    const rtl = rightToLeft();
    // Latin digits, as the page's tables print them (Django's formats), in every language.
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      numberingSystem: "latn",
    });
    const format = (value) => (value === null || value === undefined ? "—" : number.format(value));
    // In right-to-left pages the legend starts on the right, each name left of its mark.
    const legend = {
      type: "scroll",
      top: 0,
      [rtl ? "right" : "left"]: 0,
      align: rtl ? "right" : "left",
    };
    const grid = { containLabel: true, left: 16, right: 16, top: 36, bottom: 8 };
    const valueAxis = {
      type: "value",
      minInterval: 1,
      position: rtl ? "right" : "left",
      axisLabel: { formatter: format },
    };

    make("chart-trend", {
      tooltip: { trigger: "axis", valueFormatter: format },
      legend,
      grid,
      xAxis: { type: "category", data: data.trend.months, inverse: rtl },
      yAxis: valueAxis,
      series: [
        { name: data.names.units, type: "bar", data: data.trend.units },
        {
          name: data.names.previous,
          type: "line",
          data: data.trend.previous,
          lineStyle: { type: "dashed" },
        },
      ],
    });

    make("chart-split", {
      tooltip: { trigger: "axis", valueFormatter: format },
      legend,
      grid,
      xAxis: { type: "category", data: data.split.sides, inverse: rtl },
      yAxis: valueAxis,
      series: [
        { name: data.names.units, type: "bar", data: data.split.units },
        { name: data.names.previous, type: "bar", data: data.split.previous },
      ],
    });

    // Markets lie along a category axis from the top; their bars grow towards the
    // reading direction's end.
    make("chart-markets", {
      tooltip: { trigger: "axis", valueFormatter: format },
      legend,
      grid,
      xAxis: { type: "value", minInterval: 1, inverse: rtl, axisLabel: { formatter: format } },
      yAxis: {
        type: "category",
        data: data.markets.names,
        inverse: true,
        position: rtl ? "right" : "left",
      },
      series: [
        { name: data.names.units, type: "bar", data: data.markets.units },
        { name: data.names.previous, type: "bar", data: data.markets.previous },
      ],
    });

    make("chart-mix", {
      tooltip: { trigger: "item", valueFormatter: format },
      legend: { ...legend, orient: "horizontal" },
      series: [
        {
          type: "pie",
          radius: ["35%", "65%"],
          top: 32,
          data: data.mix,
          label: { formatter: "{b}: {d} %" },
          // Clockwise from the top for left-to-right readers, anticlockwise for right-to-left.
          clockwise: !rtl,
        },
      ],
    });

    make("chart-milestones", {
      tooltip: { trigger: "axis", valueFormatter: format },
      grid,
      xAxis: { type: "category", data: data.milestones.dates, inverse: rtl },
      yAxis: valueAxis,
      series: [
        {
          name: data.names.unit,
          type: "line",
          step: "end",
          symbolSize: 8,
          data: data.milestones.units,
        },
      ],
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("dashboard-filters");
    if (form) {
      showPeriodFields(form);
      form.addEventListener("change", (event) => {
        if (event.target.name === "period") showPeriodFields(form);
      });
    }
    const source = document.getElementById("analytics-charts");
    if (!source || typeof echarts === "undefined") return;
    draw(JSON.parse(source.textContent));
    window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
  });
})();
