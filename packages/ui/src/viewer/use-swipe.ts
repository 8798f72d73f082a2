// Touch gestures on the viewer: a horizontal swipe goes to the previous or next item, a swipe down
// closes. The picture follows the finger sideways while it moves. Gestures are left alone while
// zoomed in (the finger pans then), with two fingers (a pinch) and on a video (its controls seek).
// Listeners are in the capture phase: the zoom library stops the events it handles.
import { useEffect, type RefObject } from 'react';

export interface SwipeHandlers {
  onNext(): void;
  onPrevious(): void;
  onClose(): void;
  /** Whether a gesture may navigate now (not zoomed in). */
  enabled(): boolean;
}

/** How far (px) and how fast a finger must travel to count. */
export const SWIPE = { distance: 50, closeDistance: 90, maxMs: 900 } as const;

type Start = { x: number; y: number; t: number };

/** What a finished gesture means: the direction that dominates, if it went far enough. */
export function swipeOf(dx: number, dy: number, ms: number): 'next' | 'previous' | 'close' | null {
  if (ms > SWIPE.maxMs) return null;
  if (Math.abs(dx) >= SWIPE.distance && Math.abs(dx) > 1.5 * Math.abs(dy)) return dx < 0 ? 'next' : 'previous';
  if (dy >= SWIPE.closeDistance && dy > 1.5 * Math.abs(dx)) return 'close';
  return null;
}

export function useSwipe(ref: RefObject<HTMLElement | null>, handlers: RefObject<SwipeHandlers>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let start: Start | null = null;
    const follow = (x: number) => el.style.setProperty('--swipe-x', `${x}px`);
    const reset = () => {
      start = null;
      el.classList.remove('is-swiping');
      follow(0);
    };
    const onStart = (e: TouchEvent) => {
      const touch = e.touches[0];
      if (e.touches.length !== 1 || !touch || e.target instanceof HTMLVideoElement || !handlers.current.enabled()) return reset();
      start = { x: touch.clientX, y: touch.clientY, t: Date.now() };
    };
    const onMove = (e: TouchEvent) => {
      const touch = e.touches[0];
      if (!start || !touch || e.touches.length !== 1) return;
      const dx = touch.clientX - start.x;
      if (Math.abs(dx) > 10 && Math.abs(dx) > Math.abs(touch.clientY - start.y)) {
        el.classList.add('is-swiping');
        follow(dx);
      }
    };
    const onEnd = (e: TouchEvent) => {
      const touch = e.changedTouches[0];
      const s = start;
      reset();
      if (!s || !touch || e.touches.length > 0) return;
      const gesture = swipeOf(touch.clientX - s.x, touch.clientY - s.y, Date.now() - s.t);
      if (gesture === 'next') handlers.current.onNext();
      else if (gesture === 'previous') handlers.current.onPrevious();
      else if (gesture === 'close') handlers.current.onClose();
    };
    const options = { capture: true, passive: true };
    el.addEventListener('touchstart', onStart, options);
    el.addEventListener('touchmove', onMove, options);
    el.addEventListener('touchend', onEnd, options);
    el.addEventListener('touchcancel', reset, options);
    return () => {
      el.removeEventListener('touchstart', onStart, options);
      el.removeEventListener('touchmove', onMove, options);
      el.removeEventListener('touchend', onEnd, options);
      el.removeEventListener('touchcancel', reset, options);
    };
  }, [ref, handlers]);
}
