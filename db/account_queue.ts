/**
 * An in-process queue per account. The database alone keeps movements correct; this only stops
 * requests for one hot account from all entering SERIALIZABLE transactions at once and failing
 * each other with 40001. Nothing here is state another instance needs.
 */
const tails = new Map<string, Promise<void>>();

/**
 * The longest a movement waits for earlier ones before going to the database anyway. The queue
 * only spares retries; should a movement ahead never settle (a driver stuck on a dead
 * connection), its accounts must not stay blocked in this process.
 */
export const QUEUE_WAIT_MS_MAX = 5_000;

/** Runs `work` once every earlier queued movement on any of `accountIds` has finished. */
export async function queuedOnAccounts<T>(
  accountIds: string[],
  work: () => Promise<T>,
): Promise<T> {
  // Sorted, like the database locks, so two movements never wait on each other in a cycle.
  const keys = [...new Set(accountIds)].sort();
  const previous = keys.map((key) => tails.get(key) ?? Promise.resolve());
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  for (const key of keys) tails.set(key, done);
  try {
    await settledOrAfter(Promise.all(previous), QUEUE_WAIT_MS_MAX);
    return await work();
  } finally {
    release();
    for (const key of keys) if (tails.get(key) === done) tails.delete(key);
  }
}

/** Resolves once `promise` settles (either way) or after `ms`, whichever comes first. */
export async function settledOrAfter(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.then(() => {}, () => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}
