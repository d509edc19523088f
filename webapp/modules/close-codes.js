// The server's close codes and the reasons it gives a refused token, in one place: the page decides
// from these alone whether a close is final (a refused token: retrying cannot help) or worth a retry.
// CLOSE mirrors the server's enum io.quotecast.stream.CloseCode, every code and no other; the list
// of refusals below mirrors the reasons of security.Refusal. CloseCodesMirrorTest keeps them in step.

export const CLOSE = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY: 1008,
  TOO_BIG: 1009,
  SERVER_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
});

/** Reasons of a 1008 that mean "your token (or origin) is refused": final until the user brings a new token. */
export const TOKEN_REFUSALS = Object.freeze([
  'origin not allowed',
  'no token',
  'unsigned token',
  'bad token signature',
  'token expired',
  'malformed token',
  'token for another user',
  'tokens are off',
]);

/**
 * What a close means for the page: `final` (stop retrying, say why), `later` (retry after a longer
 * pause: the server is full) or `retry` (the usual backoff). A 1008 for a stuck or flooding
 * connection is not final: a fresh connection starts with an empty outbox and a full rate budget.
 */
export function closeVerdict(code, reason) {
  if (code === CLOSE.POLICY && TOKEN_REFUSALS.includes(reason)) return 'final';
  if (code === CLOSE.TRY_AGAIN_LATER) return 'later';
  return 'retry';
}
