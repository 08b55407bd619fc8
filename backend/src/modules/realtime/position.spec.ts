import fc from 'fast-check';
import { comparePositions, StreamCursor, type Position } from './position';

const at = (xact: number, id: number): { pos: Position } => ({
  pos: { xact: BigInt(xact), id: BigInt(id) },
});

describe('positions', () => {
  it('order by transaction id, then event id, numerically', () => {
    expect(comparePositions(at(999, 5).pos, at(1000, 1).pos)).toBe(-1);
    expect(comparePositions(at(1000, 2).pos, at(1000, 10).pos)).toBe(-1);
    expect(comparePositions(at(7, 7).pos, at(7, 7).pos)).toBe(0);
  });
});

describe('StreamCursor (replay + live without gap or duplicate)', () => {
  it('admits each position once, in order', () => {
    const sut = new StreamCursor(at(1, 1).pos, false, 10);
    expect([at(1, 1), at(1, 2), at(1, 2), at(2, 1), at(1, 3)].map((e) => sut.admit(e))).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('holds live events while catching up and goes live only when nothing is held', () => {
    const sut = new StreamCursor(at(0, 0).pos, true, 10);
    expect(sut.live).toBe(false);
    expect(sut.hold(at(5, 1))).toBe(true);
    expect(sut.goLive()).toBe(false);
    expect(sut.drain()).toHaveLength(1);
    expect(sut.live).toBe(false);
    expect(sut.goLive()).toBe(true);
    expect(sut.live).toBe(true);
  });

  it('reports a full hold (the client must resume with since)', () => {
    const sut = new StreamCursor(at(0, 0).pos, true, 2);
    expect([sut.hold(at(1, 1)), sut.hold(at(1, 2)), sut.hold(at(1, 3))]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('property: replay (since, L] then held live events (overlapping) deliver (since, end] exactly once, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 10 }),
        (total, sinceRaw, liveRaw, overlap) => {
          const log = Array.from({ length: total }, (_, i) => at(Math.floor(i / 3) + 1, i + 1));
          const since = Math.min(sinceRaw, total);
          const live = Math.min(liveRaw, total);
          const floor = since === 0 ? { xact: 0n, id: 0n } : log[since - 1].pos;
          const sut = new StreamCursor(floor, true, 1000);
          // Live events after L arrive while the replay runs; some before L arrive too (overlap).
          for (const e of log.slice(Math.max(0, live - overlap))) sut.hold(e);
          const out: { pos: Position }[] = [];
          for (const e of log.slice(since, Math.max(since, live))) if (sut.admit(e)) out.push(e);
          for (const e of sut.drain()) if (sut.admit(e)) out.push(e);
          expect(sut.goLive()).toBe(true);
          expect(out).toEqual(log.slice(since));
        },
      ),
    );
  });
});
