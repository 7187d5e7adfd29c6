// Use-over-time charts (uPlot, a global from vendor/uplot): one line per node, shares 0..1 as %.
// The chart element's data-points attribute is the number of samples it shows.
const KEEP = 600;
const COLOURS = ['#2f6fdf', '#e0701b', '#2e9d57', '#b23bd1', '#c62828', '#00838f', '#6d4c41', '#455a64'];

export class UseChart {
  constructor(el, title, series) {
    this.el = el;
    this.title = title;
    this.series = series;
    this.t = [];
    this.nodes = new Map();
    this.plot = null;
  }

  /** Replaces the data with the history from /api/metrics/history. */
  load(history) {
    this.t = history.t.slice(-KEEP);
    this.nodes = new Map();
    for (const [id, cols] of Object.entries(history.nodes)) this.nodes.set(id, cols[this.series].slice(-KEEP));
    this.render(true);
  }

  /** Appends one sample from an overview event ({t, nodes: {id: {cpu, gpu, memory, store}}}). */
  push(sample) {
    if (!sample) return;
    this.t.push(sample.t);
    for (const id of Object.keys(sample.nodes)) {
      if (!this.nodes.has(id)) this.nodes.set(id, new Array(this.t.length - 1).fill(null));
    }
    for (const [id, values] of this.nodes) values.push(sample.nodes[id] ? sample.nodes[id][this.series] : null);
    if (this.t.length > KEEP) {
      this.t.shift();
      for (const values of this.nodes.values()) values.shift();
    }
    this.render(false);
  }

  render(rebuild) {
    const data = [this.t, ...this.nodes.values()];
    this.el.dataset.points = String(this.t.length);
    if (this.plot && !rebuild && this.plot.series.length === data.length) {
      this.plot.setData(data);
      return;
    }
    if (this.plot) this.plot.destroy();
    const series = [{}, ...[...this.nodes.keys()].map((id, i) => ({
      label: id, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true,
      value: (u, v) => v == null ? '–' : (v * 100).toFixed(1) + ' %',
    }))];
    this.plot = new uPlot({
      title: this.title, width: Math.max(400, this.el.clientWidth - 16), height: 220, series,
      scales: { y: { range: [0, 1] } },
      axes: [{}, { values: (u, vals) => vals.map(v => Math.round(v * 100) + '%') }],
    }, data, this.el);
  }
}
