// Group commit: jobs that arrive while a batch is being made durable wait and go
// together in the next batch — a burst of refreshes costs one fsync, not one each —
// and every caller resolves (or fails) only with the batch that holds its job.

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit<Job> {
  #pending: { job: Job; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  #running = false;
  #idle: (() => void)[] = [];

  /** `commit` makes one batch durable and settles each job, in order. */
  constructor(private readonly commit: (jobs: Job[]) => Promise<Settled[]>) {}

  submit<R>(job: Job): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ job, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) void this.#drain();
    });
  }

  /** Resolves once no batch is being written and none waits. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#pending.length) {
        const batch = this.#pending.splice(0);
        let results: Settled[];
        try {
          results = await this.commit(batch.map((b) => b.job));
        } catch (error) {
          results = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((b, i) => {
          const r = results[i] ?? { ok: false, error: new Error('group commit: no result for a job') };
          if (r.ok) b.resolve(r.value);
          else b.reject(r.error);
        });
      }
    } finally {
      this.#running = false;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
