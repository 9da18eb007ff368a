/** Why a fetch never got an answer, in a word: fetch's "fetch failed" hides it in `cause` (ECONNREFUSED, ENOTFOUND). */
export function connectionReason(error: unknown, timeoutMs: number): string {
  if ((error as Error).name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
