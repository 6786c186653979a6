/** The per-filter arrays of every client without subscriptions: one shared, frozen empty array (never indexed). */
const NO_FILTERS: never[] = Object.freeze([]) as unknown as never[];

/** A new per-filter array, or for a client without filters the shared empty one (an idle client allocates none). */
export function perFilter<T>(count: number): T[] {
  return count === 0 ? NO_FILTERS : [];
}
