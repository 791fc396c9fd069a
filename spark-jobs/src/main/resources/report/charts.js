// Draws every [data-chart] container of the report from the JSON in #report-data with ECharts
// (SVG renderer). Errors are kept in document.body.dataset.errors for the browser test.
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); document.body.dataset.errors = errors.join('\n'); });
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var s = report.summary, t = report.labels;
  var fmt = function (v, d) { return v === null || v === undefined ? '–' : Number(v).toFixed(d === undefined ? 3 : d); };
  var pairs = function (points) { return points.map(function (p) { return [p.x, p.y]; }); };
  var diagonal = { type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', color: '#9aa5b1' }, name: t.baseline };
  var grid = { left: 56, right: 24, top: 40, bottom: 48, containLabel: true };
  function title(text) { return { text: text, textStyle: { fontSize: 13 } }; }
  function bars(text, counts, horizontal, name) {
    var labels = counts.map(function (c) { return c.label; }), values = counts.map(function (c) { return c.value; });
    var category = { type: 'category', data: horizontal ? labels.slice().reverse() : labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30, width: 160, overflow: 'truncate' } };
    var value = { type: 'value' };
    return { title: title(text), tooltip: {}, grid: grid, xAxis: horizontal ? value : category, yAxis: horizontal ? category : value,
      series: [{ type: 'bar', name: name || text, data: horizontal ? values.slice().reverse() : values }] };
  }
  function curve(text, points, xName, yName) {
    return { title: title(text), tooltip: { trigger: 'axis' }, grid: grid, legend: { bottom: 0 },
      xAxis: { type: 'value', min: 0, max: 1, name: xName, nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', min: 0, max: 1, name: yName },
      series: [{ type: 'line', name: text, data: pairs(points), showSymbol: false }, diagonal] };
  }
  var builders = {
    'stages': function () {
      return bars(t.seconds, s.run.stages.map(function (r) { return { label: r.stage, value: r.seconds }; }), true);
    },
    'quality': function () {
      var inputs = s.data_quality.inputs;
      var names = inputs.map(function (i) { return i.input; });
      var removed = inputs.map(function (i) { return i.rows_read - i.rows_kept - i.rows_quarantined; });
      return { title: title(t.data_quality), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'category', data: names, axisLabel: { interval: 0 } }, yAxis: { type: 'value' },
        series: [
          { type: 'bar', stack: 'rows', name: t.rows_kept, data: inputs.map(function (i) { return i.rows_kept; }) },
          { type: 'bar', stack: 'rows', name: t.rows_quarantined, data: inputs.map(function (i) { return i.rows_quarantined; }) },
          { type: 'bar', stack: 'rows', name: t.duplicates_removed + ' / ' + t.anomalies_removed, data: removed.map(function (v) { return Math.max(v, 0); }) }] };
    },
    'reasons': function () {
      var totals = {};
      s.data_quality.inputs.forEach(function (i) {
        Object.keys(i.removed_by_reason).forEach(function (r) { totals[i.input + ': ' + r] = i.removed_by_reason[r]; });
      });
      var counts = Object.keys(totals).map(function (k) { return { label: k, value: totals[k] }; })
        .sort(function (a, b) { return b.value - a.value; }).slice(0, 15);
      return bars(t.removed_by_reason, counts, true, t.rows);
    },
    'roc': function (m) { return curve(t.roc + ' · AUC ' + fmt(m.test.auc_roc), m.roc, 'FPR', 'TPR'); },
    'gains': function (m) { return curve(t.gains, m.gains, t.share, t.observed); },
    'calibration': function (m) {
      return { title: title(t.calibration), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'value', name: t.predicted, nameLocation: 'middle', nameGap: 28, min: 0 },
        yAxis: { type: 'value', name: t.observed, min: 0 },
        series: [{ type: 'line', name: t.observed, data: m.calibration.map(function (c) { return [c.mean_predicted, c.observed_rate]; }) }, diagonal] };
    },
    'features': function (m) {
      return bars(t.top_features, m.top_features, true);
    },
    'rfm': function () {
      var g = s.segments.rfm_segments;
      return { title: title(t.rfm_segments), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'category', data: g.map(function (x) { return x.segment; }), axisLabel: { rotate: 30 } },
        yAxis: [{ type: 'value', name: t.users }, { type: 'value', name: t.expected_value }],
        series: [{ type: 'bar', name: t.users, data: g.map(function (x) { return x.users; }) },
                 { type: 'line', name: t.expected_value, yAxisIndex: 1, data: g.map(function (x) { return x.expected_value; }) }] };
    },
    'clusters': function () {
      return bars(t.clusters, s.segments.clusters.map(function (c) { return { label: c.segment, value: c.users }; }), false, t.users);
    },
    'propensity': function () { return bars(t.propensity, s.segments.propensity_histogram, false, t.users); },
    'categories': function () { return bars(t.top_categories, s.recommendations.top_categories, true, t.recommendation_count); },
    'variants': function () {
      var v = s.recommendations.variants, metrics = ['precision_at_k', 'recall_at_k', 'ndcg_at_k', 'map_at_k', 'hit_rate'];
      return { title: title(t.ranking_metrics), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'category', data: metrics }, yAxis: { type: 'value' },
        series: v.map(function (x) { return { type: 'bar', name: x.variant, data: metrics.map(function (k) { return x.metrics[k]; }) }; }) };
    },
    'campaigns': function () {
      var c = s.strategy.campaigns;
      return { title: title(t.spend + ' / ' + t.budget), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'category', data: c.map(function (x) { return x.campaign_id; }) }, yAxis: { type: 'value' },
        series: [{ type: 'bar', name: t.spend, data: c.map(function (x) { return x.spend; }) },
                 { type: 'bar', name: t.budget, data: c.map(function (x) { return x.budget; }) }] };
    },
    'allocation': function () {
      var cells = s.strategy.segment_offer, rows = [], cols = [];
      cells.forEach(function (c) { if (rows.indexOf(c.row) < 0) rows.push(c.row); if (cols.indexOf(c.column) < 0) cols.push(c.column); });
      return { title: title(t.allocation), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'category', data: rows, axisLabel: { rotate: 30 } }, yAxis: { type: 'value' },
        series: cols.map(function (col) {
          return { type: 'bar', stack: 'offers', name: col, data: rows.map(function (r) {
            var hit = cells.filter(function (c) { return c.row === r && c.column === col; });
            return hit.length ? hit[0].contacts : 0; }) };
        }) };
    },
    'channels': function () { return bars(t.channels, s.strategy.channels, false, t.contacts); },
    'exclusions': function () { return bars(t.exclusions, s.strategy.exclusions, true, t.users); },
    'forest': function () {
      var e = s.campaign_effect.effects.slice(0, 40);
      var labels = e.map(function (x) { return x.campaign_id + ' · ' + x.dimension + '=' + x.value; });
      return { title: title(t.uplift), tooltip: { trigger: 'item', formatter: function (p) { var x = e[p.dataIndex];
          return labels[p.dataIndex] + '<br>' + fmt(x.uplift, 4) + ' [' + fmt(x.uplift_lower, 4) + ', ' + fmt(x.uplift_upper, 4) + '] p=' + fmt(x.p_value, 4); } },
        grid: { left: 220, right: 24, top: 40, bottom: 32 },
        xAxis: { type: 'value', name: t.uplift, nameLocation: 'middle', nameGap: 24 },
        yAxis: { type: 'category', data: labels, inverse: true, axisLabel: { width: 200, overflow: 'truncate' } },
        series: [
          { type: 'custom', name: '95%', data: e.map(function (x, i) { return [x.uplift_lower, x.uplift_upper, i]; }),
            renderItem: function (params, api) {
              var lo = api.coord([api.value(0), api.value(2)]), hi = api.coord([api.value(1), api.value(2)]);
              return { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: '#486581', lineWidth: 2 } };
            }, encode: { x: [0, 1], y: 2 } },
          { type: 'scatter', name: t.uplift, data: e.map(function (x, i) { return [x.uplift, i]; }), symbolSize: 8,
            markLine: { symbol: 'none', data: [{ xAxis: 0 }], lineStyle: { type: 'dashed', color: '#9aa5b1' } } }] };
    },
    'priors': function () {
      return bars(t.offer_priors, s.campaign_effect.offer_priors.map(function (p) { return { label: p.offer + ' · ' + p.segment, value: p.response_rate }; }), true, t.response_rate);
    },
    'trend-rates': function () {
      var p = s.trend.points;
      return { title: title(t.trend), tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: grid,
        xAxis: { type: 'category', data: p.map(function (x) { return x.run_date; }) }, yAxis: { type: 'value' },
        series: [{ type: 'line', name: t.quarantine_share, data: p.map(function (x) { return x.quarantine_share; }) },
                 { type: 'line', name: t.champion_auc, data: p.map(function (x) { return x.champion_auc; }) },
                 { type: 'line', name: t.uplift, data: p.map(function (x) { return x.uplift; }) }] };
    },
    'trend-contacts': function () {
      return bars(t.contacts, s.trend.points.map(function (x) { return { label: x.run_date, value: x.contacts }; }), false, t.contacts);
    }
  };
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    try {
      var build = builders[el.dataset.chart];
      var model = el.dataset.index === undefined ? null : s.models.models[Number(el.dataset.index)];
      var chart = echarts.init(el, null, { renderer: 'svg' });
      var option = build(model);
      option.animation = false;
      chart.setOption(option);
    } catch (e) {
      errors.push(el.dataset.chart + ': ' + e.message);
      document.body.dataset.errors = errors.join('\n');
      console.error(el.dataset.chart + ': ' + e.message);
    }
  });
  window.addEventListener('resize', function () {
    document.querySelectorAll('[data-chart]').forEach(function (el) { var c = echarts.getInstanceByDom(el); if (c) c.resize(); });
  });
  document.body.dataset.chartsDone = 'true';
})();
