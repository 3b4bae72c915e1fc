// Load progress outside React state: the worker reports up to ten times a second, and a state
// update in the dashboard re-rendered the whole page each time (issue 7 "Tests and figures":
// main-thread tasks ≤ 50 ms while loading). The feed keeps the latest value and wakes only its
// subscribers (the progress card, via useSyncExternalStore), at most once per interval.
import { useSyncExternalStore } from 'react';

export interface ProgressFeed<T> {
  /** The latest value published to subscribers (undefined before the first). */
  current: () => T | undefined;
  subscribe: (listener: () => void) => () => void;
}

export interface ThrottledFeed<T> {
  feed: ProgressFeed<T>;
  /** Records a value; subscribers hear of it now, or at the end of the current interval. */
  push: (value: T) => void;
  /** Stops a pending wake-up (the load ended). */
  close: () => void;
}

/** Subscribers are woken at most once per `intervalMs`; the last value pushed always arrives. */
export function createThrottledFeed<T>(intervalMs: number): ThrottledFeed<T> {
  let published: T | undefined;
  let latest: T | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let lastPublished = Number.NEGATIVE_INFINITY;
  let closed = false;
  const listeners = new Set<() => void>();

  const publish = () => {
    pending = undefined;
    if (closed) return;
    lastPublished = Date.now();
    published = latest;
    for (const listener of [...listeners]) listener();
  };

  return {
    feed: {
      current: () => published,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    },
    push: (value) => {
      if (closed) return;
      latest = value;
      if (pending !== undefined) return;
      const wait = lastPublished + intervalMs - Date.now();
      if (wait <= 0) publish();
      else pending = setTimeout(publish, wait);
    },
    close: () => {
      closed = true;
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
    },
  };
}

/** The feed's current value; re-renders the calling component only when the feed publishes. */
export function useProgressFeed<T>(feed: ProgressFeed<T>): T | undefined {
  return useSyncExternalStore(feed.subscribe, feed.current, feed.current);
}
