/**
 * The development page at /worklist (sandbox mode only): the embedded FHIR server's population as a worklist with
 * filters, and one bar chart per quality indicator. Plain HTML and a small script over POST /population; all text
 * is set with textContent, never as HTML. Query parameters prefill the form (`?date=2026-11-25&type=recurrent&
 * action=final-due&lang=en`), so the simulator can link to a filtered view.
 */
export const WORKLIST_PAGE_HTML = `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Arbejdsliste og kvalitetsrapport · structured-course-cds</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2433; }
  h1 { font-size: 1.3rem; margin: 0 0 .8rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  form { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; background: #f3f5f9; padding: .8rem; border-radius: 6px; }
  label { display: flex; flex-direction: column; font-size: .8rem; gap: .2rem; }
  input, select, button { font: inherit; padding: .25rem .4rem; }
  table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #dde2ea; vertical-align: top; }
  th { background: #eef1f6; font-weight: 600; }
  td:nth-child(-n+4) { white-space: nowrap; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1rem; }
  .chart { border: 1px solid #dde2ea; border-radius: 6px; padding: .6rem; }
  .chart h3 { font-size: .9rem; margin: 0 0 .4rem; }
  .bar-row { display: grid; grid-template-columns: 9rem 1fr 4rem; gap: .4rem; align-items: center; font-size: .8rem; }
  .bar { height: .8rem; background: #3b6fd8; border-radius: 2px; }
  .bar.self-training { background: #2f9e6b; } .bar.persistent { background: #c46a1c; } .bar.unknown { background: #8a8f99; }
  #status { margin: .5rem 0; color: #555; } .muted { color: #777; font-size: .8rem; }
</style>
</head>
<body>
<h1 id="title">Arbejdsliste og kvalitetsrapport</h1>
<p class="muted" id="intro">Patienterne på den indlejrede FHIR-server, evalueret med samme motor som CDS-kortene.</p>
<form id="form">
  <label>Dato <input type="date" name="date" id="date"></label>
  <label>Horisont (dage) <input type="number" name="horizon" id="horizon" min="0" max="366" value="14"></label>
  <label>Periode <select name="period" id="period"><option value="month">måned</option><option value="quarter" selected>kvartal</option><option value="year">år</option><option value="all">alle</option></select></label>
  <label>Forløbstype <select name="type" id="type"><option value="">alle</option><option value="self-training">self-training</option><option value="recurrent">recurrent</option><option value="persistent">persistent</option><option value="unknown">ukendt</option></select></label>
  <label>Handling <select name="action" id="action"><option value="">alle</option><option>follow-up-due</option><option>follow-up-overdue</option><option>final-due</option><option>scores-missing</option><option>limit-near</option><option>type-unknown</option></select></label>
  <label>Sprog <select name="lang" id="lang"><option value="da">dansk</option><option value="en">English</option></select></label>
  <button type="submit" id="load">Hent</button>
</form>
<div id="status" role="status"></div>
<h2>Arbejdsliste</h2>
<table id="items"><thead><tr><th>Dato</th><th>Handling</th><th>Kode</th><th>Forløbstype</th><th>Patient</th><th>Tekst</th></tr></thead><tbody></tbody></table>
<h2>Kvalitetsindikatorer</h2>
<div class="charts" id="charts"></div>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  ['date', 'horizon', 'period', 'type', 'action', 'lang'].forEach(function (k) { if (params.get(k)) $(k).value = params.get(k); });
  if (!$('date').value) $('date').value = new Date().toISOString().slice(0, 10);
  var data = null;
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function typeOf(t) { return t === null ? 'unknown' : t; }
  var INDICATORS = [
    [['Påbegyndte forløb', 'Started courses'], function (g) { return g.started; }, ''],
    [['Afsluttede forløb', 'Finished courses'], function (g) { return g.finished; }, ''],
    [['Åbne forløb', 'Open courses'], function (g) { return g.open; }, ''],
    [['Komplette scorer ved start', 'Complete baseline scores'], function (g) { return g.baselineScoresComplete.share; }, '%'],
    [['Komplette scorer ved 0267', 'Complete final scores'], function (g) { return g.finalScoresComplete.share; }, '%'],
    [['ODI-ændring ved 0267 (gns.)', 'ODI change at 0267 (mean)'], function (g) { return g.change.odi.mean; }, ''],
    [['PSFS-ændring ved 0267 (gns.)', 'PSFS change at 0267 (mean)'], function (g) { return g.change.psfs.mean; }, ''],
    [['NPRS-ændring ved 0267 (gns.)', 'NPRS change at 0267 (mean)'], function (g) { return g.change.nprs.mean; }, ''],
    [['Klinisk relevant ODI-forbedring', 'Clinically important ODI improvement'], function (g) { return g.change.odi.importantImprovement.share; }, '%'],
    [['Forløbslængde, dage (median)', 'Course length, days (median)'], function (g) { return g.courseLengthDays.median; }, ''],
    [['0268 til tiden efter 3 mdr.', '0268 on time at 3 months'], function (g) { return g.followUpOnTime['3'] ? g.followUpOnTime['3'].share : null; }, '%'],
    [['0268 til tiden efter 9 mdr.', '0268 on time at 9 months'], function (g) { return g.followUpOnTime['9'] ? g.followUpOnTime['9'].share : null; }, '%'],
    [['Grænsefund pr. 100 forløb', 'Limit findings per 100 courses'], function (g) { return g.limitFindingsPer100; }, '']
  ];
  function render() {
    if (!data) return;
    var type = $('type').value, action = $('action').value;
    var body = $('items').tBodies[0]; body.textContent = '';
    var shown = data.items.filter(function (i) { return (!type || typeOf(i.courseType) === type) && (!action || i.action === action); });
    shown.forEach(function (i) {
      var tr = el('tr'); tr.dataset.action = i.action;
      [i.due, i.action, i.code || '', typeOf(i.courseType), i.patientId, i.text].forEach(function (c) { tr.appendChild(el('td', c)); });
      body.appendChild(tr);
    });
    $('status').textContent = shown.length + ' / ' + data.items.length + ' items; ' + data.report.courses + ' courses of ' + data.report.patients + ' patients on ' + data.date;
    var groups = data.report.groups.filter(function (g) { return !type || typeOf(g.courseType) === type; });
    var charts = $('charts'); charts.textContent = '';
    INDICATORS.forEach(function (ind) {
      var box = el('div', undefined, 'chart'); box.appendChild(el('h3', ind[0][$('lang').value === 'en' ? 1 : 0]));
      var values = groups.map(function (g) { return ind[1](g); });
      var max = Math.max.apply(null, values.map(function (v) { return v === null ? 0 : Math.abs(v); }).concat([ind[2] === '%' ? 1 : 0.0001]));
      groups.forEach(function (g, k) {
        var v = values[k]; var row = el('div', undefined, 'bar-row');
        row.appendChild(el('span', typeOf(g.courseType) + ' ' + g.period));
        var track = el('div'); var bar = el('div', undefined, 'bar ' + typeOf(g.courseType));
        bar.style.width = (v === null ? 0 : Math.round(Math.abs(v) / max * 100)) + '%'; track.appendChild(bar); row.appendChild(track);
        row.appendChild(el('span', v === null ? '-' : ind[2] === '%' ? (v * 100).toFixed(1) + ' %' : v));
        box.appendChild(row);
      });
      charts.appendChild(box);
    });
  }
  function load(ev) {
    if (ev) ev.preventDefault();
    $('status').textContent = '...';
    fetch('/population', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fhirServer: location.origin + '/fhir', date: $('date').value, horizonDays: Number($('horizon').value),
        period: $('period').value, lang: $('lang').value, allPatients: true })
    }).then(function (r) { return r.json().then(function (b) { if (!r.ok) throw new Error('HTTP ' + r.status + ': ' + ((b.issue && b.issue[0] && b.issue[0].diagnostics) || '')); return b; }); })
      .then(function (b) { data = b; render(); })
      .catch(function (e) { $('status').textContent = e.message; });
  }
  $('form').addEventListener('submit', load);
  $('type').addEventListener('change', render);
  $('action').addEventListener('change', render);
  load();
})();
</script>
</body>
</html>
`;
