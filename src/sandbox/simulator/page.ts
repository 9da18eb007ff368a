/** The EHR simulator's HTML shell; the page's behaviour is the browser bundle `/assets/simulator.js`. */
export function simulatorPage(): string {
  return `<!doctype html><html lang="da"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>EHR-simulator · Strukturerede forløb</title>
<link rel="stylesheet" href="/assets/simulator.css">
</head><body>
<header class="top"><strong>EHR-simulator</strong>
<nav aria-label="Sider"><a href="/" aria-current="page">Simulator</a><!-- nav-slot: further development pages (worklist) --><a href="/app/">Forløbsoverblik (standalone)</a><a href="/cds-services">Discovery</a></nav></header>
<main id="root"><p>Indlæser…</p></main>
<script type="module" src="/assets/simulator.js"></script>
</body></html>`;
}
