// A value that follows its input once the input has stopped changing for `delay` ms (at once when
// the delay is 0): the grid loads months where a fast scroll comes to rest, not every month it passes.
import { useEffect, useState } from 'react';

export function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (delay <= 0) {
      setSettled(value);
      return;
    }
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return delay <= 0 ? value : settled;
}
