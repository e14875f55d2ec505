/** Order statistics over plain sorted arrays: enough for medians and tail percentiles. */
export type Summary = { n: number; median: number; p99: number; mean: number };

/** Nearest-rank quantile of an ascending array (q in [0, 1]). */
export const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
};

export const summarize = (samples: readonly number[]): Summary => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, median: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), mean };
};

/** An operation to time; a promise is awaited, a plain value is not (no extra microtask). */
export type Op = () => unknown;

const run = async (op: Op): Promise<void> => {
  const result = op();
  if (result instanceof Promise) await result;
};

export type InterleaveOptions = {
  /** Measured rounds: every op runs this many times (times `batch`). */
  rounds: number;
  /** Unrecorded rounds first (JIT, connection pools, caches). */
  warmup: number;
  /** Calls per timed sample, for operations too short to time one by one; a sample is the mean. */
  batch?: number;
};

/**
 * Runs the ops in turn, round after round (A B, B A, A B, …: the order flips every round so
 * neither always follows the other), so that drift on a shared machine hits all of them alike.
 * Returns the per-call time in milliseconds, one sample per round.
 */
export const interleave = async <K extends string>(
  ops: Record<K, Op>,
  options: InterleaveOptions,
): Promise<Record<K, number[]>> => {
  const names = Object.keys(ops) as K[];
  const batch = options.batch ?? 1;
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = -options.warmup; round < options.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const op = ops[name];
      const started = performance.now();
      for (let i = 0; i < batch; i++) await run(op);
      const ms = (performance.now() - started) / batch;
      if (round >= 0) samples[name].push(ms);
    }
  }
  return samples;
};
