/**
 * Wakes this process's delivery workers when a message has been committed, so it leaves at once
 * rather than at the next poll. Other nodes find it at their own poll.
 */
export class DeliverySignal {
  readonly #listeners = new Set<() => void>();

  /** Call after the transaction that queued a message has committed: before, no worker can see it. */
  notify(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Returns the function that stops listening. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
