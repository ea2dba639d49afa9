/** A clock a test moves by hand, for the proxy's `now` dependency (deadlines, rates). */
export interface FakeClock {
  now: () => number;
  advance(ms: number): number;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
      return time;
    },
  };
}
