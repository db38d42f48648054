import type { FeedMessage, FeedState, QueueFeedBus } from './queue-feed.types';

/** One process, no Redis: this replica always polls and delivers its messages to itself. */
export class MemoryQueueFeedBus implements QueueFeedBus {
  readonly origin = 'local';
  private state: FeedState | null = null;
  private readonly handlers: ((message: FeedMessage) => void)[] = [];

  lead(): Promise<boolean> {
    return Promise.resolve(true);
  }

  resign(): Promise<void> {
    return Promise.resolve();
  }

  loadState(): Promise<FeedState | null> {
    return Promise.resolve(this.state);
  }

  publish(message: FeedMessage, state?: FeedState): Promise<void> {
    if (state) this.state = state;
    for (const handler of this.handlers) handler(message);
    return Promise.resolve();
  }

  onMessage(handler: (message: FeedMessage) => void): void {
    this.handlers.push(handler);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
