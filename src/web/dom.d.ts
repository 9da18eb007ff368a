/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The browser code (src/web/) is type-checked with the rest of the project; this gives it the DOM's types.
