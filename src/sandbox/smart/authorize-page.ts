/**
 * The approval page of the embedded authorization server (standalone launch): which app asks, for what, and for
 * which patient. Bilingual, since it is shown before the app can know the user's language. Every value escaped.
 */
export interface PatientChoice {
  readonly id: string;
  readonly label: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.3rem}ul{padding-left:1.2rem}label{display:block;margin:1rem 0 .3rem;font-weight:600}
select,button{font-size:1rem;padding:.5rem .8rem}select{width:100%}.actions{margin-top:1.5rem;display:flex;gap:.8rem}
button.primary{background:#0b5cad;color:#fff;border:0;border-radius:4px}button.secondary{background:#fff;border:1px solid #888;border-radius:4px}
code{background:#f2f4f7;padding:0 .2rem}.note{color:#555;font-size:.9rem}`;

export function authorizePage(input: {
  readonly action: string;
  readonly requestId: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  readonly patients?: readonly PatientChoice[];
}): string {
  const picker = input.patients
    ? `<label for="patient">Patient</label>
<select id="patient" name="patient" required>${input.patients.map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.label)}</option>`).join('')}</select>`
    : '';
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Godkend adgang / Approve access</title><style>${STYLE}</style></head><body>
<h1>Godkend adgang <span class="note">/ Approve access</span></h1>
<p><strong>${escapeHtml(input.clientName)}</strong> beder om adgang til / asks for access to:</p>
<ul>${input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
${picker}
<div class="actions"><button class="primary" type="submit" name="decision" value="approve">Godkend / Approve</button>
<button class="secondary" type="submit" name="decision" value="deny" formnovalidate>Afvis / Deny</button></div>
</form>
<p class="note">Udviklingsserver: den indlejrede SMART-autorisationsserver. / Development only: the embedded SMART authorization server.</p>
</body></html>`;
}

export function errorPage(code: string, description: string): string {
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${escapeHtml(code)}</title><style>${STYLE}</style></head><body>
<h1>Adgang kan ikke gives <span class="note">/ Access cannot be granted</span></h1>
<p><code>${escapeHtml(code)}</code>: ${escapeHtml(description)}</p></body></html>`;
}
