// Tidtam console: CSRF header for htmx, live updates over server-sent events, charts.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRF-Token"] = token.content;
});

function drawCharts(root) {
  if (!window.echarts) return;
  (root || document).querySelectorAll("[data-chart]").forEach((element) => {
    const option = JSON.parse(element.dataset.chart);
    const chart = echarts.getInstanceByDom(element) || echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option, true);
  });
}
window.addEventListener("resize", () => {
  document.querySelectorAll("[data-chart]").forEach((e) => echarts.getInstanceByDom(e)?.resize());
});
document.addEventListener("DOMContentLoaded", () => drawCharts());
document.addEventListener("htmx:afterSwap", (event) => drawCharts(event.detail.target));

// A page with [data-live-round] refreshes its live part when monitoring has news of that round.
document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-live-round]");
  if (!live || !window.EventSource) return;
  const source = new EventSource("/events");
  let pending = null;
  source.addEventListener("round", (event) => {
    if (event.data !== live.dataset.liveRound) return;
    clearTimeout(pending);  // many events in a burst: one refresh
    pending = setTimeout(() => htmx.trigger(live, "refresh"), 300);
  });
});
