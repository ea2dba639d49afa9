import type { RigkitEvents, RigkitEventType } from '@rigkit/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RigkitEventMessage } from '../events/event-stream.js';
import { EVENT_TYPES, type EventType, SubscribeMessageSchema } from './events.js';
import { SampleSchema } from './sample.js';

describe('event schemas', () => {
  it('name every event the server can forward, proxy events included', () => {
    // A new core event that the API forgets would be delivered but never filterable.
    expectTypeOf<Exclude<RigkitEventType, EventType>>().toBeNever();
    expectTypeOf<Exclude<EventType, RigkitEventType>>().toBeNever();
    expect(EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'proxy.worker.connected',
        'proxy.worker.disconnected',
        'proxy.upstream.up',
        'proxy.upstream.down',
        'proxy.upstream.failover',
      ]),
    );
  });

  it('accept proxy events in a subscribe filter and refuse unknown ones', () => {
    const events = ['proxy.worker.connected', 'proxy.upstream.failover'];
    expect(SubscribeMessageSchema.parse({ type: 'subscribe', events })).toEqual({
      type: 'subscribe',
      events,
    });
    expect(
      SubscribeMessageSchema.safeParse({ type: 'subscribe', events: ['proxy.worker.everything'] })
        .success,
    ).toBe(false);
  });

  it('type proxy event payloads from core', () => {
    type Connected = Extract<RigkitEventMessage, { event: 'proxy.worker.connected' }>;
    expectTypeOf<Connected['data']>().toEqualTypeOf<RigkitEvents['proxy.worker.connected']>();
  });
});

describe('SampleSchema', () => {
  it('keeps adapter metrics and refuses non-numeric ones', () => {
    const sample = {
      time: 1_700_000_000_000,
      hashrate: null,
      metrics: { proxy_miners: 3, proxy_upstreams_active: 1 },
    };
    expect(SampleSchema.parse(sample)).toEqual(sample);
    expect(SampleSchema.safeParse({ ...sample, metrics: { proxy_miners: 'three' } }).success).toBe(
      false,
    );
  });
});
