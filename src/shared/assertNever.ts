/**
 * The default branch of an exhaustive switch over a kind union: the compiler proves it unreachable (a new kind
 * that a switch forgets is a type error there), and a value that slips past the types at run time is a bug.
 */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
