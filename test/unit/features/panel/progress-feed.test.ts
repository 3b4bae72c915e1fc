import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottledFeed } from '../../../../src/features/panel/progress-feed';

describe('createThrottledFeed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes the first value at once and at most one more per interval, always the latest', () => {
    const { feed, push } = createThrottledFeed<number>(200);
    const heard: (number | undefined)[] = [];
    feed.subscribe(() => heard.push(feed.current()));

    push(1);
    expect(heard).toEqual([1]);
    push(2);
    push(3);
    push(4);
    expect(heard).toEqual([1]);
    expect(feed.current()).toBe(1);

    vi.advanceTimersByTime(199);
    expect(heard).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual([1, 4]);

    // Quiet for longer than the interval: the next value goes out at once again.
    vi.advanceTimersByTime(500);
    push(5);
    expect(heard).toEqual([1, 4, 5]);
  });

  it('wakes nobody after close, and unsubscribed listeners are not called', () => {
    const { feed, push, close } = createThrottledFeed<string>(100);
    const first = vi.fn();
    const second = vi.fn();
    const stop = feed.subscribe(first);
    feed.subscribe(second);

    push('a');
    expect(first).toHaveBeenCalledTimes(1);
    stop();
    push('b');
    close();
    vi.advanceTimersByTime(1_000);
    push('c');
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(feed.current()).toBe('a');
  });
});
